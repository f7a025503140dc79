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
            var shape = label.geometry
            if scene.crsWKT != reference.crsWKT {
                if reprojectors[scene.id] == nil { reprojectors[scene.id] = try Reprojector(from: scene.crs, to: reference.crs) }
                if let reprojector = reprojectors[scene.id] { shape = try shape.mapAll { try reprojector.forward($0) } }
            }
            burns.append(DatedBurn(time: time, shape: shape, sceneId: scene.id))
        }
        let cell = abs(reference.transform.coefficients[1])
        let smallest = dated.map { (Double($0.width) * $0.pixelSize, Double($0.height) * $0.pixelSize) }
        let extent = (width: smallest.map(\.0).min() ?? 0, height: smallest.map(\.1).min() ?? 0)
        return SpreadBurns(crsWKT: reference.crsWKT, resolution: cell, burns: burns, landCover: try landCover(in: reference, reprojectors: &reprojectors),
                           sceneExtent: extent, undatedLabels: undated)
    }

    /// The project's land-cover labels (any scene, dated or not) in the reference scene's CRS, oldest scene
    /// first so a later label wins where two overlap.
    private func landCover(in reference: Scene, reprojectors: inout [SceneID: Reprojector]) throws -> [ClassedShape] {
        let landCover = Set(project.taxonomy.classes.filter { $0.group == "land cover" }.map(\.id))
        let order = Dictionary(uniqueKeysWithValues: scenes.map { ($0.id, ($0.acquiredAt ?? .distantPast, $0.id)) })
        let byId = Dictionary(uniqueKeysWithValues: scenes.map { ($0.id, $0) })
        var shapes: [(key: (Date, SceneID), shape: ClassedShape)] = []
        for label in labels where landCover.contains(label.classId) {
            guard let scene = byId[label.sceneId], let key = order[label.sceneId] else { continue }
            var shape = label.geometry
            if scene.crsWKT != reference.crsWKT {
                if reprojectors[scene.id] == nil { reprojectors[scene.id] = try Reprojector(from: scene.crs, to: reference.crs) }
                if let reprojector = reprojectors[scene.id] { shape = try shape.mapAll { try reprojector.forward($0) } }
            }
            shapes.append((key, ClassedShape(classId: label.classId, geometry: shape)))
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
    /// Land-cover labels (the fuel class), in the same CRS, later ones last.
    public var landCover: [ClassedShape]
    /// The smallest dated scene's width and height, in CRS units.
    public var sceneExtent: (width: Double, height: Double)
    /// Burn labels on scenes without an acquisition time (left out).
    public var undatedLabels: Int
}
