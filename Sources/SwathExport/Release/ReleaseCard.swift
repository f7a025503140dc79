import Foundation
import SwathGeo
import SwathLabels

/// A release's dataset card: what it holds per split (chips, and labels and their areas per class),
/// where the labels came from, the quality figures when it was made, its scenes and dates, how the
/// splits were drawn, and a preview picture per split. Written with each export of the release
/// (`card.json`, `card.md`, `preview-<split>.png`) and served at `GET /releases/{id}/card`.
public struct ReleaseCard: Encodable, Sendable, Equatable {
    public var release: ReleaseID
    public var name: String
    public var project: String
    public var createdAt: String
    public var chips: [String: Int]
    /// Split → class → labels and area.
    public var classes: [String: [String: ClassFigures]]
    /// manual, imported, model, consensus… → labels.
    public var sources: [String: Int]
    public var quality: ReleaseQuality?
    public var scenes: [SceneFigures]
    public var labelDates: [String]?
    public var splitting: Splitting
    /// Split → the preview picture's file name.
    public var previews: [String: String]

    public struct ClassFigures: Encodable, Sendable, Equatable {
        public var labels: Int
        /// On the ground, m² (computed on an equal-area projection, EPSG:6933).
        public var areaSquareMetres: Double
    }

    public struct SceneFigures: Encodable, Sendable, Equatable {
        public var id: SceneID
        public var sensor: String?
        public var acquiredAt: String?
        public var width: Int
        public var height: Int
        public var bands: Int
        public var epsg: Int?
    }

    public struct Splitting: Encodable, Sendable, Equatable {
        public var seed: UInt64
        public var blockChips: Int
        public var ratios: [Double]
        public var chipSize: Int
        /// Chips overlapping a chip of another split are dropped: no pixel is in two splits.
        public var overlapPixels: Int
        public var leakageRule: String
    }

    static let splits = DatasetSplit.allCases.map(\.rawValue)

    /// The card of `document`, release `releaseId`; label areas computed with PROJ.
    public static func make(releaseId: ReleaseID, document: ReleaseDocument) throws -> ReleaseCard {
        let options = try document.options.options()
        let splitOfLabel = document.labelSplits
        let names = Dictionary(document.taxonomy.classes.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var classes: [String: [String: ClassFigures]] = [:]
        var areas = try LabelAreas(document)
        for label in document.labels {
            let split = splitOfLabel[label.id]?.rawValue ?? "none"
            let name = names[label.classId] ?? "class \(label.classId)"
            var figures = classes[split, default: [:]][name] ?? ClassFigures(labels: 0, areaSquareMetres: 0)
            figures.labels += 1
            figures.areaSquareMetres += try areas.squareMetres(label)
            classes[split, default: [:]][name] = figures
        }
        let times = document.labels.map(\.createdAt).sorted()
        return ReleaseCard(
            release: releaseId, name: document.name, project: document.codename, createdAt: ReleaseDocument.iso(document.createdAt),
            chips: Dictionary(grouping: document.chips, by: \.split.rawValue).mapValues(\.count),
            classes: classes, sources: Dictionary(grouping: document.labels, by: \.source.rawValue).mapValues(\.count),
            quality: document.quality,
            scenes: document.scenes.map { scene in
                let registration = scene.registration
                return SceneFigures(id: scene.id, sensor: registration.sensor, acquiredAt: registration.acquiredAt.map { ReleaseDocument.iso($0.timeIntervalSince1970) },
                                    width: registration.width, height: registration.height, bands: registration.bandCount, epsg: registration.epsg)
            },
            labelDates: times.first.map { [ReleaseDocument.iso($0), ReleaseDocument.iso(times.last!)] },
            splitting: Splitting(seed: options.split.seed, blockChips: options.split.blockChips, ratios: options.split.ratios,
                                 chipSize: options.chipSize, overlapPixels: options.overlap,
                                 leakageRule: "splits are drawn per block of \(options.split.blockChips) × \(options.split.blockChips) chips; "
                                    + "a chip overlapping a chip of another split, or another scene's chip of another split, is dropped"),
            previews: Dictionary(uniqueKeysWithValues: splits.filter { split in document.chips.contains { $0.split.rawValue == split } }
                .map { ($0, "preview-\($0).png") }))
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
