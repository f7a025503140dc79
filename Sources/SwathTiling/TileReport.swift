import Foundation

/// The outcome of a finished tiling job, for the summary line and for scripts.
public struct TileReport: Sendable {
    public var scene: String
    public var outDir: URL
    public var indexURL: URL
    public var gridRows: Int
    public var gridCols: Int
    public var written: Int
    public var skippedEmpty: Int
    public var resumed: Int
    public var elapsedSeconds: Double
    public var georeferenced: Bool
    public var warnings: [String]

    public var total: Int { gridRows * gridCols }

    public var summary: String {
        var parts = ["\(written) written"]
        if skippedEmpty > 0 { parts.append("\(skippedEmpty) empty skipped") }
        if resumed > 0 { parts.append("\(resumed) already done") }
        let seconds = String(format: "%.2f", elapsedSeconds)
        return "tiled \(scene): \(total) tiles (\(gridCols) × \(gridRows); \(parts.joined(separator: ", "))) "
            + "in \(seconds) s → \(outDir.path)/ (index: \(indexURL.lastPathComponent))"
    }
}
