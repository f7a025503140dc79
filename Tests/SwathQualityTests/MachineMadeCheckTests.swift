import Foundation
import Testing
import SwathGeo
import SwathQuality

/// The machine-made check against what a script hands in (GDAL's polygonize
/// of a threshold mask, raw and simplified) and what a hand draws.
@Suite struct MachineMadeCheckTests {
    /// An irregular 11-point star, radius 25 px, centred in an 80 × 80 tile.
    static let star: [Point] = (0..<11).map { index in
        let angle = 2 * Double.pi * Double(index) / 11, reach = index % 2 == 0 ? 25.0 : 17.0
        return Point(x: 40.3 + reach * cos(angle), y: 39.7 - reach * sin(angle))
    }

    /// The star burned into a mask (pixel centres inside it) and polygonized by GDAL, in pixel coordinates.
    static func polygonizedMask() throws -> MultiPolygon {
        let path = NSTemporaryDirectory() + "machine-made-\(UUID().uuidString).tif"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let raster = try Raster.create(path, driver: "GTiff", size: Size(width: 80, height: 80), bandCount: 1, dataType: .byte)
        try raster.setGeoTransform(GeoTransform(originX: 0, pixelWidth: 1, originY: 0, pixelHeight: 1))
        var mask = [UInt8](repeating: 0, count: 80 * 80)
        for row in 0..<80 { for col in 0..<80 where inside(star, Point(x: Double(col) + 0.5, y: Double(row) + 0.5)) {
            mask[row * 80 + col] = 1
        } }
        try raster.write(mask, window: Window(col: 0, row: 0, width: 80, height: 80))
        try raster.flush()
        let regions = try raster.polygonize()
        #expect(regions.count == 1)
        return regions[0].shape
    }

    /// Even–odd ray casting.
    static func inside(_ ring: [Point], _ point: Point) -> Bool {
        var inside = false
        for index in ring.indices {
            let a = ring[index], b = ring[(index + 1) % ring.count]
            if (a.y > point.y) != (b.y > point.y), point.x < (b.x - a.x) * (point.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
        }
        return inside
    }

    /// What a hand does: a click every few pixels along the outline, each off by a Gaussian 0.7 px.
    static func handTraced(seed: UInt64) -> MultiPolygon {
        var random = SeededGenerator(seed: seed)
        var ring: [Point] = []
        for index in star.indices {
            let a = star[index], b = star[(index + 1) % star.count]
            let steps = max(1, Int(hypot(b.x - a.x, b.y - a.y) / 4))
            for step in 0..<steps {
                let t = Double(step) / Double(steps)
                ring.append(Point(x: a.x + t * (b.x - a.x) + random.gaussian(0.7), y: a.y + t * (b.y - a.y) + random.gaussian(0.7)))
            }
        }
        return MultiPolygon(Polygon(rings: [ring + [ring[0]]]))
    }

    @Test func polygonizedMaskIsMachineMadeRawAndSimplified() throws {
        let raw = try Self.polygonizedMask()
        let check = MachineMadeCheck()
        let evidence = try #require(check.evidence(raw))
        #expect(evidence.contains("vertices lie on pixel corners"))
        #expect(OutlineTexture(pixelShape: raw).onCornerShare == 1)
        #expect(OutlineTexture(pixelShape: raw).axisAlignedShare == 1)
        for tolerance in [0.5, 1.0, 1.5, 2.0] {
            let simplified = try raw.simplified(tolerance: tolerance)
            #expect(simplified.vertexCount < raw.vertexCount)
            #expect(check.evidence(simplified) != nil, "simplified at \(tolerance) px")
        }
    }

    @Test func subPixelNoiseOverAPolygonizedMaskStillShowsTheStaircase() throws {
        var random = SeededGenerator(seed: 3)
        let noisy = try Self.polygonizedMask().map { Point(x: $0.x + random.uniform(-0.15...0.15), y: $0.y + random.uniform(-0.15...0.15)) }
        let texture = OutlineTexture(pixelShape: noisy)
        #expect(texture.onCornerShare < 0.2)
        let evidence = try #require(MachineMadeCheck().evidence(noisy))
        #expect(evidence.hasPrefix("a pixel staircase"))
    }

    @Test func handTracingOfTheSameMaskIsNotMachineMade() {
        for seed in 1...20 as ClosedRange<UInt64> {
            let traced = Self.handTraced(seed: seed)
            #expect(traced.vertexCount > 20)
            #expect(MachineMadeCheck().evidence(traced) == nil, "seed \(seed): \(OutlineTexture(pixelShape: traced))")
        }
    }

    @Test func smallGridAlignedRectanglesAreNotJudged() {
        let square = MultiPolygon.rectangle(minX: 10, minY: 10, maxX: 30, maxY: 30)
        #expect(OutlineTexture(pixelShape: square).onCornerShare == 1)
        #expect(MachineMadeCheck().evidence(square) == nil)
    }
}

extension SeededGenerator {
    mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
    mutating func gaussian(_ sigma: Double) -> Double {
        let u = max(Double.random(in: 0..<1, using: &self), 1e-12), v = Double.random(in: 0..<1, using: &self)
        return sigma * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
