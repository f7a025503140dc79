import Foundation
import SwathGeo
import SwathLabels

/// A STAC 1.0 Item for one chip with the label extension: what the labels
/// mean, how they were made, and how many of each class the chip holds.
enum StacItem {
    static let labelExtension = "https://stac-extensions.github.io/label/v1.0.1/schema.json"
    static let projectionExtension = "https://stac-extensions.github.io/projection/v1.1.0/schema.json"

    static func make(chip: ChipSlot, scene: Scene, footprint: GeoJSONGeometry, bbox: [Double], labels: [ChipLabel],
                     taxonomy: Taxonomy, codename: String) -> JSONValue {
        let counts = Dictionary(grouping: labels, by: { $0.labelClass?.name ?? "unknown" }).mapValues(\.count)
        let methods = Set(labels.map { $0.label.source.isPreLabel ? "automated" : "manual" }).sorted()
        let transform = affine(scene.transform.offset(col: chip.window.col, row: chip.window.row))
        var properties = labelFields(taxonomy: taxonomy, description: "Polygons drawn by analysts on project \(codename), clipped to the chip",
                                     counts: counts.sorted { $0.key < $1.key })
        properties["datetime"] = .string((scene.acquiredAt ?? scene.createdAt).formatted(.iso8601))
        properties["label:methods"] = .array((methods.isEmpty ? ["manual"] : methods).map(JSONValue.string))
        properties["proj:transform"] = .array(transform.map(JSONValue.number))
        properties["proj:shape"] = .array([.number(Double(chip.window.height)), .number(Double(chip.window.width))])
        properties["swath:split"] = .string(chip.split.rawValue)
        if let epsg = scene.epsg { properties["proj:epsg"] = .number(Double(epsg)) } else { properties["proj:wkt2"] = .string(scene.crsWKT) }
        if let sensor = scene.sensor { properties["instruments"] = .array([.string(sensor)]) }
        return .object([
            "type": .string("Feature"),
            "stac_version": .string("1.0.0"),
            "stac_extensions": .array([.string(labelExtension), .string(projectionExtension)]),
            "id": .string(chip.id),
            "bbox": .array(bbox.map(JSONValue.number)),
            "geometry": footprint.json,
            "properties": .object(properties),
            "assets": .object([
                "image": asset("image.tif", "image/tiff; application=geotiff; profile=cloud-optimized", "data"),
                "labels": asset("labels.geojson", "application/geo+json", "labels"),
                "labels-pixel": asset("labels.pixel.json", "application/json", "labels"),
                "mask": asset("mask.tif", "image/tiff; application=geotiff; profile=cloud-optimized", "labels"),
            ]),
            "links": .array([
                .object(["rel": .string("source"), "href": .string("scene:\(scene.id)"), "title": .string("scene \(scene.id) of \(codename)")]),
                .object(["rel": .string("root"), "href": .string("../../catalog.json"), "type": .string("application/json")]),
                .object(["rel": .string("parent"), "href": .string("../../catalog.json"), "type": .string("application/json")]),
            ]),
        ])
    }

    /// `proj:transform` as the projection extension defines it: the affine (rasterio) order
    /// [a, b, c, d, e, f] — x = a·col + b·row + c — where GDAL's order is [c, a, b, f, d, e].
    static func affine(_ transform: GeoTransform) -> [Double] {
        let c = transform.coefficients
        return [c[1], c[2], c[0], c[4], c[5], c[3]]
    }

    /// The label extension's fields of a chip: the taxonomy's classes, and how many labels of each it holds.
    static func labelFields(taxonomy: Taxonomy, description: String, counts: [(String, Int)]) -> [String: JSONValue] {
        [
            "label:properties": .array([.string("class")]),
            "label:classes": .array([.object(["name": .string("class"), "classes": .array(taxonomy.classes.map { .string($0.name) })])]),
            "label:description": .string(description),
            "label:type": .string("vector"),
            "label:tasks": .array([.string("segmentation"), .string("detection")]),
            "label:overviews": .array([.object([
                "property_key": .string("class"),
                "counts": .array(counts.map { .object(["name": .string($0.0), "count": .number(Double($0.1))]) }),
            ])]),
        ]
    }

    private static func asset(_ href: String, _ type: String, _ role: String) -> JSONValue {
        .object(["href": .string(href), "type": .string(type), "roles": .array([.string(role)])])
    }
}
