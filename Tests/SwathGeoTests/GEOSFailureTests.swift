import Testing
@testable import SwathGeo

/// GEOS gives up on some inputs (OGR then returns NULL, as `ogr.Geometry.Intersection`
/// returns None in GDAL's Python bindings for the same shapes). That must surface as an error
/// naming the operation, never as an empty shape read as "outside the task".
@Suite struct GEOSFailureTests {
    static let square = MultiPolygon(Polygon(rings: [[Point(x: 0, y: 0), Point(x: 2, y: 0), Point(x: 2, y: 2), Point(x: 0, y: 2), Point(x: 0, y: 0)]]))
    static let bowtie = MultiPolygon(Polygon(rings: [[Point(x: 0, y: 0), Point(x: 10, y: 10), Point(x: 10, y: 0), Point(x: 0, y: 10), Point(x: 0, y: 0)]]))

    @Test func aFailedIntersectionIsAnError() {
        #expect { try Self.bowtie.intersection(Self.square) } throws: { error in
            (error as? GeometryProblem)?.reason.hasPrefix("GEOS could not compute the intersection") ?? false
        }
    }

    @Test func aFailedUnionIsAnError() {
        #expect(throws: GeometryProblem.self) { try MultiPolygon.union([Self.bowtie, Self.square]) }
    }

    @Test func soundShapesStillClip() throws {
        let half = MultiPolygon(Polygon(rings: [[Point(x: 1, y: 0), Point(x: 3, y: 0), Point(x: 3, y: 2), Point(x: 1, y: 2), Point(x: 1, y: 0)]]))
        #expect(abs(try Self.square.intersection(half).area - 2) < 1e-12)
    }
}
