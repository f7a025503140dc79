import Foundation

/// Wind as a spread model uses it: how hard it blows and which way it pushes the
/// fire, as an azimuth clockwise from north given by its sine and cosine (the
/// convention of `spread_dir_sin`/`cos` and `aspect_sin`/`cos`), and how well
/// that lines up with another direction. Calm air has no direction (NaN).
public struct Wind: Sendable, Equatable {
    public var speed: Float
    /// sin and cos of the azimuth the wind blows toward (east component / speed, north component / speed).
    public var towardSin: Float
    public var towardCos: Float

    /// From the eastward (u) and northward (v) components, as ERA5, HRRR and GRIDMET give them.
    public init(u: Float, v: Float) {
        speed = (u * u + v * v).squareRoot()
        (towardSin, towardCos) = speed > 0 ? (u / speed, v / speed) : (.nan, .nan)
    }

    /// From a speed and the meteorological direction the wind blows *from* (degrees clockwise from north):
    /// a westerly (270°) pushes the fire east.
    public init(speed: Float, fromDegrees: Float) {
        self.speed = speed
        let toward = Double(fromDegrees + 180) * .pi / 180
        (towardSin, towardCos) = speed > 0 ? (Float(sin(toward)), Float(cos(toward))) : (.nan, .nan)
    }

    /// The cosine between the wind's push and a direction given as (sin, cos) of its azimuth: 1 along it,
    /// −1 against it; NaN when either has no direction.
    public func alignment(sin other: Float, cos otherCos: Float) -> Float {
        let length = (other * other + otherCos * otherCos).squareRoot()
        guard length > 0, speed > 0 else { return .nan }
        return (towardSin * other + towardCos * otherCos) / length
    }
}
