import SwathGeo

/// One tile of a grid: where it sits, which source pixels it takes, and the
/// size of the file written for it.
public struct TileSpec: Equatable, Sendable {
    /// Position in the grid's row-major order.
    public var index: Int
    public var row: Int
    public var col: Int
    /// Stable name, e.g. "r0003_c0012": the file name without extension.
    public var id: String
    /// The source pixels the tile holds (always inside the scene).
    public var sourceWindow: Window
    /// The written tile's size: the full tile size when padded, the source
    /// window's size otherwise.
    public var outputSize: Size

    public var isPadded: Bool {
        outputSize.width != sourceWindow.width || outputSize.height != sourceWindow.height
    }
}
