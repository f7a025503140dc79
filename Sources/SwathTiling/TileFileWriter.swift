import Foundation
import SwathGeo

/// Writes one tile in the chosen format, under a hidden temporary name first
/// and renamed into place only once GDAL has closed it, so a file under its
/// final name is always complete.
struct TileFileWriter: Sendable {
    let outDir: URL
    let format: TileFormat
    let creationOptions: [String]
    let metadata: TileMetadata

    static let temporarySuffix = ".part"

    init(outDir: URL, options: TileOptions, metadata: TileMetadata) {
        self.outDir = outDir
        self.format = options.format
        self.metadata = metadata
        self.creationOptions = Self.creationOptions(options, dataType: metadata.dataType)
    }

    func fileName(_ tile: TileSpec) -> String { "\(tile.id).\(format.fileExtension)" }

    func finalURL(_ tile: TileSpec) -> URL { outDir.appendingPathComponent(fileName(tile)) }

    func temporaryURL(_ tile: TileSpec) -> URL {
        outDir.appendingPathComponent(".\(fileName(tile))\(Self.temporarySuffix)")
    }

    /// Writes the tile's pixels from `buffer` and moves it into place.
    func write(_ tile: TileSpec, from buffer: TileBuffer) throws {
        let temporary = temporaryURL(tile)
        do {
            if format == .gtiff {
                try writeGeoTIFF(tile, buffer: buffer, to: temporary.path)
            } else {
                try writeByCopy(tile, buffer: buffer, to: temporary.path)
            }
            try moveIntoPlace(tile, from: temporary)
        } catch {
            removeTemporaries(temporary)
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

    /// PNG and JPEG keep georeferencing in a `.aux.xml` sidecar: it moves
    /// first, so the tile itself appearing is the last step.
    private func moveIntoPlace(_ tile: TileSpec, from temporary: URL) throws {
        let manager = FileManager.default
        let sidecar = URL(fileURLWithPath: temporary.path + ".aux.xml")
        if manager.fileExists(atPath: sidecar.path) {
            try replace(finalURL(tile).appendingPathExtension("aux.xml"), with: sidecar)
        }
        try replace(finalURL(tile), with: temporary)
    }

    private func replace(_ destination: URL, with source: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw GeoError.writeFailed(path: destination.path, reason: String(cString: strerror(errno)))
        }
    }

    private func removeTemporaries(_ temporary: URL) {
        try? FileManager.default.removeItem(at: temporary)
        try? FileManager.default.removeItem(atPath: temporary.path + ".aux.xml")
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
