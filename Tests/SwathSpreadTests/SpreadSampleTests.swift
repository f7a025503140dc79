import Foundation
import Testing
import SwathGeo
import SwathSpread
import SwathTestSupport

/// One sample end to end on the weather fixture's grid: today's fire and tomorrow's targets as GDAL burns
/// them, the wind bands equal to gdalwarp's slice, speed and direction by hand, all named and georeferenced
/// in the written GeoTIFF.
@Suite struct SpreadSampleTests {
    @Test func aSampleHoldsItsInputsAndTargets() throws {
        let fixture = try WeatherFixture()
        let utm = try CRS(WeatherFixture.grid.crs).wkt
        let grid = FireGrid(crsWKT: utm, transform: WeatherFixture.grid.transform, size: WeatherFixture.grid.size)
        // A fire 2 km wide at first, 3 km the day after (cells of 200 m: columns 5–14, then 5–19; rows 5–14).
        let today = try grid.mask(.rectangle(minX: 601_000, minY: 4_297_000, maxX: 603_000, maxY: 4_299_000))
        let tomorrow = try grid.mask(.rectangle(minX: 601_000, minY: 4_297_000, maxX: 604_000, maxY: 4_299_000))
        let start = Date(timeIntervalSince1970: 1_785_542_400)
        let layers = try ["u10=wind_u", "v10=wind_v"].map { try WeatherLayer(WeatherSource(argument: "NETCDF:\"\(fixture.weather)\":\($0)")) }
        let window = Window(col: 0, row: 0, width: 30, height: 30)
        let bands = try SpreadSampleBands(weather: layers, mode: .before).bands(grid: grid, window: window, today: today, tomorrow: tomorrow,
                                                                                at: start.addingTimeInterval(7 * 3600))
        #expect(bands.map(\.name) == ["fire_mask", "wind_u", "wind_v", "wind_speed", "wind_dir_sin", "wind_dir_cos",
                                      "spread_dir_sin", "spread_dir_cos", "wind_spread_alignment", "target_fire_mask", "target_burned_new"])
        let named = Dictionary(uniqueKeysWithValues: bands.map { ($0.name, $0.values) })
        // The 6:00 step (the last before 7:00), as gdalwarp makes it, in the window's 30 columns.
        let u = try fixture.reference("u10", step: 1), v = try fixture.reference("v10", step: 1)
        let inWindow = { (full: [Float]) in (0..<30).flatMap { row in full[(row * 40)..<(row * 40 + 30)] } }
        #expect(zip(named["wind_u"] ?? [], inWindow(u)).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) })
        for (index, (x, y)) in zip(inWindow(u), inWindow(v)).enumerated() {
            let speed = (x * x + y * y).squareRoot()
            #expect(abs((named["wind_speed"]?[index] ?? 0) - speed) <= 1e-3 * max(1, speed))
            #expect(abs((named["wind_dir_sin"]?[index] ?? 0) - x / speed) <= 1e-3)
        }
        // Two cells east of the fire's east side, in row 9 (rows 8 and 10 are as far from it): the front faces due east,
        // so the wind's alignment with it is u / |wind| there.
        let east = 9 * 30 + 16
        #expect(named["spread_dir_sin"]?[east] == 1 && named["spread_dir_cos"]?[east] == 0)
        let (u9, v9) = (inWindow(u)[east], inWindow(v)[east])
        #expect(abs((named["wind_spread_alignment"]?[east] ?? 0) - u9 / (u9 * u9 + v9 * v9).squareRoot()) <= 1e-4)
        // New burn: columns 15–19 of rows 5–14, 50 cells, by hand.
        #expect(named["target_burned_new"]?.reduce(0, +) == 50)
        #expect(named["fire_mask"]?.reduce(0, +) == 100 && named["target_fire_mask"]?.reduce(0, +) == 150)

        let out = fixture.directory.url.appendingPathComponent("sample.tif")
        try SpreadSampleWriter.write(bands, grid: grid, window: window, metadata: ["gap_days": "1", "fire": "1"], to: out)
        let info = try GDALTools.info(out.path)
        let descriptions = (info["bands"] as? [[String: Any]])?.compactMap { $0["description"] as? String }
        #expect(descriptions == bands.map(\.name))
        #expect((info["geoTransform"] as? [Double]) == grid.transform.coefficients)
        #expect(((info["metadata"] as? [String: Any])?[""] as? [String: String])?["gap_days"] == "1")
        #expect(!FileManager.default.fileExists(atPath: out.path + ".part"))
        let written = try Raster.open(out.path)
        #expect(try written.read(written.bounds, bands: [11], as: Float.self) == named["target_burned_new"])
    }
}
