import Foundation
import SwathGeo
import SwathLabels
import SwathQuality

/// What changed between two releases of one project. Labels are matched by
/// lineage (the first version of a label, which its edits keep), so an edited
/// outline is a change with its IoU, a new class a change from → to, and a
/// label present on one side only is added or removed. Chips are matched by id.
public struct ReleaseDiff: Encodable, Sendable, Equatable {
    public var from: Side
    public var to: Side
    public var labels: Counts
    /// By class name (the later side's class for changes).
    public var labelsByClass: [String: Counts]
    /// By the split of the first chip holding the label ("none": in no chip).
    public var labelsBySplit: [String: Counts]
    public var chips: Counts
    public var chipsBySplit: [String: Counts]
    public var added: [LabelRef]
    public var removed: [LabelRef]
    public var changed: [LabelChange]
    /// Whether `added`, `removed` or `changed` were cut at `maximumListed` entries (the counts are whole).
    public var listsTruncated = false

    /// Entries listed per list at most: the counts above cover everything.
    public static let maximumListed = 10_000

    public struct Side: Encodable, Sendable, Equatable {
        public var release: ReleaseID
        public var name: String
    }

    public struct Counts: Encodable, Sendable, Equatable {
        public var added = 0
        public var removed = 0
        public var changed = 0
        public var unchanged = 0
    }

    public struct LabelRef: Encodable, Sendable, Equatable {
        public var lineageId: LabelID
        public var labelId: LabelID
        public var version: Int
        public var className: String
    }

    public struct LabelChange: Encodable, Sendable, Equatable {
        public var lineageId: LabelID
        public var from: LabelRef
        public var to: LabelRef
        /// Intersection over union of the two outlines, when the outline changed.
        public var iou: Double?
        public var classFrom: String?
        public var classTo: String?
        public var attributesChanged: Bool
    }

    /// Compares release `a` (earlier) with release `b`; both must belong to one project.
    public static func between(_ a: (id: ReleaseID, document: ReleaseDocument), _ b: (id: ReleaseID, document: ReleaseDocument)) throws -> ReleaseDiff {
        guard a.document.projectId == b.document.projectId else {
            throw ExportError.invalidOption("release", "releases \(a.id) and \(b.id) belong to different projects: only releases of one project compare")
        }
        var diff = ReleaseDiff(from: Side(release: a.id, name: a.document.name), to: Side(release: b.id, name: b.document.name),
                               labels: Counts(), labelsByClass: [:], labelsBySplit: [:], chips: Counts(), chipsBySplit: [:],
                               added: [], removed: [], changed: [], listsTruncated: false)
        try diff.compareLabels(a.document, b.document)
        diff.compareChips(a.document, b.document)
        let limit = maximumListed
        diff.listsTruncated = diff.added.count > limit || diff.removed.count > limit || diff.changed.count > limit
        diff.added = Array(diff.added.prefix(limit))
        diff.removed = Array(diff.removed.prefix(limit))
        diff.changed = Array(diff.changed.prefix(limit))
        return diff
    }

    private mutating func compareLabels(_ a: ReleaseDocument, _ b: ReleaseDocument) throws {
        let before = Self.byLineage(a), after = Self.byLineage(b)
        let splitsBefore = a.labelSplits, splitsAfter = b.labelSplits
        for lineage in Set(before.keys).union(after.keys).sorted() {
            switch (before[lineage], after[lineage]) {
            case (nil, let new?):
                let ref = Self.ref(new, b)
                added.append(ref)
                count(\.added, className: ref.className, split: splitsAfter[new.id])
            case (let old?, nil):
                let ref = Self.ref(old, a)
                removed.append(ref)
                count(\.removed, className: ref.className, split: splitsBefore[old.id])
            case (let old?, let new?):
                let (from, to) = (Self.ref(old, a), Self.ref(new, b))
                let outlineChanged = old.geometryWKB != new.geometryWKB
                let classChanged = old.classId != new.classId
                let attributesChanged = old.attributes != new.attributes
                guard outlineChanged || classChanged || attributesChanged else {
                    count(\.unchanged, className: to.className, split: splitsAfter[new.id])
                    continue
                }
                changed.append(LabelChange(lineageId: lineage, from: from, to: to,
                                           iou: outlineChanged ? try PolygonAgreement.iou(try old.outline(), try new.outline()) : nil,
                                           classFrom: classChanged ? from.className : nil, classTo: classChanged ? to.className : nil,
                                           attributesChanged: attributesChanged))
                count(\.changed, className: to.className, split: splitsAfter[new.id])
            case (nil, nil):
                continue
            }
        }
    }

    private mutating func count(_ field: WritableKeyPath<Counts, Int>, className: String, split: DatasetSplit?) {
        labels[keyPath: field] += 1
        labelsByClass[className, default: Counts()][keyPath: field] += 1
        labelsBySplit[split?.rawValue ?? "none", default: Counts()][keyPath: field] += 1
    }

    private mutating func compareChips(_ a: ReleaseDocument, _ b: ReleaseDocument) {
        let before = Dictionary(a.chips.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(b.chips.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in Set(before.keys).union(after.keys).sorted() {
            let field: WritableKeyPath<Counts, Int>
            let split: DatasetSplit
            switch (before[id], after[id]) {
            case (nil, let new?): (field, split) = (\.added, new.split)
            case (let old?, nil): (field, split) = (\.removed, old.split)
            case (let old?, let new?):
                field = old.split == new.split && old.labelIds == new.labelIds ? \.unchanged : \.changed
                split = new.split
            case (nil, nil): continue
            }
            chips[keyPath: field] += 1
            chipsBySplit[split.rawValue, default: Counts()][keyPath: field] += 1
        }
    }

    /// One label per lineage: the newest version, should a release hold two.
    private static func byLineage(_ document: ReleaseDocument) -> [LabelID: ReleaseLabel] {
        Dictionary(document.labels.map { ($0.lineageId, $0) }, uniquingKeysWith: { $0.version >= $1.version ? $0 : $1 })
    }

    private static func ref(_ label: ReleaseLabel, _ document: ReleaseDocument) -> LabelRef {
        LabelRef(lineageId: label.lineageId, labelId: label.id, version: label.version,
                 className: document.taxonomy.classes.first { $0.id == label.classId }?.name ?? "class \(label.classId)")
    }
}
