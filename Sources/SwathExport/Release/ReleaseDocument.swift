import Foundation
import SwathGeo
import SwathLabels

/// Everything a release froze, stored once as JSON with the release: the
/// project's codename and taxonomy, the export options, the scenes with their
/// files' identities, the accepted labels (each with its lineage), the tasks
/// whose ground was reviewed, and the chips with their splits. Exports, diffs,
/// the STAC API and the card are all read from it, never from the live project.
public struct ReleaseDocument: Codable, Sendable, Equatable {
    /// Bumped when the layout changes; older documents are still read.
    public static let currentFormat = 1

    public var format: Int
    public var name: String
    public var projectId: ProjectID
    public var codename: String
    public var taxonomy: Taxonomy
    /// Seconds since 1970: when the release was made (and the datetime of nothing else).
    public var createdAt: Double
    public var options: ExportRequest
    /// 32 random bytes, hex: annotators' pseudonyms in this release (the same every export of it).
    public var pseudonymKey: String
    public var scenes: [ReleaseScene]
    public var tasks: [ReleaseTask]
    public var labels: [ReleaseLabel]
    public var chips: [ReleaseChip]
    /// The project's quality report when the release was made (absent in releases made before it was kept).
    public var quality: ReleaseQuality?

    /// The stored form: sorted keys, so the same dataset is the same text (and digest).
    public func json() throws -> String { try StoredJSON.text(self) }

    /// Each label's split: that of the first chip (by id) holding it. The diff and the card count by it.
    public var labelSplits: [LabelID: DatasetSplit] {
        var found: [LabelID: DatasetSplit] = [:]
        for chip in chips.sorted(by: { $0.id < $1.id }) {
            for id in chip.labelIds where found[id] == nil { found[id] = chip.split }
        }
        return found
    }

    /// Seconds since 1970 as written in releases' documents: whole seconds, ISO 8601, UTC.
    static func iso(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds.rounded(.down)).formatted(.iso8601)
    }

    public static func parse(_ text: String) throws -> ReleaseDocument {
        let document = try JSONDecoder().decode(ReleaseDocument.self, from: Data(text.utf8))
        guard document.format <= currentFormat else {
            throw ExportError.invalidOption("release", "was made by a newer Swath (format \(document.format)); upgrade to read it")
        }
        return document
    }
}

/// A scene as the release saw it, with what identifies its file.
public struct ReleaseScene: Codable, Sendable, Equatable {
    public var id: SceneID
    public var createdAt: Double
    /// Everything read from the file at ingest (CRS, geotransform, size, bands, roles…), as registered.
    public var registration: SceneDraft
    public var identity: SceneIdentity

    public var uri: String { registration.uri }
}

/// A task whose ground the release covers (accepted when frozen).
public struct ReleaseTask: Codable, Sendable, Equatable {
    public var id: TaskID
    public var sceneId: SceneID
    public var window: Window
    /// The review that accepted it.
    public var reviewId: Int64?
}

/// An accepted label as frozen, with its lineage.
public struct ReleaseLabel: Codable, Sendable, Equatable {
    public var id: LabelID
    public var version: Int
    /// The first version of this label: what stays the same across edits (diffs match on it).
    public var lineageId: LabelID
    public var previousId: LabelID?
    public var taskId: TaskID
    public var sceneId: SceneID
    public var classId: Int
    public var attributes: [String: JSONValue]
    /// Well-known binary, base64: the outline in the scene's CRS, bit for bit.
    public var geometryWKB: String
    public var annotatorId: UserID?
    public var source: LabelSource
    public var createdAt: Double
    public var drawnArea: Double?

    /// The outline in the scene's CRS, from its WKB.
    public func outline() throws -> MultiPolygon {
        guard let wkb = Data(base64Encoded: geometryWKB) else {
            throw ExportError.invalidOption("release", "label \(id) has an unreadable outline")
        }
        return try MultiPolygon(wkb: [UInt8](wkb))
    }
}

/// A chip of the release: where, which split, which labels.
public struct ReleaseChip: Codable, Sendable, Equatable {
    /// e.g. "s3_r0004_c0012".
    public var id: String
    public var sceneId: SceneID
    public var row: Int
    public var col: Int
    public var window: Window
    public var split: DatasetSplit
    /// WGS84 [west, south, east, north].
    public var bbox: [Double]
    /// The chip's outline in WGS84 (GeoJSON geometry).
    public var geometry: JSONValue
    public var labelIds: [LabelID]
}
