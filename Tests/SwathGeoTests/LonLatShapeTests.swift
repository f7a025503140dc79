import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// Shapes going to and from RFC 7946 lon/lat at the poles and across ±180°:
/// vertices against PROJ's cs2cs, pieces against GDAL's own cut, insideness by
/// hand-written ray casting in lon/lat, and the way back equal to the shape sent.
@Suite struct LonLatShapeTests {
    let polar = try! Reprojector.toWGS84(from: CRS("EPSG:3413"))

    func square(_ x: Double, _ y: Double, halfSide h: Double) -> MultiPolygon {
        .rectangle(minX: x - h, minY: y - h, maxX: x + h, maxY: y + h)
    }

    /// Both shapes cover the same ground: their difference either way has no area.
    func sameGround(_ a: MultiPolygon, _ b: MultiPolygon, within relative: Double = 1e-9) throws -> Bool {
        let tolerance = relative * max(a.area, b.area)
        return try a.difference(b).area <= tolerance && b.difference(a).area <= tolerance
    }

    @Test func aShapeNearThePoleKeepsItsVerticesExactly() throws {
        // About 89.5° N, not round the pole.
        let shape = square(0, -55_000, halfSide: 2_000)
        let lonLat = try shape.toLonLat(with: polar)
        let reference = try GDALTools.toLonLat(fromEPSG: 3413, shape.polygons[0].exterior)
        #expect(lonLat.polygons.count == 1)
        #expect(abs(try #require(lonLat.bounds)[1] - 89.48) < 0.05)
        for point in reference {
            #expect(lonLat.allPoints.contains { abs($0.x - point.x) < 1e-9 && abs($0.y - point.y) < 1e-9 }, "\(point)")
        }
        #expect(lonLat.validityProblem == nil)
        #expect(try sameGround(lonLat.fromLonLat(with: polar), shape))
    }

    @Test func aShapeRoundThePoleIsClosedAlongIt() throws {
        let shape = square(30_000, -20_000, halfSide: 100_000)
        let lonLat = try shape.toLonLat(with: polar)
        let corners = try GDALTools.toLonLat(fromEPSG: 3413, shape.polygons[0].exterior)
        for corner in corners {
            #expect(lonLat.allPoints.contains { abs($0.x - corner.x) < 1e-9 && abs($0.y - corner.y) < 1e-9 }, "\(corner)")
        }
        #expect(lonLat.lonLatBounds == [-180, try #require(corners.map(\.y).min()), 180, 90])
        for polygon in lonLat.polygons {
            #expect(MultiPolygon(polygon).validityProblem == nil)
            #expect(polygon.exterior.allSatisfy { (-180...180).contains($0.x) })
        }
        // Round the pole at every longitude; outside at 85°.
        for lon in stride(from: -179.0, through: 179.0, by: 17) {
            #expect(RayCasting.contains(lonLat, Point(x: lon, y: 89.8)), "\(lon)")
            #expect(!RayCasting.contains(lonLat, Point(x: lon, y: 85)), "\(lon)")
        }
        let back = try lonLat.fromLonLat(with: polar)
        #expect(back.validityProblem == nil)
        #expect(back.contains(Point(x: 0, y: 0)), "the pole")
        #expect(try sameGround(back, shape))
    }

    @Test func aHoleRoundThePoleLeavesABand() throws {
        var ring = square(0, 0, halfSide: 200_000).polygons[0]
        ring.rings.append(square(0, 0, halfSide: 50_000).polygons[0].exterior.reversed())
        let annulus = MultiPolygon(ring)
        let lonLat = try annulus.toLonLat(with: polar)
        for lon in stride(from: -170.0, through: 170.0, by: 40) {
            #expect(RayCasting.contains(lonLat, Point(x: lon, y: 89.0)), "in the band at \(lon)")
            #expect(!RayCasting.contains(lonLat, Point(x: lon, y: 89.9)), "in the hole at \(lon)")
        }
        #expect(try sameGround(lonLat.fromLonLat(with: polar), annulus))
    }

