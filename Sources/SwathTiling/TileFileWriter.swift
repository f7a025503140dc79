import Foundation
import SwathGeo

/// Writes one tile in the chosen format, under a hidden temporary name in the
/// sink's staging folder first, published under its final name only once GDAL
/// has closed it, so a file under its final name is always complete.
struct TileFileWriter: Sendable {
    let sink: any TileSink
    let format: TileFormat
    let creationOptions: [String]
    let metadata: TileMetadata

    static let temporarySuffix = ".part"

    init(sink: any TileSink, options: TileOptions, metadata: TileMetadata) {
        self.sink = sink
        self.format = options.format
        self.metadata = metadata
        self.creationOptions = Self.creationOptions(options, dataType: metadata.dataType)
    }

    func fileName(_ tile: TileSpec) -> String { "\(tile.id).\(format.fileExtension)" }

    static func temporaryPath(in folder: URL, name: String) -> String {
        folder.appendingPathComponent(".\(name)\(temporarySuffix)").path
    }

    /// Writes the tile's pixels from `buffer` and publishes it; `published` runs once it is in place.
    func write(_ tile: TileSpec, from buffer: TileBuffer, then published: @escaping @Sendable () throws -> Void) throws {
        let name = fileName(tile)
        let temporary = Self.temporaryPath(in: sink.stagingFolder, name: name)
        do {
            if format == .gtiff {
                try writeGeoTIFF(tile, buffer: buffer, to: temporary)
            } else {
                try writeByCopy(tile, buffer: buffer, to: temporary)
            }
            try sink.publish(staged: temporary, as: name, then: published)
        } catch {
            VirtualFile.remove(temporary)
            VirtualFile.remove(temporary + ".aux.xml")
            throw error
        }
    }

    private func writeGeoTIFF(_ tile: TileSpec, buffer: TileBuffer, to path: String) throws {
        let raster = try Raster.create(path, driver: "GTiff", size: tile.outputSize, bandCount: metadata.bands.count,
                                       dataType: metadata.dataType, options: creationOptions)
        try fill(raster, tile: tile, buffer: buffer)
        try raster.close()
    }

    /// COG, PNG and JPEG can only be written by copying a finished dataset:
    /// stage the tile in memory, then let the driver copy it.
    private func writeByCopy(_ tile: TileSpec, buffer: TileBuffer, to path: String) throws {
        let staging = try Raster.inMemory(size: tile.outputSize, bandCount: metadata.bands.count, dataType: metadata.dataType)
        try fill(staging, tile: tile, buffer: buffer)
        try Raster.createCopy(of: staging, to: path, driver: format.driver, options: creationOptions)
    }

    private func fill(_ raster: Raster, tile: TileSpec, buffer: TileBuffer) throws {
        if let transform = metadata.sceneTransform {
            try raster.setGeoTransform(transform.offset(col: tile.sourceWindow.col, row: tile.sourceWindow.row))
        }
        if let crs = metadata.crs { try raster.setCRS(crs) }
        for (position, band) in metadata.bands.enumerated() {
            try raster.setBandMetadata(position + 1, noData: band.noData, description: band.description,
                                       colorInterpretation: band.colorInterpretation)
        }
        let window = Window(col: 0, row: 0, width: tile.outputSize.width, height: tile.outputSize.height)
        try raster.writeInterleaved(window, bands: Array(1...metadata.bands.count), dataType: metadata.dataType,
                                    from: buffer.pointer, bufferWidth: tile.outputSize.width)
    }

    static func creationOptions(_ options: TileOptions, dataType: RasterDataType) -> [String] {
        var list: [String] = []
        switch options.format {
        case .gtiff:
            list.append("TILED=YES")
            list.append("BIGTIFF=IF_SAFER")
            if options.size < 256 {  // GDAL's 256 default would pad small tiles out to a full block
                let block = (options.size + 15) / 16 * 16
                list.append("BLOCKXSIZE=\(block)")
                list.append("BLOCKYSIZE=\(block)")
            }
        case .cog:
            list.append("BLOCKSIZE=\(options.size >= 512 ? 512 : 256)")
            list.append("NUM_THREADS=1")  // workers already use every core
            list.append("BIGTIFF=IF_SAFER")
        case .png:
            break
        case .jpeg:
            if let quality = options.quality { list.append("QUALITY=\(quality)") }
        }
        if let codec = options.effectiveCompression {
            list.append("COMPRESS=\(codec.gdalName)")
            if let level = options.level {
                switch (options.format, codec) {
                case (.cog, _): list.append("LEVEL=\(level)")
                case (_, .deflate): list.append("ZLEVEL=\(level)")
                case (_, .zstd): list.append("ZSTD_LEVEL=\(level)")
                default: break
                }
            }
            if let predictor = options.predictor { list.append("PREDICTOR=\(predictor)") }
        }
        return list
    }
}
