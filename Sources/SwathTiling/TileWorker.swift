import SwathGeo

/// One worker: its own GDAL handle and tile buffer, cutting tiles one by one.
final class TileWorker {
    private let raster: Raster
    private let buffer: TileBuffer
    private let plan: TilePlan
    private let writer: TileFileWriter
    private let skipEmpty: Bool

    init(source: String, plan: TilePlan, writer: TileFileWriter, skipEmpty: Bool) throws {
        raster = try Raster.open(source)
        self.plan = plan
        self.writer = writer
        self.skipEmpty = skipEmpty
        buffer = TileBuffer(maxPixels: plan.grid.size * plan.grid.size, dataType: plan.metadata.dataType,
                            noData: plan.metadata.noData)
    }

    /// Cuts `tile`; `finished` gets its outcome once it is in place (for an
    /// upload, later and from the upload's thread).
    func process(_ tile: TileSpec, finished: @escaping @Sendable (TileOutcome) throws -> Void) throws {
        // Only trusted to skip: GDAL also calls blocks past the end of a corrupt
        // file "empty", and without --skip-empty such a file must fail loudly.
        if skipEmpty, isKnownEmpty(tile) {
            return try finished(TileOutcome(index: tile.index, state: .skippedEmpty, nodataFraction: 1))
        }
        if tile.isPadded { buffer.fill(tile.outputSize) }
        try raster.readInterleaved(tile.sourceWindow, bands: plan.metadata.sourceBands, dataType: plan.metadata.dataType,
                                   into: buffer.pointer, bufferWidth: tile.outputSize.width)
        let fraction = nodataFraction(tile)
        if skipEmpty, fraction >= 1 {
            return try finished(TileOutcome(index: tile.index, state: .skippedEmpty, nodataFraction: 1))
        }
        let outcome = TileOutcome(index: tile.index, state: .written, nodataFraction: fraction)
        try writer.write(tile, from: buffer) { try finished(outcome) }
    }

    /// Sparse files tell GDAL which blocks were never written: such a tile is
    /// empty without decoding a pixel.
    private func isKnownEmpty(_ tile: TileSpec) -> Bool {
        plan.metadata.sourceBands.allSatisfy { raster.dataCoverage(tile.sourceWindow, band: $0) == .empty }
    }

    private func nodataFraction(_ tile: TileSpec) -> Double {
        let valid = Size(width: tile.sourceWindow.width, height: tile.sourceWindow.height)
        let outputPixels = tile.outputSize.width * tile.outputSize.height
        let padding = outputPixels - valid.width * valid.height
        let noData = buffer.noDataPixelCount(valid: valid, rowLength: tile.outputSize.width)
        return Double(noData + padding) / Double(outputPixels)
    }
}
