import Foundation
import SwathGeo
import SwathLabels

/// coco_train.json, coco_val.json, coco_test.json: images are the
/// chips' image.tif, annotations their labels in chip pixels, categories the
/// taxonomy (supercategory = group).
struct CocoWriter {
    struct Image {
        var chip: ChipSlot
        var labels: [PixelLabel]
    }

    let taxonomy: Taxonomy

    /// COCO's customary names: coco_train.json, coco_val.json, coco_test.json.
    static func fileName(_ split: DatasetSplit) -> String {
        "coco_\(split == .validation ? "val" : split.rawValue).json"
    }

    func write(_ images: [Image], to outDir: URL) throws {
        for split in DatasetSplit.allCases {
            let mine = images.filter { $0.chip.split == split }.sorted { $0.chip.id < $1.chip.id }
            var annotations: [JSONValue] = []
            var imageList: [JSONValue] = []
            for (index, image) in mine.enumerated() {
                imageList.append(.object([
                    "id": .number(Double(index + 1)),
                    "file_name": .string("chips/\(image.chip.id)/image.tif"),
                    "width": .number(Double(image.chip.window.width)),
                    "height": .number(Double(image.chip.window.height)),
                    "swath_chip": .string(image.chip.id),
                ]))
                for label in image.labels {
                    annotations.append(.object([
                        "id": .number(Double(annotations.count + 1)),
                        "image_id": .number(Double(index + 1)),
                        "category_id": .number(Double(label.label.classId)),
                        "segmentation": label.cocoSegmentation,
                        "area": .number(label.area),
                        "bbox": .array(label.bbox.map(JSONValue.number)),
                        "iscrowd": .number(0),
                    ]))
                }
            }
            let document: JSONValue = .object([
                "info": .object(["description": .string("Swath training chips, \(split.rawValue) split"), "version": .string("1.0")]),
                "licenses": .array([]),
                "images": .array(imageList),
                "annotations": .array(annotations),
                "categories": .array(taxonomy.classes.map {
                    .object(["id": .number(Double($0.id)), "name": .string($0.name), "supercategory": .string($0.group)])
                }),
            ])
            try Data(document.serialized).write(to: outDir.appendingPathComponent(Self.fileName(split)), options: .atomic)
        }
    }
}
