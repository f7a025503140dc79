import Foundation
import SwathGeo

/// `index.geojson`: an RFC 7946 FeatureCollection with one Feature per tile,
/// its WGS84 footprint (lon/lat, counter-clockwise, cut at the antimeridian)
/// and where its file is. A scene without georeferencing gets null geometries
/// and `"georeferenced": false` rather than invented coordinates.
struct TileIndex: Encodable {
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
    }

    var type = "FeatureCollection"
    var name: String
    var swath: About
    var features: [Feature]

    /// Builds the index for every tile of `grid`; `outcomes[i]` is tile i's.
    init(name: String, grid: TileGrid, outcomes: [TileOutcome], writer: TileFileWriter,
         metadata: TileMetadata, about: About) throws {
        let toWGS84 = try metadata.crs.map { try Reprojector.toWGS84(from: $0) }
        self.name = name
        self.swath = about
        features = try outcomes.map { outcome in
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
    }

    enum CodingKeys: String, CodingKey { case type, name, swath, features }

    /// Written to a temporary file and renamed: a reader never sees half an index.
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
