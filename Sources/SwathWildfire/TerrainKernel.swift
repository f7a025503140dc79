import Foundation

/// Terrain from a 3 × 3 window of elevations with Horn's (1981) derivatives,
/// the method `gdaldem` uses by default:
///
///     a b c
///     d e f      dz/dx = ((c + 2f + i) − (a + 2d + g)) / (8 · east-west resolution)
///     g h i      dz/dy = ((g + 2h + i) − (a + 2b + c)) / (8 · north-south resolution)
///
/// Resolutions are the geotransform's pixel width and (negative) height, so
/// with a north-up grid dz/dy is the change northwards. The weighted sums are
/// taken in Float32, the DEM's own precision, as gdaldem takes them: in
/// Double, aspects on gentle slopes differ from gdaldem's by up to 0.003°.
struct TerrainKernel {
    let eastWest: Double
    let northSouth: Double

    struct Derivatives {
        let dx: Double  // along columns (east)
        let dy: Double  // along rows, divided by the negative pixel height: northwards
    }

    @inline(__always)
    func derivatives(_ w: UnsafePointer<Float>) -> Derivatives {
        let east: Float = (w[2] + w[5] + w[5] + w[8]) - (w[0] + w[3] + w[3] + w[6])
        let south: Float = (w[6] + w[7] + w[7] + w[8]) - (w[0] + w[1] + w[1] + w[2])
        return Derivatives(dx: Double(east) / (8 * eastWest), dy: Double(south) / (8 * northSouth))
    }

    /// Slope in degrees.
    @inline(__always)
    static func slope(_ d: Derivatives) -> Double {
        atan(sqrt(d.dx * d.dx + d.dy * d.dy)) * 180 / .pi
    }

    /// Aspect: the downslope direction in degrees clockwise from north; nil on flat ground.
    @inline(__always)
    static func aspect(_ d: Derivatives) -> Double? {
        guard d.dx != 0 || d.dy != 0 else { return nil }
        // Downslope is −gradient: east component −dx, north component −dy.
        var degrees = atan2(-d.dx, -d.dy) * 180 / .pi
        if degrees < 0 { degrees += 360 }
        return degrees >= 360 ? 0 : degrees
    }

    /// The downslope direction as a unit vector (east, north): the sine and
    /// cosine of the aspect without a round trip through atan2. nil on flat ground.
    @inline(__always)
    static func downslope(_ d: Derivatives) -> (east: Double, north: Double)? {
        let length = (d.dx * d.dx + d.dy * d.dy).squareRoot()
        guard length > 0 else { return nil }
        return (-d.dx / length, -d.dy / length)
    }

    /// Shaded relief, 1–255, sun at azimuth 315° and altitude 45° (gdaldem's defaults).
    @inline(__always)
    static func hillshade(_ d: Derivatives) -> Double {
        let zenith = (90.0 - 45.0) * .pi / 180, azimuth = 315.0 * .pi / 180
        let slope = atan(sqrt(d.dx * d.dx + d.dy * d.dy))
        guard let aspectDegrees = aspect(d) else {
            return 1 + 254 * max(cos(zenith), 0)
        }
        let aspect = aspectDegrees * .pi / 180
        let shade = cos(zenith) * cos(slope) + sin(zenith) * sin(slope) * cos(azimuth - aspect)
        return shade <= 0 ? 1 : 1 + 254 * shade
    }

    /// Topographic position: centre minus the mean of its neighbours.
    @inline(__always)
    static func tpi(_ w: UnsafePointer<Float>) -> Double {
        let neighbours = Double(w[0]) + Double(w[1]) + Double(w[2]) + Double(w[3]) + Double(w[5]) + Double(w[6]) + Double(w[7]) + Double(w[8])
        return Double(w[4]) - neighbours / 8
    }

    /// Terrain ruggedness (Riley): root of the summed squared differences to the centre.
    @inline(__always)
    static func tri(_ w: UnsafePointer<Float>) -> Double {
        let e = Double(w[4])
        func square(_ v: Float) -> Double { (Double(v) - e) * (Double(v) - e) }
        return (square(w[0]) + square(w[1]) + square(w[2]) + square(w[3])
                + square(w[5]) + square(w[6]) + square(w[7]) + square(w[8])).squareRoot()
    }
}
