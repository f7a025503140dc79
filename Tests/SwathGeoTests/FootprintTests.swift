import Foundation
import Testing
import SwathGeo
import SwathTestSupport

@Suite struct FootprintTests {
    @Test func cornersMatchPROJAndWindCounterClockwise() throws {
        let transform = GeoTransform([600000, 10, 0, 4300000, 0, -10])
        let window = Window(col: 100, row: 50, width: 64, height: 32)
        let footprint = try Footprint(window: window, transform: transform, toWGS84: .toWGS84(from: CRS("EPSG:32610")))
        let ring = try #require(footprint.polygons.first)
        #expect(footprint.polygons.count == 1)
        #expect(ring.count == 5 && ring.first == ring.last)
        let corners = [(100, 50), (100, 82), (164, 82), (164, 50)].map { transform.apply(col: Double($0.0), row: Double($0.1)) }
        let reference = try GDALTools.toLonLat(fromEPSG: 32610, corners)
        for (a, b) in zip(ring.dropLast(), reference) {
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9)
        }
        #expect(signedArea(ring) > 0, "RFC 7946 exterior rings are counter-clockwise")
        let expected = [reference.map(\.x).min()!, reference.map(\.y).min()!, reference.map(\.x).max()!, reference.map(\.y).max()!]
        for (a, b) in zip(footprint.bbox, expected) { #expect(abs(a - b) < 1e-9) }
    }

    @Test func southUpRasterStillWindsCounterClockwise() throws {
        let transform = GeoTransform([-122.5, 0.001, 0, 37.9, 0, 0.001])  // rows go north
        let footprint = try Footprint(window: Window(col: 0, row: 0, width: 10, height: 10), transform: transform,
                                      toWGS84: .toWGS84(from: CRS("EPSG:4326")))
        #expect(signedArea(footprint.polygons[0]) > 0)
    }

    @Test func antimeridianCrossingIsCutIntoTwoPolygons() throws {
        let raster = try Raster.open(Fixture.path("antimeridian.tif"))
        let footprint = try Footprint(window: raster.bounds, transform: #require(raster.geoTransform),
                                      toWGS84: .toWGS84(from: #require(raster.crs)))
        #expect(footprint.crossesAntimeridian)
        let west = footprint.polygons[0], east = footprint.polygons[1]
        #expect(west.allSatisfy { $0.x > 170 && $0.x <= 180 })
        #expect(east.allSatisfy { $0.x < -170 && $0.x >= -180 })
        #expect(west.contains { $0.x == 180 } && east.contains { $0.x == -180 })
        #expect(footprint.bbox[0] > footprint.bbox[2], "RFC 7946: west > east across the antimeridian")
        for ring in footprint.polygons { #expect(signedArea(ring) > 0) }
        // Cross-check the outer corners with cs2cs.
        let corners = try GDALTools.toLonLat(fromEPSG: 32660, [Point(x: 600000, y: 7250000), Point(x: 700000, y: 7250000)])
        #expect(abs(corners[0].x - footprint.bbox[0]) < 0.05)
        #expect(corners[1].x < 0)
    }

    private func signedArea(_ ring: [Point]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0.x * $1.1.y - $1.1.x * $1.0.y) }
    }
}

@Suite struct AntimeridianCutTests {
    /// Our cut (PROJ, then GEOS) against GDAL's own (`ogr2ogr -wrapdateline`): the same two pieces.
    @Test func shapesAcross180AreCutAsGDALCutsThem() throws {
        let utm60 = try CRS("EPSG:32660")
        let square = MultiPolygon.rectangle(minX: 620_000, minY: 7_200_000, maxX: 680_000, maxY: 7_240_000)
        let plain = try square.mapAll(Reprojector.toWGS84(from: utm60).forward)
        #expect(plain.spansAntimeridian, "the fixture crosses 180°")
        let cut = try square.toLonLat(with: .toWGS84(from: utm60))
        #expect(cut.polygons.count == 2)
        #expect(!cut.spansAntimeridian)
        let reference = try GDALTools.wrapDateline(fromEPSG: 32660, ring: square.polygons[0].exterior)
        #expect(reference.count == 2)
        for ring in reference {
            let area = MultiPolygon(Polygon(rings: [ring])).area
            let east = { (points: [Point]) in points.reduce(0) { $0 + $1.x } > 0 }
            let mine = try #require(cut.polygons.first { east($0.exterior) == east(ring) })
            #expect(abs(MultiPolygon(mine).area - area) < 1e-9 * area, "the piece \(east(ring) ? "east" : "west") of 180°")
            for point in ring { #expect(mine.exterior.contains { abs($0.x - point.x) < 1e-9 && abs($0.y - point.y) < 1e-9 }, "\(point)") }
        }
        #expect(cut.lonLatBounds.map { $0[0] > $0[2] } == true, "RFC 7946 bbox: west > east")
    }
}
