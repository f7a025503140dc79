import SwathGeo

/// Whether an item passes a search's filters; the intersects geometry is parsed once per search.
struct StacFilter {
    let request: StacSearchRequest
    let geometry: SearchGeometry?
    let ids: Set<String>?

    init(_ request: StacSearchRequest) throws {
        self.request = request
        geometry = try request.intersects.map { try SearchGeometry(geoJSON: $0) }
        ids = request.ids.map(Set.init)
    }

    func matches(_ entry: StacEntries.Entry) -> Bool {
        let chip = entry.chip
        if let ids, !ids.contains(chip.id) { return false }
        if let splits = request.splits, !splits.contains(chip.split.rawValue) { return false }
        if let datetime = request.datetime, !datetime.contains(entry.time) { return false }
        if let bbox = request.bbox, !Self.overlaps(chip.bbox, bbox) { return false }
        if let geometry {
            guard Self.overlaps(chip.bbox, geometry.bounds) else { return false }
            // A chip's outline is the server's own GeoJSON; were OGR to refuse it, its bbox has already matched.
            guard let outline = try? SearchGeometry(geoJSON: String(decoding: chip.geometry.serialized, as: UTF8.self)) else { return true }
            return geometry.intersects(outline)
        }
        return true
    }

    /// Two [west, south, east, north] boxes share ground; a box whose west is east of its east crosses the antimeridian.
    static func overlaps(_ a: [Double], _ b: [Double]) -> Bool {
        guard a.count == 4, b.count == 4, a[1] <= b[3], b[1] <= a[3] else { return false }
        return spans(a).contains { x in spans(b).contains { y in x.0 <= y.1 && y.0 <= x.1 } }
    }

    private static func spans(_ box: [Double]) -> [(Double, Double)] {
        box[0] <= box[2] ? [(box[0], box[2])] : [(box[0], 180), (-180, box[2])]
    }
}
