import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// Coordinates against PROJ's own cs2cs, and lon/lat order checked explicitly.
@Suite struct ReprojectorTests {
    @Test func utmToWGS84MatchesCs2cs() throws {
        let points = [Point(x: 600000, y: 4300000), Point(x: 602560, y: 4298080), Point(x: 500000, y: 0)]
        let ours = try Reprojector.toWGS84(from: CRS("EPSG:32610")).forward(points)
        let reference = try GDALTools.toLonLat(fromEPSG: 32610, points)
        for (a, b) in zip(ours, reference) {
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9, "\(a) vs \(b)")
        }
        // UTM 10N's central meridian is 123°W: lon first, lat second.
        #expect(abs(ours[2].x - -123) < 1e-9 && abs(ours[2].y) < 1e-9)
    }

    @Test func roundTripAgreesToANanodegree() throws {
        let reprojector = try Reprojector.toWGS84(from: CRS("EPSG:32633"))
        let lonLat = [Point(x: 13.74, y: 45.14), Point(x: 15.0, y: 0.5), Point(x: 12.1, y: 70.2)]
        let back = try reprojector.forward(reprojector.inverse(lonLat))
        for (a, b) in zip(lonLat, back) {
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9)
        }
    }

    @Test func geographicSourceKeepsLonLatOrder() throws {
        let point = try Reprojector.toWGS84(from: CRS("EPSG:4326")).forward(Point(x: -122.5, y: 38))
        #expect(point == Point(x: -122.5, y: 38))
    }

    @Test func pointsOutsideTheProjectionAreErrors() throws {
        let mercator = try Reprojector(from: CRS("EPSG:4326"), to: CRS("EPSG:3857"))
        #expect(throws: GeoError.self) { try mercator.forward(Point(x: 0, y: 91)) }
    }

    @Test func unknownCRSIsAClearError() {
        #expect(throws: GeoError.self) { try CRS("EPSG:999999") }
    }
}
