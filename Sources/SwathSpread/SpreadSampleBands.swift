import Foundation
import SwathGeo

/// The planes of a fire at one observation, on its whole grid — today's fire, every weather role at today's
/// time (GDAL bilinear), wind speed and the azimuth it pushes toward when wind is given as components or as
/// speed and direction, the direction the front spreads into and the wind's alignment with it, the scenes'
/// spectral indices (NDVI, NBR), with land-cover
/// labels the fuel class, with a DEM elevation, slope and the wind's alignment with upslope — and the samples
/// cut from them: a window of those inputs with tomorrow's fire and the ground newly burned by then.
public struct SpreadSampleBands: Sendable {
    public let weather: [WeatherLayer]
    public let mode: WeatherTimeMode

    public init(weather: [WeatherLayer], mode: WeatherTimeMode) {
        (self.weather, self.mode) = (weather, mode)
    }

    /// Every input plane on the whole grid at `time`, with `today` burned.
    /// `spectral`: planes of the scenes observed at `time` (`FireSpectra`), added after the wind's.
    public func inputs(grid: FireGrid, today: [Bool], at time: Date, terrain: FireTerrain? = nil, fuel: FireFuel? = nil,
                       spectral: [SpreadBand] = []) throws -> [SpreadBand] {
        var bands = [SpreadBand(name: SpreadBand.fireMask, values: today.map { $0 ? 1 : 0 })]
        var byRole: [String: [Float]] = [:]
        for layer in weather {
            let values = try layer.onGrid(at: time, mode: mode, crsWKT: grid.crsWKT, transform: grid.transform, size: grid.size)
            byRole[layer.source.role] = values
            bands.append(SpreadBand(name: layer.source.role, values: values))
        }
        let winds = Self.winds(byRole)
        bands += Self.wind(byRole)
        let front = try FrontDirection(grid: grid, burned: today)
        bands += [SpreadBand(name: "spread_dir_sin", values: front.sin), SpreadBand(name: "spread_dir_cos", values: front.cos)]
        if let winds {
            bands.append(SpreadBand(name: "wind_spread_alignment", values: Self.alignment(winds, sin: front.sin, cos: front.cos)))
        }
        bands += spectral
        if let fuel { bands.append(SpreadBand(name: "fuel_class", values: fuel.classes)) }
        if let terrain {
            bands.append(SpreadBand(name: "elevation", values: terrain.elevation))
            bands.append(SpreadBand(name: "slope_deg", values: terrain.slopeDegrees))
            if let winds {
                bands.append(SpreadBand(name: "wind_upslope_alignment", values: Self.alignment(winds, sin: terrain.upslopeSin, cos: terrain.upslopeCos)))
            }
        }
        return bands
    }

    /// One sample: `inputs` (whole-grid planes) cut to `window`, then tomorrow's fire and the newly burned ground.
    public static func sample(_ inputs: [SpreadBand], grid: FireGrid, window: Window, today: [Bool], tomorrow: [Bool]) -> [SpreadBand] {
        let cut = { (plane: [Float]) in Self.cut(plane, width: grid.size.width, window: window) }
        let todayCut = cut(today.map { $0 ? 1 : 0 }), tomorrowCut = cut(tomorrow.map { $0 ? 1 : 0 })
        return inputs.map { SpreadBand(name: $0.name, values: cut($0.values)) } + [
            SpreadBand(name: SpreadBand.targetFireMask, values: tomorrowCut),
            SpreadBand(name: SpreadBand.targetBurnedNew, values: zip(todayCut, tomorrowCut).map { $0 == 0 && $1 == 1 ? 1 : 0 }),
        ]
    }

    /// A sample computed on its own: the inputs on the whole grid, cut to the window.
    public func bands(grid: FireGrid, window: Window, today: [Bool], tomorrow: [Bool], at time: Date,
                      terrain: FireTerrain? = nil, fuel: FireFuel? = nil) throws -> [SpreadBand] {
        Self.sample(try inputs(grid: grid, today: today, at: time, terrain: terrain, fuel: fuel), grid: grid, window: window, today: today, tomorrow: tomorrow)
    }

    /// A window of a plane that covers a grid `width` cells wide, row by row.
    public static func cut(_ plane: [Float], width: Int, window: Window) -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(window.width * window.height)
        for row in window.row..<window.row + window.height {
            values += plane[(row * width + window.col)..<(row * width + window.col + window.width)]
        }
        return values
    }

    /// The cosine between the wind's push and a direction given as (sin, cos) per cell.
    static func alignment(_ winds: [Wind], sin: [Float], cos: [Float]) -> [Float] {
        (0..<sin.count).map { winds[$0].alignment(sin: sin[$0], cos: cos[$0]) }
    }

    /// The wind at every cell, from whichever pair of wind roles there is; nil without one.
    static func winds(_ byRole: [String: [Float]]) -> [Wind]? {
        if let u = byRole["wind_u"], let v = byRole["wind_v"] {
            return zip(u, v).map { Wind(u: $0, v: $1) }
        }
        if let speed = byRole["wind_speed"], let from = byRole["wind_from_direction"] {
            return zip(speed, from).map { Wind(speed: $0, fromDegrees: $1) }
        }
        return nil
    }

    /// wind_speed, wind_dir_sin, wind_dir_cos (toward), from whichever pair of wind roles there is.
    static func wind(_ byRole: [String: [Float]]) -> [SpreadBand] {
        guard let winds = winds(byRole) else { return [] }
        // Given as speed and direction, the speed is a band already (its role): only the direction is added.
        let speed = byRole["wind_speed"] == nil ? [SpreadBand(name: "wind_speed", values: winds.map(\.speed))] : []
        return speed + [SpreadBand(name: "wind_dir_sin", values: winds.map(\.towardSin)),
                        SpreadBand(name: "wind_dir_cos", values: winds.map(\.towardCos))]
    }
}
