import SwathGeo
import SwathLabels

/// One line of manifest.jsonl.
struct ManifestEntry {
    var chip: ChipSlot
    var bbox: [Double]
    var classCounts: [String: Int]

    init(_ selected: SelectedChip) {
        chip = selected.chip
        bbox = selected.footprint.bbox
        classCounts = Dictionary(grouping: selected.labels, by: { $0.labelClass?.name ?? "unknown" }).mapValues(\.count)
    }

    /// What a chip is, without where its files are: shared by manifest.jsonl and the pull API.
    var fields: [String: JSONValue] {
        [
            "id": .string(chip.id),
            "split": .string(chip.split.rawValue),
            "sceneId": .number(Double(chip.sceneId)),
            "window": .array([chip.window.col, chip.window.row, chip.window.width, chip.window.height].map { .number(Double($0)) }),
            "bbox": .array(bbox.map(JSONValue.number)),
            "classCounts": .object(classCounts.mapValues { .number(Double($0)) }),
        ]
    }

    /// A manifest line: the fields and the chip's files, relative to the export.
    var json: JSONValue {
        let base = "chips/\(chip.id)/"
        var line = fields
        for (key, file) in [("image", "image.tif"), ("labels", "labels.geojson"), ("mask", "mask.tif"),
                            ("labelsPixel", "labels.pixel.json"), ("item", "item.json")] {
            line[key] = .string(base + file)
        }
        return .object(line)
    }
}
