import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// Footprints at the edges of the map, against PROJ's cs2cs on densified edges
/// (GDAL's own wgs84Extent is wrong for a window around a pole, so it cannot
/// be the reference): windows over each pole contain it and span every
/// longitude; a window near a pole bends as PROJ says; a geographic window
/// across ±180° is cut there.
@Suite struct PolarFootprintTests {
    /// A 400 km × 400 km window of 1 km pixels centred on (x, y) in a polar stereographic CRS.
    func window(centredOn x: Double, _ y: Double) -> (Window, GeoTransform) {
        (Window(col: 0, row: 0, width: 400, height: 400), GeoTransform(originX: x - 200_000, pixelWidth: 1000, originY: y + 200_000, pixelHeight: -1000))
    }

    /// Every edge of the window in the CRS, 1,000 points each, through cs2cs.
    func referenceOutline(_ window: Window, _ transform: GeoTransform, epsg: Int) throws -> [Point] {
        let w = Double(window.width), h = Double(window.height)
        let pixels = (0..<1000).flatMap { i -> [Point] in
            let t = Double(i) / 1000
            return [Point(x: 0, y: t * h), Point(x: t * w, y: h), Point(x: w, y: (1 - t) * h), Point(x: (1 - t) * w, y: 0)]
        }
        return try GDALTools.toLonLat(fromEPSG: epsg, pixels.map { transform.apply(col: $0.x, row: $0.y) })
    }

    /// The footprint's rings as a shape, for the hand ray casting.
    func shape(_ rings: [[Point]]) -> MultiPolygon { MultiPolygon(rings.map { Polygon(rings: [$0]) }) }

    @Test(arguments: [(3413, 1), (3031, -1)])
    func aWindowOverAPoleContainsItAndSpansEveryLongitude(epsg: Int, pole: Int) throws {
        let (window, transform) = window(centredOn: 0, 0)
        let footprint = try Footprint(window: window, transform: transform, toWGS84: .toWGS84(from: CRS("EPSG:\(epsg)")))
        let reference = try referenceOutline(window, transform, epsg: epsg)
        #expect(footprint.pole == pole)
        if pole > 0 {
            let south = try #require(reference.map(\.y).min())
            #expect(footprint.bbox[0] == -180 && footprint.bbox[2] == 180 && footprint.bbox[3] == 90)
            #expect(abs(footprint.bbox[1] - south) < 1e-4, "\(footprint.bbox[1]) vs cs2cs \(south)")
        } else {
            let north = try #require(reference.map(\.y).max())
            #expect(footprint.bbox[0] == -180 && footprint.bbox[2] == 180 && footprint.bbox[1] == -90)
            #expect(abs(footprint.bbox[3] - north) < 1e-4, "\(footprint.bbox[3]) vs cs2cs \(north)")
        }
        // The pole's neighbourhood is inside at every longitude; beyond the window's edge is not.
        let near = Double(pole) * 89.9
        for lon in stride(from: -179.5, through: 179.5, by: 15) {
            #expect(RayCasting.contains(shape(footprint.polygons), Point(x: lon, y: near)), "(\(lon), \(near))")
        }
        #expect(!RayCasting.contains(shape(footprint.polygons), Point(x: 0, y: Double(pole) * 80)))
        // Valid rings, every vertex within −180…180, cut at the antimeridian.
        for ring in footprint.polygons {
            #expect(ring.allSatisfy { (-180...180).contains($0.x) && (-90...90).contains($0.y) })
            #expect(MultiPolygon(Polygon(rings: [ring])).validityProblem == nil)
        }
        #expect(footprint.polygons.flatMap { $0 }.contains { abs($0.x) == 180 })
        // One polygon from −180° to 180°, closed along the pole: no seam where the outline happened to start.
        #expect(footprint.polygons.count == 1)
    }

    @Test func aWindowNearThePoleBendsAsPROJSays() throws {
        // 300…700 km from the pole along +x: the pole is outside; the edge nearest to it reaches 87.3° N in its middle.
        let (window, transform) = window(centredOn: 500_000, 0)
        let footprint = try Footprint(window: window, transform: transform, toWGS84: .toWGS84(from: CRS("EPSG:3413")))
        let reference = try referenceOutline(window, transform, epsg: 3413)
        #expect(footprint.pole == 0 && footprint.polygons.count == 1)
        let expected = [reference.map(\.x).min()!, reference.map(\.y).min()!, reference.map(\.x).max()!, reference.map(\.y).max()!]
        for (a, b) in zip(footprint.bbox, expected) { #expect(abs(a - b) < 1e-4, "\(footprint.bbox) vs cs2cs \(expected)") }
        // Corners alone would put the north edge at the corners' latitude: the densified outline goes higher.
        let corners = try GDALTools.toLonLat(fromEPSG: 3413, [transform.apply(col: 0, row: 0), transform.apply(col: 0, row: 400)])
        #expect(footprint.bbox[3] > corners.map(\.y).max()! + 0.1)
        // The outline's own vertices lie on cs2cs's curve: each within 1e-4° of the nearest reference point.
        for vertex in footprint.polygons[0] {
            let nearest = reference.map { hypot($0.x - vertex.x, $0.y - vertex.y) }.min() ?? .infinity
            #expect(nearest < 0.05, "\(vertex) is \(nearest)° from cs2cs's outline")
        }
    }

    @Test func aDegenerateGeotransformIsRefusedByName() throws {
        let flat = GeoTransform([600_000, 10, 20, 4_300_000, 5, 10])  // 10·10 − 20·5 = 0: every pixel on one line
        #expect(throws: GeoError.self) {
            try Footprint(window: Window(col: 0, row: 0, width: 10, height: 10), transform: flat, toWGS84: .toWGS84(from: CRS("EPSG:32610")))
        }
        do {
            _ = try Footprint(window: Window(col: 0, row: 0, width: 10, height: 10), transform: flat, toWGS84: .toWGS84(from: CRS("EPSG:32610")))
        } catch {
            #expect("\(error)".contains("degenerate"), "\(error)")
        }
    }

    @Test func aGeographicWindowAcross180IsCutThere() throws {
        let transform = GeoTransform(originX: 179.5, pixelWidth: 0.01, originY: 10, pixelHeight: -0.01)
        let footprint = try Footprint(window: Window(col: 0, row: 0, width: 100, height: 50), transform: transform,
                                      toWGS84: .toWGS84(from: CRS("EPSG:4326")))
        #expect(footprint.polygons.count == 2 && footprint.pole == 0)
        for (a, b) in zip(footprint.bbox, [179.5, 9.5, -179.5, 10]) { #expect(abs(a - b) < 1e-9, "\(footprint.bbox)") }
    }
}
