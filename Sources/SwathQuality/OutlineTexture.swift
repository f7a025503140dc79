import Foundation
import SwathGeo

/// How an outline sits on the scene's pixel grid, measured on its rings in
/// pixel coordinates. GDAL's polygonize puts every vertex on a pixel corner
/// and every edge along a pixel boundary; a simplifier keeps a subset of
/// those corners; a hand placing clicks on a zoomed map almost never lands
/// within a fiftieth of a pixel of a corner, nor turns by a right angle at
/// vertex after vertex along one-pixel steps.
public struct OutlineTexture: Sendable, Equatable {
    /// Vertices measured (closing vertices not counted).
    public var vertices: Int
    /// Share of vertices within `cornerTolerance` of a pixel corner.
    public var onCornerShare: Double
    /// Share of edges running along a row or a column (within `axisDegrees`).
    public var axisAlignedShare: Double
    /// Share of vertices where the outline turns by a right angle (within `axisDegrees`).
    public var rightTurnShare: Double
    /// The median edge length, in pixels.
    public var medianEdge: Double

    public static let cornerTolerance = 0.02
    public static let axisDegrees = 20.0

    /// Every ring of `shape`, already in pixel coordinates.
    public init(pixelShape shape: MultiPolygon) {
        var vertices = 0, onCorner = 0, axisAligned = 0, rightTurns = 0
        var edges: [Double] = []
        let axisSine = sin(Self.axisDegrees * .pi / 180)
        for polygon in shape.polygons {
            for var ring in polygon.rings where ring.count >= 4 {
                if ring.first == ring.last { ring.removeLast() }
                let count = ring.count
                for index in 0..<count {
                    let point = ring[index], next = ring[(index + 1) % count], before = ring[(index + count - 1) % count]
                    vertices += 1
                    if abs(point.x - point.x.rounded()) <= Self.cornerTolerance, abs(point.y - point.y.rounded()) <= Self.cornerTolerance {
                        onCorner += 1
                    }
                    let (dx, dy) = (next.x - point.x, next.y - point.y)
                    let length = hypot(dx, dy)
                    edges.append(length)
                    if length > 0, min(abs(dx), abs(dy)) / length <= axisSine { axisAligned += 1 }
                    let (ix, iy) = (point.x - before.x, point.y - before.y)
                    let incoming = hypot(ix, iy)
                    if length > 0, incoming > 0, abs(ix * dx + iy * dy) / (incoming * length) <= axisSine { rightTurns += 1 }
                }
            }
        }
        self.vertices = vertices
        let count = Double(max(vertices, 1))
        onCornerShare = Double(onCorner) / count
        axisAlignedShare = Double(axisAligned) / count
        rightTurnShare = Double(rightTurns) / count
        let sorted = edges.sorted()
        medianEdge = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
