import SwathGeo

/// One tile of a scene's own pixel grid (the workbench's native view, Leaflet's
/// simple CRS): at zoom z a 256-pixel tile covers 256 × 2⁻ᶻ scene pixels a
/// side, so zoom 0 is one screen pixel per scene pixel, negative zooms read
/// overviews and positive ones enlarge pixels (nearest neighbour, never a blur).
/// Tile (x, y) starts at scene column x × span, row y × span.
public struct GridTileAddress: Hashable, Sendable, CustomStringConvertible {
    public let z: Int
    public let x: Int
    public let y: Int

    /// Beyond this, a tile is eight screen pixels per scene pixel: enough to place a vertex within a pixel.
    public static let maximumZoom = 3
    public static let tileSize = 256

    /// The coarsest zoom a scene needs: the whole scene in one tile.
    public static func minimumZoom(width: Int, height: Int) -> Int {
        var zoom = 0
        while (tileSize << -zoom) < max(width, height), zoom > -30 { zoom -= 1 }
        return zoom
    }

    /// Checked against the scene's size: a zoom outside minimumZoom…maximumZoom is refused,
    /// x and y must be whole numbers ≥ 0 (a tile past the scene's edge is answered, empty, by the caller).
    public init(z: String, x: String, yWithExtension y: String, width: Int, height: Int) throws {
        guard y.hasSuffix(".png") else { throw MapTileError.badRequest("tiles are PNG: the path must end in {y}.png, got '\(y)'") }
        let yDigits = String(y.dropLast(4))
        guard let zoom = Self.signedNumber(z), let column = Self.number(x), let row = Self.number(yDigits) else {
            throw MapTileError.badRequest("z must be a whole number and x, y whole numbers ≥ 0, got \(z)/\(x)/\(yDigits)")
        }
        let lowest = Self.minimumZoom(width: width, height: height)
        guard (lowest...Self.maximumZoom).contains(zoom) else {
            throw MapTileError.badRequest("zoom \(zoom) is outside \(lowest)…\(Self.maximumZoom) for this scene's grid")
        }
        (self.z, self.x, self.y) = (zoom, column, row)
    }

    /// Scene pixels a tile covers a side: 256 × 2⁻ᶻ (a whole number for every allowed zoom).
    public var span: Int { z <= 0 ? Self.tileSize << -z : Self.tileSize >> z }

    /// The part of the scene under this tile (nil past its edge) and the tile pixels it fills from the top left.
    public func coverage(width: Int, height: Int) -> (window: Window, filled: Size)? {
        let span = self.span
        let (col, colOverflow) = x.multipliedReportingOverflow(by: span)
        let (row, rowOverflow) = y.multipliedReportingOverflow(by: span)
        guard !colOverflow, !rowOverflow, col < width, row < height else { return nil }
        let window = Window(col: col, row: row, width: min(span, width - col), height: min(span, height - row))
        let scale = Double(Self.tileSize) / Double(span)
        let filled = Size(width: max(1, Int((Double(window.width) * scale).rounded(.up))),
                          height: max(1, Int((Double(window.height) * scale).rounded(.up))))
        return (window, filled)
    }

    private static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private static func signedNumber(_ text: String) -> Int? {
        text.hasPrefix("-") ? number(String(text.dropFirst())).map { -$0 } : number(text)
    }

    public var description: String { "grid/\(z)/\(x)/\(y)" }
}
