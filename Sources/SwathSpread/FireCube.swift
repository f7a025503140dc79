import Foundation
import SwathGeo

/// One fire as a sequence, the way xarray users want it: `features(time, variable, y, x)` — at each
/// observation every input plane of its samples on the fire's whole grid — with the coordinates: time (CF,
/// seconds since 1970), the variables' names, and the cells' centres in the grid's CRS (CF's grid_mapping),
/// as CF NetCDF-4 or Zarr. Written one observation at a time (`append`), so only one time slab is ever in
/// memory, under a `.part` name renamed by `finish`.
public final class FireCube {
    public let url: URL
    private let part: URL
    private let format: CubeFormat
    private let grid: FireGrid
    private let times: [Date]
    private let fire: Int
    private var writer: MultiDimensionalWriter?
    private var features: OutputArray?
    private var variables: [String] = []

    /// `folder/fire<N>.nc` (or `.zarr`) for `times`, the fire's observations.
    public init(folder: URL, fire: Int, format: CubeFormat, grid: FireGrid, times: [Date]) {
        url = folder.appendingPathComponent("fire\(fire).\(format.fileExtension)")
        part = folder.appendingPathComponent("fire\(fire).\(format.fileExtension).part")
        (self.fire, self.format, self.grid, self.times) = (fire, format, grid, times)
    }

    /// The inputs at observation `index` (whole-grid planes); the first call fixes the variables.
    public func append(_ inputs: [SpreadBand], at index: Int) throws {
        if features == nil { try create(variables: inputs.map(\.name)) }
        guard let features, inputs.map(\.name) == variables, times.indices.contains(index) else {
            throw SpreadError("fire \(fire)'s cube: observation \(index + 1) has other variables than the first (\(inputs.map(\.name)) against \(variables))")
        }
        // One variable at a time: no copy of the whole slab.
        for (variable, band) in inputs.enumerated() {
            try features.write(band.values, start: [index, variable, 0, 0], count: [1, 1, grid.size.height, grid.size.width])
        }
    }

    /// Closes the dataset and gives it its final name.
    public func finish() throws {
        features = nil
        try writer?.close()
        writer = nil
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: part, to: url)
    }

    private func create(variables: [String]) throws {
        try? FileManager.default.removeItem(at: part)
        let writer = try MultiDimensionalWriter(path: part.path, driver: format.driver)
        let time = try writer.dimension("time", type: "TEMPORAL", size: times.count)
        let variable = try writer.dimension("variable", type: "", size: variables.count)
        let y = try writer.dimension("y", type: "HORIZONTAL_Y", size: grid.size.height)
        let x = try writer.dimension("x", type: "HORIZONTAL_X", size: grid.size.width)
        try writer.coordinates(time, values: times.map(\.timeIntervalSince1970),
                               attributes: ["units": "seconds since 1970-01-01 00:00:00", "calendar": "standard", "standard_name": "time"])
        try writer.names(variable, values: variables)
        let c = grid.transform.coefficients
        try writer.coordinates(y, values: (0..<grid.size.height).map { c[3] + (Double($0) + 0.5) * c[5] },
                               attributes: ["standard_name": "projection_y_coordinate", "units": "m"])
        try writer.coordinates(x, values: (0..<grid.size.width).map { c[0] + (Double($0) + 0.5) * c[1] },
                               attributes: ["standard_name": "projection_x_coordinate", "units": "m"])
        features = try writer.array("features", dimensions: [time, variable, y, x], unit: "",
                                    crs: CRS(name: "", wkt: grid.crsWKT, epsg: nil, projJSON: nil, isGeographic: false),
                                    attributes: ["long_name": "fire \(fire): inputs at each observation (see features.json)"])
        (self.writer, self.variables) = (writer, variables)
    }

    /// A fire's whole cube in one call (its inputs computed here).
    public static func write(track: FireTrack, grid: FireGrid, weather: [WeatherLayer], mode: WeatherTimeMode, in folder: URL,
                             format: CubeFormat = .netcdf, terrain: FireTerrain? = nil, fuel: FireFuel? = nil) throws -> URL {
        let cube = FireCube(folder: folder, fire: track.id, format: format, grid: grid, times: track.observations.map(\.time))
        let maker = SpreadSampleBands(weather: weather, mode: mode)
        for (index, observation) in track.observations.enumerated() {
            let today = try grid.mask(observation.perimeter)
            try cube.append(try maker.inputs(grid: grid, today: today, at: observation.time, terrain: terrain, fuel: fuel), at: index)
        }
        try cube.finish()
        return cube.url
    }
}
