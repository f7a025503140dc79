import Foundation
import SwathGeo

/// Finds outlines a program drew: a threshold-and-polygonize script, raw or
/// simplified, handed in as hand-drawn work. Two signatures, either enough:
/// vertices on pixel corners (polygonize output, and any simplification of
/// it, since a simplifier keeps a subset of the corners), or a pixel
/// staircase (short axis-aligned steps with right-angle turns at most
/// vertices), which survives sub-pixel noise added to hide the corners.
/// Small outlines are not judged: a four-corner rectangle can sit on the
/// grid by chance or by care.
public struct MachineMadeCheck: Sendable {
    /// Outlines with fewer vertices than this (all rings) are not judged.
    public var minimumVertices = 8
    /// Share of vertices on pixel corners at which an outline is the grid's, not a hand's.
    public var onCornerShare = 0.8
    /// Right-angle turns and axis-aligned edges at or above this share, on edges of at most
    /// `staircaseEdge` pixels (median), make a staircase.
    public var staircaseShare = 0.7
    public var staircaseEdge = 2.5

    public init() {}

    /// `pixelShape` is the label in the scene's pixel coordinates; nil when it looks hand-made.
    public func evidence(_ pixelShape: MultiPolygon) -> String? {
        let texture = OutlineTexture(pixelShape: pixelShape)
        guard texture.vertices >= minimumVertices else { return nil }
        if texture.onCornerShare >= onCornerShare {
            return String(format: "%d of %d vertices lie on pixel corners (within %.2f px): the grid of a polygonized raster",
                          Int((texture.onCornerShare * Double(texture.vertices)).rounded()), texture.vertices, OutlineTexture.cornerTolerance)
        }
        if texture.medianEdge <= staircaseEdge, texture.rightTurnShare >= staircaseShare, texture.axisAlignedShare >= staircaseShare {
            return String(format: "a pixel staircase: %.0f%% of %d edges run along rows or columns, %.0f%% of turns are right angles, median edge %.1f px",
                          100 * texture.axisAlignedShare, texture.vertices, 100 * texture.rightTurnShare, texture.medianEdge)
        }
        return nil
    }
}
