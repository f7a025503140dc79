import Foundation
import SwathGeo

/// The planes of one sample — a window of a fire's grid at one spread pair: today's fire, every weather role
/// at today's time on the window (GDAL bilinear), wind speed and the azimuth it pushes toward when wind is given
/// as components or as speed and direction, with a DEM its elevation, slope and how the wind lines up with
/// upslope, then tomorrow's fire and the ground newly burned by then.
public struct SpreadSampleBands: Sendable {
    public let weather: [WeatherLayer]
    public let mode: WeatherTimeMode

    public init(weather: [WeatherLayer], mode: WeatherTimeMode) {
        (self.weather, self.mode) = (weather, mode)
    }

    public func bands(grid: FireGrid, window: Window, today: [Bool], tomorrow: [Bool], at time: Date,
                      terrain: FireTerrain? = nil) throws -> [SpreadBand] {
        let cutValues = { (plane: [Float]) -> [Float] in
            (window.row..<window.row + window.height).flatMap { row in plane[(row * grid.size.width + window.col)..<(row * grid.size.width + window.col + window.width)] }
        }
        let cut = { (mask: [Bool]) -> [Float] in cutValues(mask.map { $0 ? 1 : 0 }) }
        let todayCut = cut(today), tomorrowCut = cut(tomorrow)
        var bands = [SpreadBand(name: SpreadBand.fireMask, values: todayCut)]
        let transform = grid.transform.offset(col: window.col, row: window.row)
        let size = Size(width: window.width, height: window.height)
        var byRole: [String: [Float]] = [:]
        for layer in weather {
            let values = try layer.onGrid(at: time, mode: mode, crsWKT: grid.crsWKT, transform: transform, size: size)
            byRole[layer.source.role] = values
            bands.append(SpreadBand(name: layer.source.role, values: values))
        }
        let wind = Self.wind(byRole)
        bands += wind
        if let terrain {
            bands.append(SpreadBand(name: "elevation", values: cutValues(terrain.elevation)))
            bands.append(SpreadBand(name: "slope_deg", values: cutValues(terrain.slopeDegrees)))
            if wind.count == 3 {
                let (sines, cosines) = (cutValues(terrain.upslopeSin), cutValues(terrain.upslopeCos))
                let alignment = (0..<sines.count).map { i in
                    Wind(u: wind[1].values[i] * wind[0].values[i], v: wind[2].values[i] * wind[0].values[i]).alignment(sin: sines[i], cos: cosines[i])
                }
                bands.append(SpreadBand(name: "wind_upslope_alignment", values: alignment))
            }
        }
        bands.append(SpreadBand(name: SpreadBand.targetFireMask, values: tomorrowCut))
        bands.append(SpreadBand(name: SpreadBand.targetBurnedNew, values: zip(todayCut, tomorrowCut).map { $0 == 0 && $1 == 1 ? 1 : 0 }))
        return bands
    }

    /// wind_speed, wind_dir_sin, wind_dir_cos (toward), from whichever pair of wind roles there is.
    static func wind(_ byRole: [String: [Float]]) -> [SpreadBand] {
        let winds: [Wind]
        if let u = byRole["wind_u"], let v = byRole["wind_v"] {
            winds = zip(u, v).map { Wind(u: $0, v: $1) }
        } else if let speed = byRole["wind_speed"], let from = byRole["wind_from_direction"] {
            winds = zip(speed, from).map { Wind(speed: $0, fromDegrees: $1) }
        } else {
            return []
        }
        // Given as speed and direction, the speed is a band already (its role): only the direction is added.
        let speed = byRole["wind_speed"] == nil ? [SpreadBand(name: "wind_speed", values: winds.map(\.speed))] : []
        return speed + [SpreadBand(name: "wind_dir_sin", values: winds.map(\.towardSin)),
                        SpreadBand(name: "wind_dir_cos", values: winds.map(\.towardCos))]
    }
}
