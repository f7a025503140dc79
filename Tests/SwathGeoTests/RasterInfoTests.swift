import Foundation
import Testing
import SwathGeo
import SwathTestSupport

@Suite struct RasterInfoTests {
    @Test func utmSceneBBoxHoldsEveryCornerFromPROJ() throws {
        let info = try RasterInfo(Raster.open(Fixture.path("utm_multiband.tif")))
        let bbox = try #require(info.bboxWGS84)
        let corners = try GDALTools.toLonLat(fromEPSG: 32610, [
            Point(x: 600000, y: 4300000), Point(x: 600000, y: 4298080),
            Point(x: 602560, y: 4298080), Point(x: 602560, y: 4300000),
        ])
        // North-up UTM near the central meridian: the extremes are the corners.
        #expect(abs(bbox[0] - corners.map(\.x).min()!) < 1e-9)
        #expect(abs(bbox[1] - corners.map(\.y).min()!) < 1e-9)
        #expect(abs(bbox[2] - corners.map(\.x).max()!) < 1e-9)
        #expect(abs(bbox[3] - corners.map(\.y).max()!) < 1e-9)
        #expect(info.georeferenced && !info.rotated)
        #expect(info.overviews == [[128, 96], [64, 48]])
    }

    @Test func sceneWithoutCRSHasNoFootprint() throws {
        let info = try RasterInfo(Raster.open(Fixture.path("no_crs.tif")))
        #expect(info.crs == nil && info.bboxWGS84 == nil && !info.georeferenced)
        let json = String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
        #expect(json.contains("\"crs\":null"))
        #expect(json.contains("\"noData\":\"NaN\""))
    }
}
