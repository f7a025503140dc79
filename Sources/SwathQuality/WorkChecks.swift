import Foundation
import SwathGeo

/// Checks on one annotator's submission of one task that need nothing but
/// the submission itself: speed, and degenerate shapes. Lengths and areas in
/// the scene's CRS units (metres for projected scenes).
public struct WorkChecks: Sendable {
    /// Fewer seconds than this per vertex drawn is faster than a person clicks.
    public var minimumSecondsPerVertex = 0.4
    /// A polygon this thin (4πA/P², 1 for a disc) is a sliver.
    public var sliverCompactness = 0.02
    /// A polygon covering this share of the task's tile was not drawn around anything.
    public var wholeTileShare = 0.95

    /// A polygon with less than this share of its drawn area inside the task's
    /// tile was drawn around something elsewhere.
    public var minimumShareInTile = 0.05

    public init() {}

    /// Labels are clipped to the task's tile on save; `drawnArea` is the
    /// polygon as the annotator drew it, `keptArea` what lies in the tile.
    public func displaced(keptArea: Double, drawnArea: Double) -> IntegrityFlag? {
        guard drawnArea > 0, keptArea / drawnArea < minimumShareInTile else { return nil }
        return IntegrityFlag(.displacedWork, String(format: "only %.1f%% of the polygon as drawn lies in the task's tile (%.0f of %.0f square units)",
                                                    100 * keptArea / drawnArea, keptArea, drawnArea))
    }

    /// `secondsSpent` is what the workbench reports for the whole task.
    public func speed(_ shapes: [MultiPolygon], secondsSpent: Double) -> IntegrityFlag? {
        let vertices = shapes.reduce(0) { total, shape in
            total + shape.polygons.reduce(0) { $0 + $1.rings.reduce(0) { $0 + max($1.count - 1, 0) } }
        }
        guard vertices > 0 else { return nil }
        let perVertex = secondsSpent / Double(vertices)
        guard perVertex < minimumSecondsPerVertex else { return nil }
        return IntegrityFlag(.implausibleSpeed, String(format: "%.1f s for %d vertices: %.2f s per vertex, under %.2f",
                                                       secondsSpent, vertices, perVertex, minimumSecondsPerVertex))
    }

    /// Slivers and polygons that cover the whole tile. A thin polygon along
    /// the tile's edge is what the tile cut left of a bigger object, not the
    /// annotator's doing: polygons reaching within `edgeMargin` of the edge
    /// are not judged as slivers.
    public func degenerate(_ shapes: [MultiPolygon], tile: MultiPolygon, edgeMargin: Double = 0) throws -> [IntegrityFlag] {
        let tileArea = tile.area
        let interior = edgeMargin > 0 ? try tile.buffered(by: -edgeMargin) : tile
        var flags: [IntegrityFlag] = []
        for (index, shape) in shapes.enumerated() {
            let area = shape.area, perimeter = shape.perimeter
            let cutByEdge = try edgeMargin > 0 && shape.difference(interior).area > 0
            if perimeter > 0, !cutByEdge {
                let compactness = 4 * Double.pi * area / (perimeter * perimeter)
                if compactness < sliverCompactness {
                    flags.append(IntegrityFlag(.degenerateWork, String(format: "polygon %d is a sliver: compactness %.4f (4πA/P²), under %.2f",
                                                                       index, compactness, sliverCompactness)))
                }
            }
            if tileArea > 0 {
                let share = try shape.intersection(tile).area / tileArea
                if share >= wholeTileShare {
                    flags.append(IntegrityFlag(.degenerateWork, String(format: "polygon %d covers %.0f%% of the task's tile", index, share * 100)))
                }
            }
        }
        return flags
    }
}
