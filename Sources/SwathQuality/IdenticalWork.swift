import SwathGeo

/// Whether two annotators handed in the same work on the same task: the
/// same number of polygons, each with a partner of the same class whose
/// outline matches to within `tolerance` (in place, not moved). Honest
/// annotators who trace the same object by hand differ by more than a
/// fraction of a pixel; only a copy agrees this closely.
public enum IdenticalWork {
    public static func areIdentical(_ first: [ClassedShape], _ second: [ClassedShape], tolerance: Double) throws -> Bool {
        guard !first.isEmpty, first.count == second.count else { return false }
        var unused = Array(second.indices)
        for shape in first {
            guard let partner = try unused.firstIndex(where: { index in
                try second[index].classId == shape.classId && (second[index].geometry.isAlmostEqual(to: shape.geometry, tolerance: tolerance))
            }) else { return false }
            unused.remove(at: partner)
        }
        return true
    }
}
