import SwathGeo

/// A regular grid of tiles over a scene, stride = size − overlap, laid out
/// row-major from the top-left pixel. Tiles are computed on demand, so a grid
/// over an enormous scene costs nothing until it is walked.
public struct TileGrid: Sendable, Equatable {
    public let sceneSize: Size
    public let size: Int
    public let overlap: Int
    public let edge: EdgeMode
    public let rows: Int
    public let cols: Int

    public init(sceneSize: Size, size: Int, overlap: Int, edge: EdgeMode) {
        precondition(size > 0 && overlap >= 0 && overlap < size, "validated by TileOptions")
        self.sceneSize = sceneSize
        self.size = size
        self.overlap = overlap
        self.edge = edge
        cols = Self.count(extent: sceneSize.width, size: size, stride: size - overlap, edge: edge)
        rows = Self.count(extent: sceneSize.height, size: size, stride: size - overlap, edge: edge)
    }

    public var count: Int { rows * cols }

    /// Whether `index` is a tile of this grid.
    public func contains(_ index: Int) -> Bool { (0..<count).contains(index) }
    public var stride: Int { size - overlap }

    /// Tiles along one axis: enough to reach the edge, or only the whole
    /// ones when edge tiles are dropped.
    static func count(extent: Int, size: Int, stride: Int, edge: EdgeMode) -> Int {
        if edge == .drop {
            return extent < size ? 0 : 1 + (extent - size) / stride
        }
        return extent <= size ? 1 : 1 + (extent - size + stride - 1) / stride
    }

    /// Zero-padded so names sort in grid order: at least four digits.
    private var digits: Int { max(4, String(max(rows, cols) - 1).count) }

    public func tile(row: Int, col: Int) -> TileSpec {
        precondition(row >= 0 && row < rows && col >= 0 && col < cols, "tile outside the grid")
        let x = col * stride, y = row * stride
        let window = Window(col: x, row: y, width: min(size, sceneSize.width - x), height: min(size, sceneSize.height - y))
        let output = edge == .pad ? Size(width: size, height: size) : Size(width: window.width, height: window.height)
        let id = "r" + Self.pad(row, digits) + "_c" + Self.pad(col, digits)
        return TileSpec(index: row * cols + col, row: row, col: col, id: id, sourceWindow: window, outputSize: output)
    }

    public func tile(at index: Int) -> TileSpec {
        tile(row: index / cols, col: index % cols)
    }

    private static func pad(_ value: Int, _ digits: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
