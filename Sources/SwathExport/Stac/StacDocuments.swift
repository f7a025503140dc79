import Foundation
import SwathGeo
import SwathLabels

/// The JSON of the STAC API: landing page, collections and items, built from
/// releases. Items are the release's chips with the label and projection
/// extensions; their assets link to the release's chip files.
enum StacDocuments {
    static func landing(_ links: StacLinks) -> JSONValue {
        .object([
            "type": .string("Catalog"),
            "stac_version": .string(StacConformance.stacVersion),
            "id": .string("swath"),
            "title": .string("Swath releases"),
            "description": .string("Immutable training datasets (releases) of the projects the caller trains on or manages; one collection per release, one item per chip."),
            "conformsTo": .array(StacConformance.classes.map(JSONValue.string)),
            "links": .array([
                links.link("self", ""),
                links.link("root", ""),
                links.link("conformance", "/conformance"),
                links.link("data", "/collections"),
                links.link("search", "/search", type: "application/geo+json", extra: ["method": .string("GET")]),
                links.link("search", "/search", type: "application/geo+json", extra: ["method": .string("POST")]),
                .object(["rel": .string("service-desc"), "href": .string(links.origin + "/openapi.yaml"), "type": .string("application/yaml")]),
            ]),
        ])
    }

    static func conformance() -> JSONValue {
        .object(["conformsTo": .array(StacConformance.classes.map(JSONValue.string))])
    }

    static func collection(_ release: StacEntries, _ links: StacLinks) -> JSONValue {
        let document = release.snapshot.document
        let id = release.collectionId
        let interval: JSONValue = release.interval.map { .array([.string(ReleaseDocument.iso($0.0)), .string(ReleaseDocument.iso($0.1))]) } ?? .array([.null, .null])
        return .object([
            "type": .string("Collection"),
            "stac_version": .string(StacConformance.stacVersion),
            "stac_extensions": .array([]),
            "id": .string(id),
            "title": .string("\(document.codename) release '\(document.name)'"),
            "description": .string("Release \(release.snapshot.release.id) ('\(document.name)') of project \(document.codename): "
                                   + "\(document.chips.count) chips, \(document.labels.count) accepted labels, frozen \(ReleaseDocument.iso(document.createdAt))."),
            "license": .string("proprietary"),
            "extent": .object([
                "spatial": .object(["bbox": .array([.array(release.bbox.map(JSONValue.number))])]),
                "temporal": .object(["interval": .array([interval])]),
            ]),
            "summaries": .object([
                "label:classes": .array([.object(["name": .string("class"),
                                                  "classes": .array(document.taxonomy.classes.map { .string($0.name) })])]),
                "label:type": .array([.string("vector")]),
                "label:tasks": .array([.string("segmentation"), .string("detection")]),
                "swath:split": .array(["train", "validation", "test"].map(JSONValue.string)),
            ]),
            "links": .array([
                links.link("self", "/collections/\(id)", extra: ["title": .string("Release \(release.snapshot.release.id)")]),
                links.link("root", "", extra: ["title": .string("Swath releases")]),
                links.link("parent", "", extra: ["title": .string("Swath releases")]),
                links.link("items", "/collections/\(id)/items", type: "application/geo+json", extra: ["title": .string("Chips")]),
            ]),
        ])
    }

    static func item(_ entry: StacEntries.Entry, of release: StacEntries, _ links: StacLinks) -> JSONValue {
        let chip = entry.chip
        let snapshot = release.snapshot
        let scene = snapshot.scenesById[chip.sceneId]?.registration
        let collection = release.collectionId
        var properties = StacItem.labelFields(
            taxonomy: snapshot.document.taxonomy,
            description: "Polygons drawn by analysts on project \(snapshot.document.codename), accepted by review, clipped to the chip",
            counts: entry.classCounts)
        properties.merge([
            "datetime": .string(ReleaseDocument.iso(entry.time)),
            "proj:shape": .array([.number(Double(chip.window.height)), .number(Double(chip.window.width))]),
            "swath:split": .string(chip.split.rawValue),
            "swath:release": .number(Double(snapshot.release.id)),
            "swath:scene": .number(Double(chip.sceneId)),
            "swath:labels": .number(Double(chip.labelIds.count)),
        ]) { $1 }
        if let scene {
            let transform = GeoTransform(scene.geoTransform).offset(col: chip.window.col, row: chip.window.row)
            properties["proj:transform"] = .array(StacItem.affine(transform).map(JSONValue.number))
            if let epsg = scene.epsg { properties["proj:code"] = .string("EPSG:\(epsg)") } else { properties["proj:wkt2"] = .string(scene.crsWKT) }
            if let sensor = scene.sensor { properties["instruments"] = .array([.string(sensor)]) }
        }
        return .object([
            "type": .string("Feature"),
            "stac_version": .string(StacConformance.stacVersion),
            "stac_extensions": .array([.string(StacConformance.labelExtension), .string(StacConformance.projectionExtension)]),
            "id": .string(chip.id),
            "collection": .string(collection),
            "bbox": .array(chip.bbox.map(JSONValue.number)),
            "geometry": chip.geometry,
            "properties": .object(properties),
            "assets": .object(assets(chip, snapshot, links)),
            "links": .array([
                links.link("self", "/collections/\(collection)/items/\(chip.id)", type: "application/geo+json"),
                links.link("parent", "/collections/\(collection)"),
                links.link("collection", "/collections/\(collection)"),
                links.link("root", ""),
            ]),
        ])
    }

    /// The chip's files as assets: the image, and each other file the release's formats wrote.
    static func assets(_ chip: ReleaseChip, _ snapshot: ReleaseFacts, _ links: StacLinks) -> [String: JSONValue] {
        let all = [("image", "image.tif", "image/tiff; application=geotiff; profile=cloud-optimized", "data"),
                   ("labels", "labels.geojson", "application/geo+json", "labels"),
                   ("labels-pixel", "labels.pixel.json", "application/json", "labels"),
                   ("mask", "mask.tif", "image/tiff; application=geotiff; profile=cloud-optimized", "labels")]
        var assets: [String: JSONValue] = [:]
        for (key, file, type, role) in all where ReleaseChipService.isWritten(file, formats: snapshot.options.formats) {
            assets[key] = .object(["href": .string(links.chipFile(release: snapshot.release.id, chip: chip.id, file: file)),
                                   "type": .string(type), "roles": .array([.string(role)])])
        }
        return assets
    }
}
