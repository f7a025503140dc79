import Foundation
import SwathGeo
import SwathLabels
import SwathSpread

extension ExportSource {
    /// The project's dated burned ground for a spread dataset: every burn-scar label (all but "unburned")
    /// on a scene with an acquisition time, dated by it and taken into the CRS of the earliest dated scene,
    /// whose cell size is the dataset's default resolution. Labels on undated scenes are counted, not used.
    public func spreadBurns() throws -> SpreadBurns {
        let dated = scenes.filter { $0.acquiredAt != nil }.sorted { ($0.acquiredAt ?? .distantPast, $0.id) < ($1.acquiredAt ?? .distantPast, $1.id) }
        guard let reference = dated.first else {
            throw SpreadError("no spread pairs: no scene of project \(project.id) has an acquisition time (ingest --acquired-at)")
        }
        // Grids, rates and the cubes' coordinates are in metres: a geographic or feet-based CRS would make them wrong.
        guard let metres = (try? CRS(reference.crsWKT))?.metresPerLinearUnit, abs(metres - 1) < 1e-9 else {
            throw SpreadError("scene \(reference.id), the earliest dated one, is not in a projected CRS in metres; spread datasets are built in its CRS")
        }
        let burned = Set(project.taxonomy.classes.filter { $0.group == "burn scar" && $0.name != "unburned" }.map(\.id))
        let byId = Dictionary(uniqueKeysWithValues: scenes.map { ($0.id, $0) })
        var reprojectors: [SceneID: Reprojector] = [:]
        var burns: [DatedBurn] = []
        var undated = 0
        for label in labels where burned.contains(label.classId) {
            guard let scene = byId[label.sceneId], let time = scene.acquiredAt else {
                undated += 1
                continue
            }
            let shape = try Self.shape(label.geometry, of: scene, in: reference, reprojectors: &reprojectors)
            burns.append(DatedBurn(time: time, shape: shape, sceneId: scene.id))
        }
        let cell = abs(reference.transform.coefficients[1])
        let burnedScenes = Set(burns.map(\.sceneId))
        let extents = try dated.filter { burnedScenes.contains($0.id) }.map { try Self.extent(of: $0, in: reference) }
        let extent = (width: extents.map(\.width).min() ?? 0, height: extents.map(\.height).min() ?? 0)
        let spreadScenes = dated.map { SpreadScene(id: $0.id, uri: $0.uri, bandRoles: $0.bandRoles) }
        return SpreadBurns(crsWKT: reference.crsWKT, resolution: cell, burns: burns, landCover: try landCover(in: reference, reprojectors: &reprojectors),
                           sceneExtent: extent, scenes: spreadScenes, undatedLabels: undated)
    }

    /// A label's shape taken from its scene's CRS into the reference scene's (one PROJ operation per scene, cached).
    private static func shape(_ shape: MultiPolygon, of scene: Scene, in reference: Scene,
                              reprojectors: inout [SceneID: Reprojector]) throws -> MultiPolygon {
        guard scene.crsWKT != reference.crsWKT else { return shape }
        let reprojector = try reprojectors[scene.id] ?? Reprojector(from: scene.crs, to: reference.crs)
        reprojectors[scene.id] = reprojector
        return try shape.mapAll { try reprojector.forward($0) }
    }

    /// A scene's width and height in the reference scene's CRS units: its corners and edge midpoints taken there by PROJ.
    static func extent(of scene: Scene, in reference: Scene) throws -> (width: Double, height: Double) {
        let (w, h) = (Double(scene.width), Double(scene.height))
        let pixels = [(0.0, 0.0), (w / 2, 0), (w, 0), (w, h / 2), (w, h), (w / 2, h), (0, h), (0, h / 2)]
        var points = pixels.map { scene.transform.apply(col: $0.0, row: $0.1) }
        if scene.crsWKT != reference.crsWKT { points = try Reprojector(from: scene.crs, to: reference.crs).forward(points) }
        let xs = points.map(\.x), ys = points.map(\.y)
        return ((xs.max() ?? 0) - (xs.min() ?? 0), (ys.max() ?? 0) - (ys.min() ?? 0))
    }

    /// The project's land-cover labels (any scene, dated or not) in the reference scene's CRS with their scenes'
    /// dates, oldest scene first so a later label wins where two overlap.
    private func landCover(in reference: Scene, reprojectors: inout [SceneID: Reprojector]) throws -> [LandCoverLabel] {
        let landCover = Set(project.taxonomy.classes.filter { $0.group == "land cover" }.map(\.id))
        let order = Dictionary(uniqueKeysWithValues: scenes.map { ($0.id, ($0.acquiredAt ?? .distantPast, $0.id)) })
        let byId = Dictionary(uniqueKeysWithValues: scenes.map { ($0.id, $0) })
        var shapes: [(key: (Date, SceneID), shape: LandCoverLabel)] = []
        for label in labels where landCover.contains(label.classId) {
            guard let scene = byId[label.sceneId], let key = order[label.sceneId] else { continue }
            let shape = try Self.shape(label.geometry, of: scene, in: reference, reprojectors: &reprojectors)
            shapes.append((key, LandCoverLabel(time: scene.acquiredAt, label: ClassedShape(classId: label.classId, geometry: shape))))
        }
        return shapes.sorted { $0.key < $1.key }.map(\.shape)
    }
}

/// Burns gathered for a spread dataset, in one CRS.
public struct SpreadBurns: Sendable {
    public var crsWKT: String
    /// The earliest dated scene's cell size, in its CRS's units.
    public var resolution: Double
    public var burns: [DatedBurn]
    /// Land-cover labels (the fuel class), in the same CRS with their scenes' dates, later ones last.
    public var landCover: [LandCoverLabel]
    /// The smallest burned scene's width and height, in the CRS's units.
    public var sceneExtent: (width: Double, height: Double)
    /// The dated scenes (their rasters and band roles: the spectral inputs).
    public var scenes: [SpreadScene]
    /// Burn labels on scenes without an acquisition time (left out).
    public var undatedLabels: Int
}

extension SpreadBurns {
    /// The builder for these burns: their CRS, the resolution asked for (else the scenes'), their land cover,
    /// scenes and extent, and the spectral indices every dated scene can give (reflectance = DN × scale + offset).
    public func builder(weather: [WeatherLayer], options: SpreadDatasetOptions, scale: Double = 1, offset: Double = 0) -> SpreadDatasetBuilder {
        var builder = SpreadDatasetBuilder(crsWKT: crsWKT, resolution: options.resolution ?? resolution, weather: weather, options: options)
        (builder.landCover, builder.sceneCell, builder.sceneExtent) = (landCover, resolution, sceneExtent)
        builder.scenes = Dictionary(scenes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let indices = FireSpectra.available(in: scenes)
        builder.spectra = indices.isEmpty ? nil : FireSpectra(indices: indices, scale: scale, offset: offset)
        return builder
    }
}
