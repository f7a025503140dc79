import Foundation

/// Two outlines of one submission, filed by how far apart they lie (in 4 px
/// bins) and how big each is. A copier who pastes a tile's work moves its
/// outlines together, so the pairs keep their keys however each outline is
/// jittered; looking up a new submission's pairs finds the work it was
/// copied from without reading the rest of the index.
public struct ShapePairKey: Sendable, Hashable {
    public var dxBin: Int
    public var dyBin: Int
    public var firstAreaBin: Int
    public var secondAreaBin: Int

    public static let binPixels = 4.0
    /// Each outline is paired with this many of its nearest neighbours (bounds the index's growth).
    public static let neighbours = 4
    /// Pairs further apart than this (pixels) are not filed: a tile's worth of layout is enough.
    public static let reach = 512.0

    public init(dxBin: Int, dyBin: Int, firstAreaBin: Int, secondAreaBin: Int) {
        self.dxBin = dxBin
        self.dyBin = dyBin
        self.firstAreaBin = firstAreaBin
        self.secondAreaBin = secondAreaBin
    }

    public init(from first: ShapeSignature, to second: ShapeSignature) {
        dxBin = Int(((second.centre.x - first.centre.x) / Self.binPixels).rounded(.down))
        dyBin = Int(((second.centre.y - first.centre.y) / Self.binPixels).rounded(.down))
        firstAreaBin = IndexedShape.areaBin(first.area)
        secondAreaBin = IndexedShape.areaBin(second.area)
    }

    /// Ordered pairs (both directions) of each outline with its nearest neighbours, as indexes into `shapes`.
    public static func pairs(_ shapes: [ShapeSignature]) -> [(first: Int, second: Int)] {
        var pairs = Set<[Int]>()
        for (index, shape) in shapes.enumerated() {
            let nearest = shapes.indices.filter { $0 != index }
                .map { ($0, hypot(shapes[$0].centre.x - shape.centre.x, shapes[$0].centre.y - shape.centre.y)) }
                .filter { $0.1 <= reach }
                .sorted { $0.1 < $1.1 }
                .prefix(neighbours)
            for (other, _) in nearest {
                pairs.insert([index, other])
                pairs.insert([other, index])
            }
        }
        return pairs.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.map { ($0[0], $0[1]) }
    }

    /// The bins a copy of this pair can fall in: one either side in every dimension.
    public var neighbourhood: (dx: ClosedRange<Int>, dy: ClosedRange<Int>, first: ClosedRange<Int>, second: ClosedRange<Int>) {
        ((dxBin - 1)...(dxBin + 1), (dyBin - 1)...(dyBin + 1), (firstAreaBin - 1)...(firstAreaBin + 1), (secondAreaBin - 1)...(secondAreaBin + 1))
    }
}
