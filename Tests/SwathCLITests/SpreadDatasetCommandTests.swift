import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// `swath spread-dataset` on a project of two dated scenes of one growing fire, with the weather fixture's wind:
/// the dataset is written (samples, items, features.json, card on stdout), and each bad input is one line, exit 1,
/// with nothing left behind.
@Suite struct SpreadDatasetCommandTests {
    /// A project with the utm_multiband fixture ingested twice (06:00 and 12:00 UTC, 2026-08-01) and the fire on each.
    static func project(in directory: TemporaryDirectory, dates: [String] = ["2026-08-01T06:00:00Z", "2026-08-01T12:00:00Z"]) throws -> String {
        let db = directory.file("spread.sqlite")
        #expect(try swath(["admin", "create-project", "--db", db, "--customer", "C", "--codename", "ASH", "--tile-size", "256"]).status == 0)
        let easts = [601_000, 601_500]
        for (index, date) in dates.enumerated() {
            let scene = directory.file("day\(index + 1).tif")
            try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: scene)
            let ingested = try swath(["ingest", "--db", db, "--project", "1", scene, "--acquired-at", date])
            #expect(ingested.status == 0, "\(ingested.stderr)")
            let burn = directory.file("burn\(index + 1).geojson")
            let east = easts[min(index, easts.count - 1)]
            try (#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32610"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[600500,4298800],["#
                + "\(east),4298800],[\(east),4299300],[600500,4299300],[600500,4298800]]]}}]}").write(toFile: burn, atomically: true, encoding: .utf8)
            let imported = try swath(["import", "--db", db, "--scene", "\(index + 1)", burn, "--class", "204"])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        return db
    }

    @Test func writesTheDatasetAndItsCard() throws {
        let directory = try TemporaryDirectory("swath-spread-cli")
        let db = try Self.project(in: directory)
        let weather = try WeatherFixture()
        let out = directory.file("dataset")
        let run = try swath(["spread-dataset", "--db", db, "--project", "1", "--out", out, "--status", "open", "--window", "16", "--stride", "8",
                             "--weather", "NETCDF:\"\(weather.weather)\":u10=wind_u", "--weather", "NETCDF:\"\(weather.weather)\":v10=wind_v"])
        #expect(run.status == 0, "\(run.stderr)")
        let card = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(card["fires"] as? Int == 1 && card["resolution"] as? Double == 10)
        let splits = try #require(card["splits"] as? [String: [String: Any]])
        let samples = splits.values.compactMap { $0["samples"] as? Int }.reduce(0, +)
        #expect(samples > 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: out)
        #expect(files.filter { $0.hasSuffix(".tif") }.count == samples && files.filter { $0.hasSuffix(".json") && $0.hasPrefix("samples/") }.count == samples)
        #expect(files.contains("features.json") && files.contains("card.json"))
    }

