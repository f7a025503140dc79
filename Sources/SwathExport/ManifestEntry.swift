import SwathGeo
import SwathLabels

/// One line of manifest.jsonl.
struct ManifestEntry {
    var chip: ChipSlot
    var bbox: [Double]
    var classCounts: [String: Int]

    init(chip: ChipSlot, bbox: [Double], labels: [ChipLabel]) {
        self.chip = chip
        self.bbox = bbox
        classCounts = Dictionary(grouping: labels, by: { $0.labelClass?.name ?? "unknown" }).mapValues(\.count)
    }

    var json: JSONValue {
        let base = "chips/\(chip.id)/"
        return .object([
            "id": .string(chip.id),
            "split": .string(chip.split.rawValue),
            "sceneId": .number(Double(chip.sceneId)),
            "window": .array([chip.window.col, chip.window.row, chip.window.width, chip.window.height].map { .number(Double($0)) }),
            "bbox": .array(bbox.map(JSONValue.number)),
            "image": .string(base + "image.tif"),
            "labels": .string(base + "labels.geojson"),
            "mask": .string(base + "mask.tif"),
            "labelsPixel": .string(base + "labels.pixel.json"),
            "item": .string(base + "item.json"),
            "classCounts": .object(classCounts.mapValues { .number(Double($0)) }),
        ])
    }
}
