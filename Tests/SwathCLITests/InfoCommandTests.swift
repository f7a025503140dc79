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
