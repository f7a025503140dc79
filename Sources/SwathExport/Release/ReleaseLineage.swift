import SwathGeo
import SwathLabels

/// What a release's export adds to every label feature and chip item: the
/// release, and each label's version, lineage, task and accepting review.
/// It also holds the frozen chip list, which the export's own selection must
/// reproduce exactly (chips, splits, labels), or nothing is written.
struct ReleaseLineage: Sendable {
    let releaseId: ReleaseID
    let releaseName: String
    private let labels: [LabelID: ReleaseLabel]
    private let reviews: [TaskID: Int64]
    private let chips: [ReleaseChip]

    init(releaseId: ReleaseID, document: ReleaseDocument) {
        self.releaseId = releaseId
        releaseName = document.name
        labels = Dictionary(document.labels.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        reviews = Dictionary(document.tasks.compactMap { task in task.reviewId.map { (task.id, $0) } }, uniquingKeysWith: { first, _ in first })
        chips = document.chips
    }

    /// The lineage fields of a label feature.
    func labelProperties(_ label: Label) -> [String: JSONValue] {
        [
            "release": .number(Double(releaseId)),
            "releaseName": .string(releaseName),
            "labelVersion": .number(Double(label.version)),
            "lineageId": .number(Double(labels[label.id]?.lineageId ?? label.id)),
            "reviewId": reviews[label.taskId].map { .number(Double($0)) } ?? .null,
        ]
    }

    /// A chip's STAC item with the release and its labels' lineage among the properties.
    func item(_ item: JSONValue, labels chipLabels: [Label], pseudonym: Pseudonym) -> JSONValue {
        guard case .object(var fields) = item, case .object(var properties)? = fields["properties"] else { return item }
        properties["swath:release"] = .number(Double(releaseId))
        properties["swath:release_name"] = .string(releaseName)
        properties["swath:labels"] = .array(chipLabels.sorted { $0.id < $1.id }.map { label in
            var entry = labelProperties(label)
            entry["labelId"] = .number(Double(label.id))
            entry["taskId"] = .number(Double(label.taskId))
            entry["annotator"] = label.annotatorId.map { .string(pseudonym.annotator($0)) } ?? .null
            entry["release"] = nil
            entry["releaseName"] = nil
            return .object(entry)
        })
        fields["properties"] = .object(properties)
        return .object(fields)
    }

    /// The selection the export made, against the frozen one: the same chips, splits and labels, in the same order.
    func check(_ selections: [SceneID: ChipSelector.Selection], scenes: [Scene]) throws {
        var made: [ReleaseChip] = []
        for scene in scenes {
            for selected in selections[scene.id]?.chips ?? [] {
                made.append(ReleaseChip(selected))
            }
        }
        guard made.count == chips.count else {
            throw ExportError.invalidOption("release", "release '\(releaseName)' froze \(chips.count) chips but \(made.count) were selected now: "
                                            + "this Swath selects chips differently from the one that made it")
        }
        for (now, frozen) in zip(made, chips) where now.id != frozen.id || now.split != frozen.split || now.labelIds != frozen.labelIds {
            throw ExportError.invalidOption("release", "chip \(frozen.id) of release '\(releaseName)' is selected differently now "
                                            + "(split or labels): this Swath selects chips differently from the one that made it")
        }
    }
}

extension ReleaseChip {
    /// The frozen form of a chip the selector chose.
    init(_ selected: SelectedChip) {
        let chip = selected.chip
        self.init(id: chip.id, sceneId: chip.sceneId, row: chip.row, col: chip.col, window: chip.window, split: chip.split,
                  bbox: selected.footprint.bbox, geometry: GeoJSONGeometry(selected.footprint).json,
                  labelIds: Array(Set(selected.labels.map(\.label.id))).sorted())
    }
}
