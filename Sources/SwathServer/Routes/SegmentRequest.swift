/// `POST /tasks/{id}/segment`: a point (`[x, y]` in `crs`: wgs84 lon/lat, the scene's CRS or the
/// task's pixels) and a tolerance in standard deviations (default 1).
struct SegmentRequest: Decodable {
    var point: [Double]
    var crs: String?
    var tolerance: Double?
}
