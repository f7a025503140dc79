import SwathGeo

extension GeoTransform {
    /// The pixel window (clipped to `size`) covering a shape's bounds in the CRS: all four corners
    /// taken to pixels, so a rotated grid is covered too. Nil when it misses the grid.
    func pixelWindow(covering shape: MultiPolygon, in size: Size) -> Window? {
        guard let bounds = shape.bounds else { return nil }
        let corners = [(bounds[0], bounds[1]), (bounds[0], bounds[3]), (bounds[2], bounds[1]), (bounds[2], bounds[3])]
            .compactMap { invert(Point(x: $0.0, y: $0.1)) }
        guard corners.count == 4 else { return nil }
        let left = Int(max(0, corners.map(\.x).min()!.rounded(.down))), right = Int(min(Double(size.width), corners.map(\.x).max()!.rounded(.up)))
        let top = Int(max(0, corners.map(\.y).min()!.rounded(.down))), bottom = Int(min(Double(size.height), corners.map(\.y).max()!.rounded(.up)))
        guard right > left, bottom > top else { return nil }
        return Window(col: left, row: top, width: right - left, height: bottom - top)
    }
}
