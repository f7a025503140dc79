import Foundation
import SwathLabels

/// The card's files, as an export writes them and the API serves them:
/// `card.json`, `card.md` and one `preview-<split>.png` per split with chips.
enum ReleaseCardFiles {
    static func make(_ snapshot: ReleaseSnapshot) throws -> [String: Data] {
        let card = try ReleaseCard.make(releaseId: snapshot.release.id, document: snapshot.document)
        var files = ["card.json": card.json(), "card.md": Data(card.markdown.utf8)]
        for split in DatasetSplit.allCases {
            guard let name = card.previews[split.rawValue] else { continue }
            files[name] = Data(try ReleasePreview.png(split: split, snapshot: snapshot))
        }
        return files
    }

    /// Writes them into `folder`; returns their names (published before the manifest).
    static func write(_ snapshot: ReleaseSnapshot, to folder: URL) throws -> [String] {
        let files = try make(snapshot)
        for (name, data) in files { try data.write(to: folder.appendingPathComponent(name), options: .atomic) }
        return files.keys.sorted()
    }
}
