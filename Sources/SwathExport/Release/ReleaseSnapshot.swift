import Foundation
import SwathGeo
import SwathLabels

/// A release read once and kept: its row, its document, and what serving it
/// needs (the frozen source, chips by id, the lineage and pseudonym key).
/// Releases never change, so a snapshot never goes stale; the chips' label
/// clipping (the costly part) is made on the first file asked for.
final class ReleaseSnapshot: @unchecked Sendable {
    let release: ReleaseView
    let document: ReleaseDocument
    let source: ExportSource
    let options: ExportOptions
    let lineage: ReleaseLineage
    let pseudonym: Pseudonym
    let chipsById: [String: ReleaseChip]
    let scenesById: [SceneID: ReleaseScene]
    private let selected = NSLock()
    private var selections: [SceneID: ChipSelector.Selection]?
    private var entries: StacEntries?

    /// The STAC index of the release's chips, made on first use.
    var stacEntries: StacEntries {
        selected.lock()
        defer { selected.unlock() }
        if let entries { return entries }
        let made = StacEntries(self)
        entries = made
        return made
    }

    init(release: ReleaseView, document: ReleaseDocument) throws {
        self.release = release
        self.document = document
        source = try document.exportSource()
        options = try document.options.options()
        lineage = ReleaseLineage(releaseId: release.id, document: document)
        pseudonym = Pseudonym(secret: "release:\(document.pseudonymKey)")
        chipsById = Dictionary(document.chips.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        scenesById = Dictionary(document.scenes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The chip as the selector makes it from the frozen source (checked against the frozen list once).
    func selectedChip(_ id: String) throws -> SelectedChip? {
        selected.lock()
        defer { selected.unlock() }
        if selections == nil {
            let made = try ChipSelector(options: options, taxonomy: source.project.taxonomy).selectAll(source)
            try lineage.check(made, scenes: source.scenes)
            selections = made
        }
        guard let chip = chipsById[id] else { return nil }
        return selections?[chip.sceneId]?.chips.first { $0.chip.id == id }
    }
}
