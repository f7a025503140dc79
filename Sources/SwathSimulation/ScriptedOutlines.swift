import Foundation
import SwathGeo

/// What a script user hands in as hand-drawn work: the tile's imagery
/// thresholded against the soil colour, each region classed by its mean
/// colour, polygonized by GDAL (in the tile's pixels, as the API's
/// `crs=pixel` takes them), optionally simplified.
struct ScriptedOutlines {
    /// The class whose painted colour is nearest to each region's (the simulated scene's palette).
    static let palette: [(classId: Int, colour: [Double])] = [(301, [200, 60, 60]), (40, [140, 200, 90]), (205, [60, 40, 40]), (80, [30, 60, 160])]

    /// Regions under this many pixels are noise the script drops.
    static let minimumPixels = 20

    static func outlines(scene: SimulatedScene, window: Window, simplifyPixels: Double?) throws -> [(classId: Int, ring: [Point])] {
        let raster = try Raster.open(scene.path)
        let planes: [UInt8] = try raster.read(window, bands: [1, 2, 3])
        let count = window.width * window.height
        var classes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            let pixel = (0..<3).map { Double(planes[$0 * count + index]) }
            // Soil is a grey-brown shade of 120 ± 12 (bands 0, −10, −30): anything else is an object.
            let soil = [120.0, 110, 90]
            guard zip(pixel, soil).contains(where: { abs($0 - $1) > 25 }) else { continue }
            let nearest = palette.indices.min { distance(pixel, palette[$0].colour) < distance(pixel, palette[$1].colour) }!
            classes[index] = UInt8(nearest + 1)
        }
        let mask = try Raster.inMemory(size: Size(width: window.width, height: window.height), bandCount: 1, dataType: .byte)
        try mask.setGeoTransform(GeoTransform(originX: 0, pixelWidth: 1, originY: 0, pixelHeight: 1))
        try mask.write(classes, window: Window(col: 0, row: 0, width: window.width, height: window.height))
        var found: [(classId: Int, ring: [Point])] = []
        for region in try mask.polygonize() where region.shape.area >= Double(minimumPixels) {
            var shape = region.shape
            if let tolerance = simplifyPixels { shape = try shape.simplified(tolerance: tolerance) }
            guard let polygon = shape.polygons.max(by: { MultiPolygon($0).area < MultiPolygon($1).area }),
                  var ring = polygon.rings.first, ring.count >= 4 else { continue }
            ring.removeLast()
            found.append((palette[region.value - 1].classId, ring))
        }
        return found
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
}
