/// A rectangle of pixels: column/row offset and size, as GDAL's RasterIO takes it.
public struct Window: Equatable, Hashable, Sendable, Codable {
    public var col: Int
    public var row: Int
    public var width: Int
    public var height: Int

    public init(col: Int, row: Int, width: Int, height: Int) {
        self.col = col
        self.row = row
        self.width = width
        self.height = height
    }

    public var pixelCount: Int { width * height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The part of this window inside `other`, or nil when they do not meet.
    public func intersection(_ other: Window) -> Window? {
        let left = max(col, other.col), top = max(row, other.row)
        let right = min(col + width, other.col + other.width)
        let bottom = min(row + height, other.row + other.height)
        guard right > left, bottom > top else { return nil }
        return Window(col: left, row: top, width: right - left, height: bottom - top)
    }
}
