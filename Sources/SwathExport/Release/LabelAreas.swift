import Foundation
import SwathGeo
import SwathLabels

/// Labels' areas on the ground, in m²: each outline taken from its scene's CRS to an equal-area
/// projection (EPSG:6933, WGS 84 / NSIDC EASE-Grid 2.0 Global) with PROJ, then measured by OGR.
/// Right for any scene CRS, geographic ones included, where the CRS's own units are degrees.
struct LabelAreas {
    private var reprojectors: [SceneID: Reprojector] = [:]
    private let scenes: [SceneID: CRS]
    private let equalArea: CRS

    init(_ document: ReleaseDocument) throws {
        scenes = Dictionary(document.scenes.map { ($0.id, CRS(name: "", wkt: $0.registration.crsWKT, epsg: $0.registration.epsg,
                                                                 projJSON: nil, isGeographic: false)) },
                            uniquingKeysWith: { first, _ in first })
        equalArea = try CRS("EPSG:6933")
    }

    mutating func squareMetres(_ label: ReleaseLabel) throws -> Double {
        guard let crs = scenes[label.sceneId], let wkb = Data(base64Encoded: label.geometryWKB) else { return 0 }
        let reprojector: Reprojector
        if let kept = reprojectors[label.sceneId] { reprojector = kept } else {
            reprojector = try Reprojector(from: crs, to: equalArea)
            reprojectors[label.sceneId] = reprojector
        }
        return try MultiPolygon(wkb: [UInt8](wkb)).mapAll(reprojector.forward).area
    }
}