    /// To an S3 prefix (moto's server): the same files, byte for byte, as the same dataset written to a folder — Zarr
    /// cubes' dot-named metadata included — the card last; a prefix already holding a dataset refused before any work.
    @Test func toS3AsToAFolder() throws {
        let s3 = try MotoS3()
        let directory = try TemporaryDirectory("swath-spread-s3")
        let db = try Self.project(in: directory)
        let weather = try WeatherFixture()
        try s3.put(weather.weather, bucket: "spread", key: "in/weather.nc")  // makes the bucket
        // No --stride: half the window.
        let arguments = ["spread-dataset", "--db", db, "--project", "1", "--status", "open", "--window", "16", "--cube-format", "zarr",
                         "--weather", "NETCDF:\"\(weather.weather)\":u10=wind_u", "--weather", "NETCDF:\"\(weather.weather)\":v10=wind_v"]
        let remote = try Shell.run("/usr/bin/env", s3.environment + [Fixture.swathBinary] + arguments + ["--out", "s3://spread/out/ds/"])
        #expect(remote.status == 0, "\(remote.stderr)")
        let local = try swath(arguments + ["--out", directory.file("local")])
        #expect(local.status == 0, "\(local.stderr)")
        try s3.get(bucket: "spread", prefix: "out/ds/", into: directory.file("remote"))
        let manager = FileManager.default
        let files = { (folder: String) in Set(try manager.subpathsOfDirectory(atPath: folder).filter { path in
            var isFolder: ObjCBool = false
            return manager.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder) && !isFolder.boolValue
        }) }
        let ours = try files(directory.file("remote")), theirs = try files(directory.file("local"))
        #expect(ours == theirs && theirs.contains("cubes/fire1.zarr/features/.zarray") && theirs.contains("card.json"))
        for name in theirs {
            #expect(manager.contents(atPath: directory.file("remote/\(name)")) == manager.contents(atPath: directory.file("local/\(name)")), "\(name)")
        }
        #expect(remote.stdout == local.stdout, "the same card")
        let again = try Shell.run("/usr/bin/env", s3.environment + [Fixture.swathBinary] + arguments + ["--out", "s3://spread/out/ds/"])
        #expect(again.status == 1 && errorLines(again).first?.contains("s3://spread/out/ds/ is not empty") == true, "\(again.stderr)")
    }

    /// Weather read from S3 (moto's server): the fixture cube as a Zarr store written by xarray and uploaded key by key,
    /// and as GRIB2 messages, give the same samples, byte for byte, as the local NetCDF.
    @Test func weatherFromS3() throws {
        let s3 = try MotoS3()
        let directory = try TemporaryDirectory("swath-spread-s3-weather")
        let db = try Self.project(in: directory)
        let weather = try WeatherFixture()
        let zarr = directory.file("weather.zarr")
        let written = try Shell.run("python3", ["-c", "import sys, xarray; xarray.open_dataset(sys.argv[1]).to_zarr(sys.argv[2], zarr_format=2, consolidated=False)",
                                                weather.weather, zarr])
        try #require(written.status == 0, "\(written.stderr)")
        let manager = FileManager.default
        for name in try manager.subpathsOfDirectory(atPath: zarr) {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: zarr + "/" + name, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            try s3.put(zarr + "/" + name, bucket: "weather", key: "era5.zarr/" + name)
        }
        try s3.put(weather.directory.file("weather.grb2"), bucket: "weather", key: "gfs.grb2")
        let common = ["spread-dataset", "--db", db, "--project", "1", "--status", "open", "--window", "16"]
        let runs: [(String, [String])] = [
            ("netcdf", ["--weather", "NETCDF:\"\(weather.weather)\":u10=u10"]),
            ("zarr", ["--weather", "ZARR:\"s3://weather/era5.zarr\":/u10=u10"]),
            ("grib", ["--weather", "GRIB:\"s3://weather/gfs.grb2\":UGRD_10-HTGL=u10"]),
        ]
        for (name, source) in runs {
            let run = try Shell.run("/usr/bin/env", s3.environment + [Fixture.swathBinary] + common + source + ["--out", directory.file(name)])
            #expect(run.status == 0, "\(name): \(run.stderr)")
        }
        let samples = try manager.subpathsOfDirectory(atPath: directory.file("netcdf")).filter { $0.hasPrefix("samples/") && $0.hasSuffix(".tif") }
        #expect(!samples.isEmpty)
        for name in ["zarr", "grib"] {
            for sample in samples {
                #expect(manager.contents(atPath: directory.file("\(name)/\(sample)")) == manager.contents(atPath: directory.file("netcdf/\(sample)")),
                        "\(name): \(sample)")
            }
        }
    }

    @Test func badInputIsOneLineAndLeavesNothing() throws {
        let directory = try TemporaryDirectory("swath-spread-cli-bad")
        let weather = try WeatherFixture()
        let oneDate = try Self.project(in: directory, dates: ["2026-08-01T06:00:00Z"])
        let out = directory.file("never")
        for (arguments, words) in [
            (["--db", oneDate], "no spread pairs: none of the 1 fire(s) is labeled on two dates"),
            (["--db", oneDate, "--weather", "NETCDF:\"\(weather.weather)\":u10=wind_u"], "wind_u needs wind_v too"),
            (["--db", oneDate, "--weather", "\(weather.notime)=humidity"], "has no time dimension"),
            (["--db", oneDate, "--window", "2"], "--window must be 4–1024"),
            (["--db", oneDate, "--split", "fire:0.5,0.5"], "three shares"),
            (["--db", oneDate, "--weather-time", "nearest"], "--weather-time must be before or interp"),
            (["--db", oneDate, "--cube-format", "hdf5"], "--cube-format must be netcdf or zarr"),
            // The fixture's scenes are 2,560 × 1,920 m: 200 cells of 10 m do not fit.
            (["--db", oneDate, "--window", "200", "--stride", "100"], "--window 200 cells of 10.0 m (2000.0 m) is larger than the scenes"),
        ] {
            let result = try swath(["spread-dataset", "--project", "1", "--out", out, "--status", "open"] + arguments)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            let lines = errorLines(result)
            #expect(lines.count == 1 && lines.first?.contains(words) == true, "\(arguments): \(lines)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
