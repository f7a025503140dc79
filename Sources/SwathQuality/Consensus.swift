import SwathGeo

/// The consensus of k annotators' labels of one task, by majority: ground
/// belongs to class c when more than half of the annotators put it in c.
/// Computed exactly on the polygons with GEOS (the union of the
/// intersections of every majority-sized group of annotators' class
/// regions), not on a pixel grid; each separate part becomes one label.
public enum Consensus {
    public static func majority(_ sets: [[ClassedShape]]) -> [ClassedShape] {
        let k = sets.count
        guard k > 0 else { return [] }
        let needed = k / 2 + 1
        let classes = Set(sets.flatMap { $0.map(\.classId) }).sorted()
        var result: [ClassedShape] = []
        for classId in classes {
            let regions = sets.map { set in MultiPolygon.union(set.filter { $0.classId == classId }.map(\.geometry)) }
            var agreed: [MultiPolygon] = []
            for group in combinations(of: Array(regions.indices), size: needed) {
                var shared = regions[group[0]]
                for index in group.dropFirst() where !shared.isEmpty { shared = shared.intersection(regions[index]) }
                if !shared.isEmpty, shared.area > 0 { agreed.append(shared) }
            }
            let merged = MultiPolygon.union(agreed)
            result += merged.polygons.map { ClassedShape(classId: classId, geometry: MultiPolygon($0)) }
        }
        return result
    }

    /// Every subset of `size` elements, in order.
    static func combinations(of items: [Int], size: Int) -> [[Int]] {
        guard size > 0 else { return [[]] }
        guard items.count >= size else { return [] }
        var result: [[Int]] = []
        for (index, item) in items.enumerated() {
            for rest in combinations(of: Array(items[(index + 1)...]), size: size - 1) { result.append([item] + rest) }
        }
        return result
    }
}
