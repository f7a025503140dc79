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
        return SpreadBurns(crsWKT: reference.crsWKT, resolution: cell, burns: burns, undatedLabels: undated)
    }
}

/// Burns gathered for a spread dataset, in one CRS.
public struct SpreadBurns: Sendable {
    public var crsWKT: String
    /// The earliest dated scene's cell size, in its CRS's units.
    public var resolution: Double
    public var burns: [DatedBurn]
    /// Burn labels on scenes without an acquisition time (left out).
    public var undatedLabels: Int
}
