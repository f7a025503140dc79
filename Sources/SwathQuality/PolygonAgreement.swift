import SwathGeo

/// Agreement between two label sets of the same ground: per class, polygons
/// matched one-to-one by IoU with the optimal assignment (GEOS areas through
/// OGR), a match counting at IoU ≥ `threshold`.
public enum PolygonAgreement {
    public static func compare(_ first: [ClassedShape], _ second: [ClassedShape], threshold: Double = 0.5) throws -> [ClassAgreement] {
        let classes = Set(first.map(\.classId)).union(second.map(\.classId)).sorted()
        return try classes.map { classId in
            try compareClass(classId, first.filter { $0.classId == classId }.map(\.geometry),
                         second.filter { $0.classId == classId }.map(\.geometry), threshold: threshold)
        }
    }

    /// F1 of the matching over every class together: 2·matched / (2·matched
    /// + unmatched on either side); 1 when neither side drew anything.
    public static func pooledF1(_ classes: [ClassAgreement]) -> Double {
        let matched = classes.reduce(0) { $0 + $1.matched }
        let unmatched = classes.reduce(0) { $0 + $1.onlyFirst + $1.onlySecond }
        return matched + unmatched == 0 ? 1 : Double(2 * matched) / Double(2 * matched + unmatched)
    }

    /// IoU of two shapes; 0 when both are empty.
    public static func iou(_ a: MultiPolygon, _ b: MultiPolygon) throws -> Double {
        let shared = try a.intersection(b).area
        let union = a.area + b.area - shared
        return union > 0 ? shared / union : 0
    }

    static func compareClass(_ classId: Int, _ a: [MultiPolygon], _ b: [MultiPolygon], threshold: Double) throws -> ClassAgreement {
        let matrix = try a.map { left in try b.map { right in try iou(left, right) } }
        let pairs = matches(matrix, threshold: threshold)
        let regionA = try MultiPolygon.union(a), regionB = try MultiPolygon.union(b)
        let (areaA, areaB) = (regionA.area, regionB.area)
        let larger = max(areaA, areaB)
        return ClassAgreement(
            classId: classId, matched: pairs.count, onlyFirst: a.count - pairs.count, onlySecond: b.count - pairs.count,
            meanMatchedIoU: pairs.isEmpty ? nil : pairs.map(\.iou).reduce(0, +) / Double(pairs.count),
            regionIoU: a.isEmpty && b.isEmpty ? 1 : try iou(regionA, regionB),
            areaAgreement: larger > 0 ? min(areaA, areaB) / larger : 1)
    }

    /// The assignment with the most pairs at or above the threshold, and
    /// among those the highest total IoU: a pair scores 1 + IoU, a pair
    /// below the threshold 0, so two weak pairs never outweigh one match.
    static func matches(_ iou: [[Double]], threshold: Double) -> [(first: Int, second: Int, iou: Double)] {
        guard !iou.isEmpty, !(iou.first?.isEmpty ?? true) else { return [] }
        let assignment = Assignment.minimumCost(iou.map { $0.map { 2 - ($0 >= threshold ? 1 + $0 : 0) } })
        return assignment.enumerated().compactMap { row, column in
            guard let column, iou[row][column] >= threshold else { return nil }
            return (row, column, iou[row][column])
        }
    }
}
