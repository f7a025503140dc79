import Foundation
import SwathGeo

/// `index.geojson`: an RFC 7946 FeatureCollection with one Feature per tile,
/// its WGS84 footprint (lon/lat, counter-clockwise, cut at the antimeridian)
/// and where its file is. A scene without georeferencing gets null geometries
/// and `"georeferenced": false` rather than invented coordinates.
///
/// The collection is streamed: each feature is built from the grid and the
/// tile's record when its turn comes in grid order, written to a hidden
/// `.part` file through a small buffer and dropped, so memory does not grow
/// with the tile count. The bytes are those JSONEncoder (sorted keys,
/// slashes unescaped) gives for the whole collection; `Feature.encode(to:)`
/// states the layout that `appendJSON` writes by hand.
struct TileIndex {
    static let fileName = "index.geojson"

    struct About: Encodable {
        var scene: String
        var georeferenced: Bool
        var crs: String?
        var geoTransform: [Double]?
        var tileSize: Int
        var overlap: Int
        var edge: String
        var format: String
        var bands: [Int]
    }

    struct Properties: Encodable {
        var id: String
        var row: Int
        var col: Int
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        /// Relative to the index; null when the tile was skipped as empty.
        var path: String?
        var empty: Bool
        var nodataFraction: Double

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(row, forKey: .row)
            try container.encode(col, forKey: .col)
            try container.encode(x, forKey: .x)
            try container.encode(y, forKey: .y)
            try container.encode(width, forKey: .width)
            try container.encode(height, forKey: .height)
            try container.encode(path, forKey: .path)
            try container.encode(empty, forKey: .empty)
            try container.encode(nodataFraction, forKey: .nodataFraction)
        }

        enum CodingKeys: String, CodingKey { case id, row, col, x, y, width, height, path, empty, nodataFraction }

