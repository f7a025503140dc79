import SwathGeo

/// Point in polygon by hand — even-odd ray casting over every ring, in the shape's own plane (lon/lat for
/// RFC 7946 output): the independent check of what GEOS and the lon/lat cuts produce.
public enum RayCasting {
    public static func contains(_ shape: MultiPolygon, _ point: Point) -> Bool {
        shape.polygons.contains { polygon in
            var inside = false
            for ring in polygon.rings {
                for (a, b) in zip(ring, ring.dropFirst()) where (a.y > point.y) != (b.y > point.y) {
                    if point.x < a.x + (point.y - a.y) / (b.y - a.y) * (b.x - a.x) { inside.toggle() }
                }
            }
            return inside
        }
    }
}
