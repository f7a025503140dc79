import SwathGeo
import SwathLabels

/// A chip's labels in its own pixel grid (x right, y down, (0, 0) the
/// chip's top-left corner), with COCO-style [x, y, width, height] boxes:
/// what `labels.pixel.json` and the COCO files are made of.
struct PixelLabel {
    var label: Label
    var labelClass: TaxonomyClass?
    var shape: MultiPolygon
    var bbox: [Double]
    var area: Double

    init(_ item: ChipLabel, chip: ChipSlot, transform: GeoTransform) {
        label = item.label
        labelClass = item.labelClass
        shape = item.shape.map { point in
            let pixel = transform.invert(point)!  // stored scenes have invertible transforms
            return Point(x: pixel.x - Double(chip.window.col), y: pixel.y - Double(chip.window.row))
        }
        let b = shape.bounds ?? [0, 0, 0, 0]
        bbox = [b[0], b[1], b[2] - b[0], b[3] - b[1]]
        area = shape.area
    }

    var json: JSONValue {
        .object([
            "labelId": .number(Double(label.id)),
            "class": .string(labelClass?.name ?? "unknown"),
            "classId": .number(Double(label.classId)),
            "bbox": .array(bbox.map(JSONValue.number)),
            "areaPixels": .number(area),
            "polygons": .array(shape.polygons.map { polygon in
                .array(polygon.rings.map { ring in .array(ring.map { .array([.number($0.x), .number($0.y)]) }) })
            }),
        ])
    }

    /// COCO segmentation: one flat [x1, y1, x2, y2, …] list per part's exterior
    /// (COCO polygons cannot hold holes; `area` keeps the true area).
    var cocoSegmentation: JSONValue {
        .array(shape.polygons.map { polygon in
            .array(polygon.exterior.dropLast().flatMap { [JSONValue.number($0.x), .number($0.y)] })
        })
    }
}
