import Foundation

extension ReleaseCard {
    /// The card as people read it: tables per split, then sources, quality, scenes and how splits were drawn.
    public var markdown: String {
        var lines = ["# Release \(release): \(name)", "", "Project \(project), frozen \(createdAt).", ""]
        lines += ["## Chips and labels per split", "", "| split | chips | class | labels | area (km²) |", "| --- | ---: | --- | ---: | ---: |"]
        for split in Self.splits + ["none"] where chips[split] != nil || classes[split] != nil {
            let figures = classes[split] ?? [:]
            if figures.isEmpty { lines.append("| \(split) | \(chips[split] ?? 0) | — | 0 | 0 |") }
            for (index, name) in figures.keys.sorted().enumerated() {
                let entry = figures[name]!
                lines.append("| \(index == 0 ? split : "") | \(index == 0 ? String(chips[split] ?? 0) : "") | \(name) | \(entry.labels) | "
                             + String(format: "%.4f", entry.areaSquareMetres / 1_000_000) + " |")
            }
        }
        lines += ["", "## Label sources", ""] + sources.keys.sorted().map { "- \($0): \(sources[$0]!)" }
        lines += ["", "## Quality when the release was made", ""]
        if let quality {
            lines.append("- gold accuracy: " + (quality.goldMeanF1.map { String(format: "mean F1 %.3f over %d gold tasks", $0, quality.goldTasks) } ?? "no gold results"))
            lines.append("- agreement between annotators: " + (quality.meanAgreement.map { String(format: "%.3f", $0) } ?? "no consensus work"))
            lines.append("- annotators: \(quality.annotators)")
        } else {
            lines.append("- not recorded")
        }
        lines += ["", "## Scenes", "", "| scene | sensor | acquired | size | bands | EPSG |", "| ---: | --- | --- | --- | ---: | ---: |"]
        lines += scenes.map { "| \($0.id) | \($0.sensor ?? "—") | \($0.acquiredAt ?? "—") | \($0.width) × \($0.height) | \($0.bands) | \($0.epsg.map(String.init) ?? "—") |" }
        if let labelDates { lines += ["", "Labels saved from \(labelDates[0]) to \(labelDates[1])."] }
        lines += ["", "## Splits", "",
                  "Seed \(splitting.seed); ratios \(splitting.ratios.map { String(format: "%g", $0) }.joined(separator: "/")) (train/validation/test); "
                    + "\(splitting.chipSize)-pixel chips, \(splitting.overlapPixels) pixels of overlap; \(splitting.leakageRule).", ""]
        lines += ["## Previews", ""] + Self.splits.compactMap { split in previews[split].map { "![\(split)](\($0))" } }
        return lines.joined(separator: "\n") + "\n"
    }
}
