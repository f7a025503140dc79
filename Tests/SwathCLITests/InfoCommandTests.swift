import Foundation
import Testing
import SwathGeo
import SwathTestSupport

@Suite struct InfoCommandTests {
    @Test func jsonHasEveryFieldAndAgreesWithGdalinfo() throws {
        let path = Fixture.path("utm_multiband.tif")
        let result = try swath(["info", path, "--json"])
        #expect(result.status == 0)
        let info = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let reference = try GDALTools.info(path)
        #expect(info["width"] as? Int == 256 && info["height"] as? Int == 192 && info["bandCount"] as? Int == 4)
        #expect(info["geoTransform"] as? [Double] == reference["geoTransform"] as? [Double])
        #expect(info["blockSize"] as? [Int] == [128, 128])
        #expect(info["overviews"] as? [[Int]] == [[128, 96], [64, 48]])
        let crs = info["crs"] as! [String: Any]
        #expect(crs["epsg"] as? Int == 32610)
        #expect((crs["wkt"] as? String)?.hasPrefix("PROJCRS[\"WGS 84 / UTM zone 10N\"") == true)
        let bands = info["bands"] as! [[String: Any]]
        #expect(bands.map { $0["index"] as? Int } == [1, 2, 3, 4])
        #expect(bands.map { $0["description"] as? String } == ["blue", "green", "red", "nir"])
        #expect(bands.allSatisfy { $0["dataType"] as? String == "UInt16" && $0["noData"] as? Double == 0 })
        #expect(bands.map { $0["colorInterpretation"] as? String } == ["Blue", "Green", "Red", "Undefined"])
        let bbox = info["bboxWGS84"] as! [Double]
        let corners = try GDALTools.toLonLat(fromEPSG: 32610, [
            Point(x: 600000, y: 4300000), Point(x: 600000, y: 4298080), Point(x: 602560, y: 4298080), Point(x: 602560, y: 4300000),
        ])
        let expected = [corners.map(\.x).min()!, corners.map(\.y).min()!, corners.map(\.x).max()!, corners.map(\.y).max()!]
        for (ours, reference) in zip(bbox, expected) { #expect(abs(ours - reference) < 1e-9) }
    }

    /// The scene the issue was found with: 400 km in NSIDC Polar Stereographic North centred on the pole. Its bbox
    /// spans every longitude up to 90° N, the south edge at the corners' latitude (cs2cs), and its footprint holds the pole.
    @Test func aSceneOverTheNorthPoleReportsEveryLongitude() throws {
        let directory = try TemporaryDirectory("swath-polar-info")
        let path = try PolarScene.make(epsg: 3413, in: directory)
        let result = try swath(["info", path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let info = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let bbox = try #require(info["bboxWGS84"] as? [Double])
        let corners = try GDALTools.toLonLat(fromEPSG: 3413, [Point(x: -200_000, y: 200_000), Point(x: 200_000, y: -200_000)])
        #expect(bbox[0] == -180 && bbox[2] == 180 && bbox[3] == 90, "\(bbox)")
        #expect(abs(bbox[1] - corners.map(\.y).min()!) < 1e-4, "\(bbox) vs cs2cs \(corners)")
        // Cut at ±180° and closed along the pole: one ring from −180° to 180° here (the top-left corner lies on
        // 180° W in this CRS), two when the outline starts elsewhere.
        let footprint = try #require(info["footprintWGS84"] as? [String: Any])
        let rings = footprint["type"] as? String == "Polygon" ? (footprint["coordinates"] as? [[[Double]]]).map { [$0[0]] } ?? []
            : (footprint["coordinates"] as? [[[[Double]]]] ?? []).map { $0[0] }
        let positions = rings.flatMap { $0 }
        #expect(positions.contains { $0 == [180, 90] } && positions.contains { $0 == [-180, 90] }, "closed along the pole: \(footprint["type"] ?? "")")
        #expect(positions.allSatisfy { (-180...180).contains($0[0]) })
    }

    /// Mars has no way to WGS84 (PROJ: another celestial body): no footprint, said with the file, the CRS and why.
    @Test func aCRSThatCannotReachWGS84IsRefusedAndSaysWhy() throws {
        let directory = try TemporaryDirectory("swath-mars-info")
        let path = directory.file("mars.tif")
        let made = try Shell.run("gdal_translate", ["-q", "-a_srs", "IAU_2015:49910", "-a_ullr", "0", "100000", "100000", "0",
                                                    Fixture.path("antimeridian.tif"), path])
        #expect(made.status == 0, "\(made.stderr)")
        let result = try swath(["info", path, "--json"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "nothing half-printed: \(result.stdout)")
        let lines = errorLines(result)
        #expect(lines.count == 1, "one line, PROJ's own chatter kept out: \(lines)")
        #expect(lines.first?.hasPrefix("swath: error: \(path): has no footprint in WGS84") == true, "\(lines)")
        #expect(lines.first?.contains("Mars (2015)") == true && lines.first?.contains("celestial body") == true, "\(lines)")
    }

    @Test func sceneWithoutCRSPrintsNulls() throws {
        let result = try swath(["info", Fixture.path("no_crs.tif"), "--json"])
        let info = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(info["crs"] is NSNull && info["bboxWGS84"] is NSNull && info["geoTransform"] is NSNull)
    }

    @Test func textOutputNamesTheCRSAndFootprint() throws {
        let result = try swath(["info", Fixture.path("rotated.tif")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("EPSG:32633 (WGS 84 / UTM zone 33N)"))
        #expect(result.stdout.contains("rotated geotransform"))
        #expect(result.stdout.contains("Footprint (WGS84 lon/lat)"))
    }

    @Test(arguments: [
        ("/no/such/file.tif", "/no/such/file.tif: no such file"),
        (Fixture.path("not_a_raster.tif"), "not a raster GDAL can read"),
    ])
    func badInputIsOneLineAndNonZero(_ path: String, _ message: String) throws {
        let result = try swath(["info", path])
        #expect(result.status == 1)
        let lines = errorLines(result)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("swath: error: \(path)") == true)
        #expect(lines.first?.contains(message) == true)
    }
}

@Suite struct InfoPROJJSONTests {
    @Test func projjsonIsAnObjectWithTheEPSGId() throws {
        let result = try swath(["info", Fixture.path("geographic.tif"), "--json"])
        let info = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let crs = info["crs"] as! [String: Any]
        #expect(crs["name"] as? String == "WGS 84")
        let projjson = try #require(crs["projjson"] as? [String: Any])
        #expect(projjson["type"] as? String == "GeographicCRS")
        #expect((projjson["id"] as? [String: Any])?["code"] as? Int == 4326)
    }
}
