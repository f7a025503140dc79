import Foundation

/// The XYZ tiling scheme of web maps: EPSG:3857, 256-pixel tiles, zoom z
/// splits the square world into 2^z × 2^z tiles numbered from the top left.
public enum WebMercator {
    /// Half the width of the world in EPSG:3857 metres (π × 6378137).
    public static let halfWorld = Double.pi * 6_378_137
    public static let tileSize = 256
    public static let maximumZoom = 24
    /// The latitude where the square world ends (atan(sinh π)): nothing beyond it is on the map.
    public static let maximumLatitude = atan(sinh(Double.pi)) * 180 / Double.pi

    public static func tileBounds(z: Int, x: Int, y: Int) -> MercatorBounds {
        let span = 2 * halfWorld / Double(1 << z)
        let minX = -halfWorld + Double(x) * span
        let maxY = halfWorld - Double(y) * span
        return MercatorBounds(minX: minX, minY: maxY - span, maxX: minX + span, maxY: maxY)
    }

    /// Metres per tile pixel at zoom z (on the projection, not the ground).
    public static func resolution(zoom: Int) -> Double {
        2 * halfWorld / Double(tileSize << zoom)
    }

    /// The smallest zoom whose pixels are at least as fine as `resolution`
    /// metres of the projection: where a scene shows all its detail.
    public static func zoom(forResolution resolution: Double) -> Int {
        guard resolution > 0, resolution.isFinite else { return 0 }
        let exact = log2(2 * halfWorld / (Double(tileSize) * resolution))
        return min(max(Int((exact - 1e-6).rounded(.up)), 0), maximumZoom)
    }

    /// The tiles at zoom z that overlap `bounds`, as x and y ranges.
    public static func tileRange(covering bounds: MercatorBounds, zoom z: Int) -> (x: ClosedRange<Int>, y: ClosedRange<Int>) {
        let span = 2 * halfWorld / Double(1 << z)
        let last = (1 << z) - 1
        func index(_ value: Double) -> Int { min(max(Int(floor(value / span)), 0), last) }
        let x = index(bounds.minX + halfWorld)...index(bounds.maxX + halfWorld - span * 1e-9)
        let y = index(halfWorld - bounds.maxY)...index(halfWorld - bounds.minY - span * 1e-9)
        return (x, y)
    }
}
