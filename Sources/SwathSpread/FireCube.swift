import Foundation
import SwathGeo

/// One fire as a sequence, the way xarray users want it: a CF NetCDF file (or
/// Zarr) holding `features(time, variable, y, x)` — at each observation the
/// fire mask and every weather variable on the fire's whole grid — with the
/// coordinates: time (CF, seconds since 1970), the variables' names, and the
/// cells' centres in the grid's CRS (written as CF's grid_mapping).
public enum FireCube {
    public static func write(track: FireTrack, grid: FireGrid, weather: [WeatherLayer], mode: WeatherTimeMode, to url: URL, driver: String = "netCDF") throws {
        var variables = [SpreadBand.fireMask] + weather.map(\.source.role)
        var planes: [[[Float]]] = []  // [time][variable][cell]
        for observation in track.observations {
            var row: [[Float]] = [try grid.mask(observation.perimeter).map { $0 ? 1 : 0 }]
            var byRole: [String: [Float]] = [:]
            for layer in weather {
                let values = try layer.onGrid(at: observation.time, mode: mode, crsWKT: grid.crsWKT, transform: grid.transform, size: grid.size)
                byRole[layer.source.role] = values
                row.append(values)
            }
            let wind = SpreadSampleBands.wind(byRole)
            if planes.isEmpty { variables += wind.map(\.name) }
            row += wind.map(\.values)
            planes.append(row)
        }
        let part = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".part")
        try? FileManager.default.removeItem(at: part)
        let writer = try MultiDimensionalWriter(path: part.path, driver: driver)
        let time = try writer.dimension("time", type: "TEMPORAL", size: track.observations.count)
        let variable = try writer.dimension("variable", type: "", size: variables.count)
        let y = try writer.dimension("y", type: "HORIZONTAL_Y", size: grid.size.height)
        let x = try writer.dimension("x", type: "HORIZONTAL_X", size: grid.size.width)
        try writer.coordinates(time, values: track.observations.map { $0.time.timeIntervalSince1970 },
                               attributes: ["units": "seconds since 1970-01-01 00:00:00", "calendar": "standard", "standard_name": "time"])
        try writer.names(variable, values: variables)
        let c = grid.transform.coefficients
        try writer.coordinates(y, values: (0..<grid.size.height).map { c[3] + (Double($0) + 0.5) * c[5] },
                               attributes: ["standard_name": "projection_y_coordinate", "units": "m"])
        try writer.coordinates(x, values: (0..<grid.size.width).map { c[0] + (Double($0) + 0.5) * c[1] },
                               attributes: ["standard_name": "projection_x_coordinate", "units": "m"])
        try writer.array("features", dimensions: [time, variable, y, x], values: planes.flatMap { $0.flatMap { $0 } }, unit: "",
                         crs: CRS(name: "", wkt: grid.crsWKT, epsg: nil, projJSON: nil, isGeographic: false),
                         attributes: ["long_name": "fire \(track.id): inputs at each observation (see features.json)"])
        try writer.close()
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: part, to: url)
    }
}
