import Foundation

extension ReleaseDiff {
    /// The diff as a person reads it: totals, then per class and split, then each change.
    public var table: String {
        var lines = ["release \(from.release) '\(from.name)' → release \(to.release) '\(to.name)'", ""]
        lines.append(Self.row("", ["added", "removed", "changed", "unchanged"]))
        lines.append(Self.row("labels", labels))
        lines.append(Self.row("chips", chips))
        for (title, groups) in [("labels by class", labelsByClass), ("labels by split", labelsBySplit), ("chips by split", chipsBySplit)] {
            guard !groups.isEmpty else { continue }
            lines += ["", title]
            for name in groups.keys.sorted() { lines.append(Self.row("  " + name, groups[name]!)) }
        }
        if !added.isEmpty { lines += ["", "added"] + added.map { "  label \($0.labelId) v\($0.version) (\($0.className))" } }
        if !removed.isEmpty { lines += ["", "removed"] + removed.map { "  label \($0.labelId) v\($0.version) (\($0.className))" } }
        if !changed.isEmpty {
            lines += ["", "changed"]
            for change in changed {
                var what: [String] = []
                if let iou = change.iou { what.append(String(format: "outline (IoU %.3f)", iou)) }
                if let old = change.classFrom, let new = change.classTo { what.append("class \(old) → \(new)") }
                if change.attributesChanged { what.append("attributes") }
                lines.append("  label \(change.from.labelId) v\(change.from.version) → \(change.to.labelId) v\(change.to.version): "
                             + what.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ title: String, _ counts: Counts) -> String {
        row(title, [counts.added, counts.removed, counts.changed, counts.unchanged].map(String.init))
    }

    private static func row(_ title: String, _ cells: [String]) -> String {
        title.padding(toLength: max(18, title.count), withPad: " ", startingAt: 0)
            + cells.map { String(repeating: " ", count: max(0, 10 - $0.count)) + $0 }.joined()
    }
}
