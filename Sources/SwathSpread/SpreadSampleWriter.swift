import Foundation
import SwathGeo

/// Writes one sample as a Cloud-Optimized GeoTIFF: Float32 bands named after their variables (band
/// descriptions, which rasterio and GDAL show), NaN for no data, georeferenced to its window of the fire's
/// grid, with its facts (fire, dates, gap) as metadata. Written under a temporary name and renamed, so a
/// half-written sample never has a final name.
public enum SpreadSampleWriter {
    /// TIFF tiles are multiples of 16: the window's width rounded up (one tile for a 64-cell window), at most 512.
    static func blockSize(_ width: Int) -> Int { min(512, max(16, (width + 15) / 16 * 16)) }

    public static func write(_ bands: [SpreadBand], grid: FireGrid, window: Window, metadata: [String: String], to url: URL) throws {
        guard !bands.isEmpty, bands.allSatisfy({ $0.values.count == window.width * window.height }) else {
            throw SpreadError("sample \(url.lastPathComponent): every band must cover its \(window.width) × \(window.height) window")
        }
        let size = Size(width: window.width, height: window.height)
        let memory = try Raster.inMemory(size: size, bandCount: bands.count, dataType: .float32)
        try memory.setGeoTransform(grid.transform.offset(col: window.col, row: window.row))
        try memory.setCRS(CRS(name: "", wkt: grid.crsWKT, epsg: nil, projJSON: nil, isGeographic: false))
        for (index, band) in bands.enumerated() {
            try memory.write(band.values, window: Window(col: 0, row: 0, width: size.width, height: size.height), bands: [index + 1])
            try memory.setBandMetadata(index + 1, noData: .nan, description: band.name, colorInterpretation: "Undefined")
        }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { try memory.setMetadataItem(name, value: value) }
        let part = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".part")
        try Raster.createCopy(of: memory, to: part.path, driver: "COG",
                              options: ["COMPRESS=DEFLATE", "PREDICTOR=YES", "OVERVIEWS=NONE", "BLOCKSIZE=\(Self.blockSize(size.width))"])
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: part, to: url)
    }
}
