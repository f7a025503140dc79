/// One XYZ map tile, checked to exist at its zoom.
public struct TileAddress: Hashable, Sendable, CustomStringConvertible {
    public let z: Int
    public let x: Int
    public let y: Int

    public init(z: Int, x: Int, y: Int) throws {
        guard (0...WebMercator.maximumZoom).contains(z) else {
            throw MapTileError.badRequest("zoom \(z) is outside 0–\(WebMercator.maximumZoom)")
        }
        let count = 1 << z
        guard (0..<count).contains(x), (0..<count).contains(y) else {
            throw MapTileError.badRequest("tile \(x)/\(y) does not exist at zoom \(z) (x and y run from 0 to \(count - 1))")
        }
        (self.z, self.x, self.y) = (z, x, y)
    }

    /// From the path segments of /tiles/{z}/{x}/{y}.png.
    public init(z: String, x: String, yWithExtension y: String) throws {
        guard y.hasSuffix(".png") else { throw MapTileError.badRequest("tiles are PNG: the path must end in {y}.png, got '\(y)'") }
        let yDigits = String(y.dropLast(4))
        guard let zoom = Self.number(z), let column = Self.number(x), let row = Self.number(yDigits) else {
            throw MapTileError.badRequest("z, x and y must be whole numbers, got \(z)/\(x)/\(yDigits)")
        }
        try self.init(z: zoom, x: column, y: row)
    }

    private static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        return Int(text)
    }

    public var bounds: MercatorBounds { WebMercator.tileBounds(z: z, x: x, y: y) }
    public var description: String { "\(z)/\(x)/\(y)" }
}
