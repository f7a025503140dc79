import SwathGeo
import SwathLabels

/// One chip of a scene's export grid, and the split it falls in.
public struct ChipSlot: Equatable, Sendable {
    public var sceneId: SceneID
    public var row: Int
    public var col: Int
    /// The chip's full window (it may run past the scene's edge; those pixels are nodata).
    public var window: Window
    public var split: DatasetSplit

    /// e.g. "s3_r0004_c0012".
    public var id: String {
        "s\(sceneId)_r\(Self.pad(row))_c\(Self.pad(col))"
    }

    private static func pad(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}