    @Test func aCapSentAsRFC7946BecomesOneShapeRoundThePole() throws {
        let cap = MultiPolygon(Polygon(rings: [[Point(x: -180, y: 89), Point(x: -90, y: 89), Point(x: 0, y: 89), Point(x: 90, y: 89),
                                                Point(x: 180, y: 89), Point(x: 180, y: 90), Point(x: -180, y: 90), Point(x: -180, y: 89)]]))
        let inPolar = try cap.fromLonLat(with: polar)
        #expect(inPolar.polygons.count == 1)
        #expect(inPolar.validityProblem == nil)
        #expect(inPolar.contains(Point(x: 0, y: 0)))
        // Its four corners at 89° are cs2cs's.
        let reference = try GDALTools.toLonLat(fromEPSG: 3413, inPolar.polygons[0].exterior)
        #expect(reference.allSatisfy { abs($0.y - 89) < 1e-9 })
    }

    /// Three vertices on 80° N and the pole: in EPSG:3413 every one of them is on one circle or at its centre, so
    /// taken vertex by vertex it folds to nothing; followed along the parallel it is the disc inside 80° N.
    @Test func aCapWithFewVerticesFollowsItsParallel() throws {
        let cap = MultiPolygon(Polygon(rings: [[Point(x: -180, y: 80), Point(x: 0, y: 80), Point(x: 180, y: 80),
                                                Point(x: 180, y: 90), Point(x: -180, y: 90), Point(x: -180, y: 80)]]))
        let disc = try cap.fromLonLat(with: polar)
        #expect(disc.validityProblem == nil)
        #expect(disc.contains(Point(x: 0, y: 0)))
        let edge = try GDALTools.toLonLatInverse(toEPSG: 3413, [Point(x: 0, y: 80)])[0]
        let radius = hypot(edge.x, edge.y)
        // A 360-gon inscribed in the circle: its area is (360/2)·r²·sin(2π/360), by hand.
        let expected = 180 * radius * radius * sin(2 * Double.pi / 360)
        #expect(abs(disc.area - expected) < 1e-3 * expected, "\(disc.area) vs \(expected)")
    }

    @Test func aShapeCutAt180ComesBackWhole() throws {
        let utm60 = try Reprojector.toWGS84(from: CRS("EPSG:32660"))
        let shape = MultiPolygon.rectangle(minX: 620_000, minY: 7_200_000, maxX: 680_000, maxY: 7_240_000)
        let cut = try shape.toLonLat(with: utm60)
        #expect(cut.polygons.count == 2)
        let whole = try cut.fromLonLat(with: utm60)
        #expect(whole.polygons.count == 1, "the two pieces share the 180° meridian")
        #expect(whole.validityProblem == nil)
        // The cut's vertices lie on the shape's real edge, so nothing is gained or lost on the way.
        #expect(try sameGround(whole, shape))
        #expect(try whole.toLonLat(with: utm60).allPoints.allSatisfy { point in cut.allPoints.contains { abs($0.x - point.x) < 1e-9 && abs($0.y - point.y) < 1e-9 } })
        for corner in shape.polygons[0].exterior {
            #expect(whole.allPoints.contains { abs($0.x - corner.x) < 1e-6 && abs($0.y - corner.y) < 1e-6 }, "\(corner)")
        }
    }

    @Test func piecesThatOverlapAreRefusedNotMerged() throws {
        let utm60 = try Reprojector.toWGS84(from: CRS("EPSG:32660"))
        let a = Polygon(rings: [[Point(x: 179, y: 65), Point(x: 180, y: 65), Point(x: 180, y: 66), Point(x: 179, y: 66), Point(x: 179, y: 65)]])
        let b = Polygon(rings: [[Point(x: 179.5, y: 65.5), Point(x: 180, y: 65.5), Point(x: 180, y: 66.5), Point(x: 179.5, y: 66.5), Point(x: 179.5, y: 65.5)]])
        #expect(throws: GeometryProblem.self) { try MultiPolygon([a, b]).fromLonLat(with: utm60) }
    }
}
