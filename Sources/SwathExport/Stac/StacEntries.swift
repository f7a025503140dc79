import Foundation
import SwathGeo
import SwathLabels

/// A release as the STAC API searches it: per chip, what filters look at
/// (its bbox, its time, its split), computed once per release.
final class StacEntries: @unchecked Sendable {
    struct Entry {
        let chip: ReleaseChip
        /// Whole seconds since 1970: the item's `datetime`, as shown and as searched.
        let time: Double
        /// Class name → labels of it in the chip.
        let classCounts: [(String, Int)]
    }

    /// The release's values; not the snapshot itself, which holds this index.
    let snapshot: ReleaseFacts
    let entries: [Entry]
    let positionById: [String: Int]
    /// [west, south, east, north] of every chip.
    let bbox: [Double]
    let interval: (Double, Double)?

    init(_ snapshot: ReleaseSnapshot) {
        self.snapshot = ReleaseFacts(snapshot)
        let document = snapshot.document
        let labels = Dictionary(document.labels.map { ($0.id, $0.classId) }, uniquingKeysWith: { first, _ in first })
        let names = Dictionary(document.taxonomy.classes.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        entries = document.chips.map { chip in
            let scene = snapshot.scenesById[chip.sceneId]
            let time = (scene?.registration.acquiredAt?.timeIntervalSince1970 ?? scene?.createdAt ?? document.createdAt).rounded(.down)
            var counts: [String: Int] = [:]
            for id in chip.labelIds { counts[labels[id].flatMap { names[$0] } ?? "unknown", default: 0] += 1 }
            return Entry(chip: chip, time: time, classCounts: counts.sorted { $0.key < $1.key })
        }
        positionById = Dictionary(entries.enumerated().map { ($1.chip.id, $0) }, uniquingKeysWith: { first, _ in first })
        let boxes = entries.map(\.chip.bbox).filter { $0.count == 4 }
        if boxes.isEmpty {
            bbox = [-180, -90, 180, 90]
        } else if boxes.contains(where: { $0[0] > $0[2] }) {
            // A chip across the antimeridian: every longitude, rather than a box that leaves part of it out.
            bbox = [-180, boxes.map { $0[1] }.min()!, 180, boxes.map { $0[3] }.max()!]
        } else {
            bbox = [boxes.map { $0[0] }.min()!, boxes.map { $0[1] }.min()!, boxes.map { $0[2] }.max()!, boxes.map { $0[3] }.max()!]
        }
        let times = entries.map(\.time)
        interval = times.min().flatMap { low in times.max().map { (low, $0) } }
    }

    var collectionId: String { "release-\(snapshot.release.id)" }

    /// Items are immutable: each is serialized once (for the origin the requests come to) and
    /// its bytes reused, for releases small enough that all of them fit `maximumEncodedBytes`.
    private let encodedLock = NSLock()
    private var encodedOrigin = ""
    private var encoded: [[UInt8]?] = []
    static let maximumEncodedBytes = 64 << 20
    static let bytesPerItem = 3_000

    func itemBytes(_ position: Int, _ links: StacLinks) -> [UInt8] {
        guard entries.count * Self.bytesPerItem <= Self.maximumEncodedBytes else {
            return StacDocuments.item(entries[position], of: self, links).serialized
        }
        encodedLock.lock()
        if encodedOrigin != links.origin {
            encodedOrigin = links.origin
            encoded = Array(repeating: nil, count: entries.count)
        }
        if let bytes = encoded[position] {
            encodedLock.unlock()
            return bytes
        }
        encodedLock.unlock()
        let bytes = StacDocuments.item(entries[position], of: self, links).serialized
        encodedLock.lock()
        if encodedOrigin == links.origin { encoded[position] = bytes }
        encodedLock.unlock()
        return bytes
    }
}
