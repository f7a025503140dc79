import Foundation
import Testing
import SwathGeo
import SwathSpread
import SwathTestSupport

/// A fire's cube read back by xarray (the netCDF4 engine, as trainers open it) and by gdalmdiminfo: its
/// dimensions, the variables' names, times decoded from CF units, cell-centre coordinates, the fire's area
/// at each time by hand and the wind equal to the weather on the grid.
@Suite struct FireCubeTests {
    @Test(arguments: CubeFormat.allCases) func xarrayOpensItWithItsCoordinates(format: CubeFormat) throws {
        let fixture = try WeatherFixture()
        let utm = try CRS("EPSG:32610").wkt
        let start = Date(timeIntervalSince1970: 1_785_542_400)
        let burns = [DatedBurn(time: start.addingTimeInterval(6 * 3600), shape: .rectangle(minX: 601_000, minY: 4_297_000, maxX: 601_500, maxY: 4_297_500), sceneId: 1),
                     DatedBurn(time: start.addingTimeInterval(12 * 3600), shape: .rectangle(minX: 601_000, minY: 4_297_000, maxX: 602_000, maxY: 4_297_500), sceneId: 2)]
        let track = try #require(try FireTrack.tracks(from: burns).first)
        let grid = try FireGrid(footprint: track.footprint, crsWKT: utm, resolution: 10, marginCells: 8)
        let layers = try ["u10=wind_u", "v10=wind_v"].map { try WeatherLayer(WeatherSource(argument: "NETCDF:\"\(fixture.weather)\":\($0)")) }
        let cube = try FireCube.write(track: track, grid: grid, weather: layers, mode: .before, in: fixture.directory.url, format: format)
        #expect(cube.lastPathComponent == (format == .netcdf ? "fire1.nc" : "fire1.zarr"))
        #expect(!FileManager.default.fileExists(atPath: cube.path + ".part"))

        let script = """
        import json, sys, xarray
        ds = xarray.open_dataset(sys.argv[1], engine='zarr', consolidated=False) if sys.argv[1].endswith('.zarr') else xarray.open_dataset(sys.argv[1])
        f = ds['features']
        print(json.dumps({'dims': list(f.dims), 'sizes': [int(f.sizes[d]) for d in f.dims],
            'variables': [str(v) for v in f['variable'].values],
            'times': [str(t)[:19] for t in f['time'].values],
            'x0': float(f['x'][0]), 'y0': float(f['y'][0]),
            'fire': [float(v) for v in f.sel(variable='fire_mask').sum(dim=('y', 'x')).values],
            'u': [float(v) for v in f.sel(variable='wind_u').isel(time=0).values.ravel()[:50]]}))
        """
        let read = try Shell.run("python3", ["-c", script, cube.path])
        try #require(read.status == 0, "xarray: \(read.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        #expect(seen["dims"] as? [String] == ["time", "variable", "y", "x"])
        #expect(seen["sizes"] as? [Int] == [2, 9, grid.size.height, grid.size.width])
        #expect(seen["variables"] as? [String] == ["fire_mask", "wind_u", "wind_v", "wind_speed", "wind_dir_sin", "wind_dir_cos",
                                                  "spread_dir_sin", "spread_dir_cos", "wind_spread_alignment"])
        #expect(seen["times"] as? [String] == ["2026-08-01T06:00:00", "2026-08-01T12:00:00"])
        let c = grid.transform.coefficients
        #expect(seen["x0"] as? Double == c[0] + 5 && seen["y0"] as? Double == c[3] - 5, "cell centres")
        // 500 m × 500 m, then 1,000 m × 500 m, of 10 m cells.
        #expect(seen["fire"] as? [Double] == [2_500, 5_000])
        let u = try layers[0].onGrid(at: burns[0].time, mode: .before, crsWKT: utm, transform: grid.transform, size: grid.size)
        #expect((seen["u"] as? [Double])?.map { Float($0) } == Array(u.prefix(50)))

        // And GDAL's own multidimensional reader sees the same dimensions.
        let info = try Shell.run("gdalmdiminfo", [cube.path])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        let dimensions = (document["dimensions"] as? [[String: Any]] ?? []).compactMap { dimension in
            (dimension["name"] as? String).map { ($0, dimension["size"] as? Int ?? -1) }
        }
        #expect(Dictionary(uniqueKeysWithValues: dimensions) == ["time": 2, "variable": 9, "y": grid.size.height, "x": grid.size.width])
    }
}
