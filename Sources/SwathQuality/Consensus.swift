import SwathGeo

/// The consensus of several annotators' labels of one task, by vote: ground
/// belongs to class c when at least half of the annotators put it in c (two
/// of three, one of two, two of four). Computed exactly on the polygons with
/// GEOS (the union of the intersections of every half-sized group of
/// annotators' class regions), not on a pixel grid. Where two classes both
/// have the votes (a tie, possible with an even count), the class with the
/// more voted ground overall keeps it, so the consensus never overlaps
/// itself. Each separate part becomes one label.
public enum Consensus {
    public static func majority(_ sets: [[ClassedShape]]) throws -> [ClassedShape] {
        let k = sets.count
        guard k > 0 else { return [] }
        let needed = (k + 1) / 2
        let classes = Set(sets.flatMap { $0.map(\.classId) }).sorted()
        var voted: [(classId: Int, region: MultiPolygon)] = []
        for classId in classes {
            let regions = try sets.map { set in try MultiPolygon.union(set.filter { $0.classId == classId }.map(\.geometry)) }
            var agreed: [MultiPolygon] = []
            for group in combinations(of: Array(regions.indices), size: needed) {
                var shared = regions[group[0]]
                for index in group.dropFirst() where !shared.isEmpty { shared = try shared.intersection(regions[index]) }
                if !shared.isEmpty, shared.area > 0 { agreed.append(shared) }
            }
            voted.append((classId, try MultiPolygon.union(agreed)))
        }
        var taken = MultiPolygon([])
        var result: [ClassedShape] = []
        for (classId, region) in voted.sorted(by: { ($0.region.area, -$0.classId) > ($1.region.area, -$1.classId) }) {
            let kept = taken.isEmpty ? region : try region.difference(taken)
            result += kept.polygons.filter { MultiPolygon($0).area > 0 }.map { ClassedShape(classId: classId, geometry: MultiPolygon($0)) }
            taken = try MultiPolygon.union([taken, region])
        }
        return result.sorted { $0.classId < $1.classId }
    }

    /// Where the annotators disagree, per class: ground some of them put in
    /// the class and others did not (the union of their regions minus the
    /// intersection of all), for a reviewer to look at first.
    public static func disagreement(_ sets: [[ClassedShape]]) throws -> [ClassedShape] {
        guard sets.count > 1 else { return [] }
        let classes = Set(sets.flatMap { $0.map(\.classId) }).sorted()
        return try classes.flatMap { classId -> [ClassedShape] in
            let regions = try sets.map { set in try MultiPolygon.union(set.filter { $0.classId == classId }.map(\.geometry)) }
            var everyone = regions[0]
            for region in regions.dropFirst() where !everyone.isEmpty { everyone = try everyone.intersection(region) }
            let disputed = try MultiPolygon.union(regions).difference(everyone)
            return disputed.polygons.filter { MultiPolygon($0).area > 0 }.map { ClassedShape(classId: classId, geometry: MultiPolygon($0)) }
        }
    }

    /// Mean over every pair of annotators of their pooled F1 (polygons matched
    /// at IoU ≥ 0.5): the task's agreement, 1 for a single set.
    public static func agreement(_ sets: [[ClassedShape]]) throws -> Double {
        let pairs = combinations(of: Array(sets.indices), size: 2)
        guard !pairs.isEmpty else { return 1 }
        return try pairs.map { PolygonAgreement.pooledF1(try PolygonAgreement.compare(sets[$0[0]], sets[$0[1]])) }.reduce(0, +) / Double(pairs.count)
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