        /// `encode(to:)` with sorted keys, written directly.
        func appendJSON(to out: inout JSONBytes) throws {
            out.raw("{\"col\":"); out.number(col)
            out.raw(",\"empty\":"); out.bool(empty)
            out.raw(",\"height\":"); out.number(height)
            out.raw(",\"id\":"); try out.string(id)
            out.raw(",\"nodataFraction\":"); try out.number(nodataFraction)
            out.raw(",\"path\":")
            if let path { try out.string(path) } else { out.raw("null") }
            out.raw(",\"row\":"); out.number(row)
            out.raw(",\"width\":"); out.number(width)
            out.raw(",\"x\":"); out.number(x)
            out.raw(",\"y\":"); out.number(y)
            out.raw("}")
        }
    }

    struct Feature: Encodable {
        var type = "Feature"
        var id: String
        var bbox: [Double]?
        var geometry: GeoJSONGeometry?
        var properties: Properties

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(bbox, forKey: .bbox)
            try container.encode(geometry, forKey: .geometry)  // null, not absent, per RFC 7946
            try container.encode(properties, forKey: .properties)
        }

        enum CodingKeys: String, CodingKey { case type, id, bbox, geometry, properties }

        /// `encode(to:)` with sorted keys, written directly.
        func appendJSON(to out: inout JSONBytes) throws {
            out.raw("{")
            if let bbox {
                out.raw("\"bbox\":")
                try out.numbers(bbox)
                out.raw(",")
            }
            out.raw("\"geometry\":")
            if let geometry {
                out.raw("{\"coordinates\":")
                if geometry.type == "Polygon" {
                    try Self.appendRings(geometry.polygons[0], to: &out)
                } else {
                    out.raw("[")
                    for (position, polygon) in geometry.polygons.enumerated() {
                        if position > 0 { out.raw(",") }
                        try Self.appendRings(polygon, to: &out)
                    }
                    out.raw("]")
                }
                out.raw(",\"type\":")
                try out.string(geometry.type)
                out.raw("}")
            } else {
                out.raw("null")
            }
            out.raw(",\"id\":"); try out.string(id)
            out.raw(",\"properties\":"); try properties.appendJSON(to: &out)
            out.raw(",\"type\":"); try out.string(type)
            out.raw("}")
        }

        private static func appendRings(_ rings: [[[Double]]], to out: inout JSONBytes) throws {
            out.raw("[")
            for (position, ring) in rings.enumerated() {
                if position > 0 { out.raw(",") }
                out.raw("[")
                for (index, point) in ring.enumerated() {
                    if index > 0 { out.raw(",") }
                    try out.numbers(point)
                }
                out.raw("]")
            }
            out.raw("]")
        }
    }

    /// The members after `features`, in sorted-key order.
    private struct Tail: Encodable {
        var name: String
        var swath: About
        var type = "FeatureCollection"
    }

    let name: String
    let grid: TileGrid
    let writer: TileFileWriter
    let metadata: TileMetadata
    let about: About

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    /// Tile `outcome.index`'s feature; `toWGS84` is nil for a scene without a CRS.
    func feature(_ outcome: TileOutcome, toWGS84: Reprojector?) throws -> Feature {
        let tile = grid.tile(at: outcome.index)
        var footprint: Footprint?
        if let toWGS84, let transform = metadata.sceneTransform {
            let outline = Window(col: tile.sourceWindow.col, row: tile.sourceWindow.row,
                                 width: tile.outputSize.width, height: tile.outputSize.height)
            footprint = try Footprint(window: outline, transform: transform, toWGS84: toWGS84)
        }
        let properties = Properties(
            id: tile.id, row: tile.row, col: tile.col, x: tile.sourceWindow.col, y: tile.sourceWindow.row,
            width: tile.outputSize.width, height: tile.outputSize.height,
            path: outcome.hasFile ? writer.fileName(tile) : nil,
            empty: outcome.empty, nodataFraction: outcome.nodataFraction)
        return Feature(id: tile.id, bbox: footprint?.bbox, geometry: footprint.map(GeoJSONGeometry.init),
                       properties: properties)
    }

    /// Writes every tile's feature in grid order to `.index.geojson.part`
    /// beside `url` (`.index.geojson.<tag>.part` with a tag: shards finishing
    /// together each write their own), then renames it: a reader never sees half an index.
    func write(to url: URL, records: TileRecords.Table, temporaryTag: String? = nil) throws {
        let temporary = Self.temporaryURL(for: url, tag: temporaryTag)
        do {
            try stream(to: temporary, records: records)
            guard rename(temporary.path, url.path) == 0 else {
                throw GeoError.writeFailed(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    static func temporaryURL(for url: URL, tag: String?) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent)\(tag.map { ".\($0)" } ?? "")\(TileFileWriter.temporarySuffix)")
    }

    private func stream(to temporary: URL, records: TileRecords.Table) throws {
        let toWGS84 = try metadata.crs.map { try Reprojector.toWGS84(from: $0) }
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        guard descriptor >= 0 else {
            throw GeoError.writeFailed(path: temporary.path, reason: String(cString: strerror(errno)))
        }
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try streamFeatures(to: file, records: records, toWGS84: toWGS84)
        } catch {
            try? file.close()
            throw error
        }
        try file.close()
    }

    private func streamFeatures(to file: FileHandle, records: TileRecords.Table, toWGS84: Reprojector?) throws {
        let flushAt = 1 << 20
        var out = JSONBytes(capacity: flushAt + (64 << 10))
        out.raw("{\"features\":[")
        for index in 0..<records.count {
            guard let outcome = records.outcome(at: index) else {
                preconditionFailure("the index is written once every tile has an outcome")
            }
            if index > 0 { out.raw(",") }
            try feature(outcome, toWGS84: toWGS84).appendJSON(to: &out)
            if out.bytes.count >= flushAt {
                try file.write(contentsOf: out.bytes)
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        // `{"name":…,"swath":…,"type":"FeatureCollection"}` from JSONEncoder, its brace replaced by the array's end.
        let tail = try Self.encoder.encode(Tail(name: name, swath: about))
        out.raw("],")
        out.bytes.append(contentsOf: tail.dropFirst())
        try file.write(contentsOf: out.bytes)
    }
}
