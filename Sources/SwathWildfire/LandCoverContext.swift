import SwathGeo

/// Land-cover labels rasterized onto the scene grid with GDAL (pixel
/// centres inside a label take its class; later labels win), 0 unlabelled.
final class LandCoverContext: Sendable {
    let width: Int
    let classes: [UInt16]

    init(labels: [ClassedShape], scene: Raster) throws {
        width = scene.width
        let canvas = try Raster.inMemory(matching: scene, bandCount: 1, dataType: .uint16)
        try canvas.rasterize(labels.map(\.geometry), values: labels.map { Double(min(max($0.classId, 0), 65535)) })
        classes = try canvas.read(canvas.bounds, as: UInt16.self)
    }
}
