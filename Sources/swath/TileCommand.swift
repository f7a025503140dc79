import ArgumentParser
import Foundation
import SwathGeo
import SwathTiling

extension TileFormat: ExpressibleByArgument {}
extension Compression: ExpressibleByArgument {}
extension EdgeMode: ExpressibleByArgument {}

struct TileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tile",
        abstract: "Cut a raster into georeferenced tiles on a regular grid, with a GeoJSON tile index.",
        discussion: """
        Tiles go to tiles/<scene name>/ unless --out says otherwise, with index.geojson beside them.
        With --out s3://bucket/prefix/ each tile is uploaded whole under its final key and the index
        last; --resume (and a shard run again) lists what is already there.
        Each GeoTIFF/COG tile carries the scene's CRS, nodata and band descriptions, and the scene's
        geotransform offset to the tile. Ctrl-C stops cleanly; --resume finishes the job later.
        """
    )

    @Argument(help: "The scene: a raster path or GDAL path (/vsicurl/…, /vsis3/…).")
    var raster: String

    @Option(help: "Output folder, or an S3 prefix s3://bucket/prefix/ (default: tiles/<scene name>).")
    var out: String?

    @Option(help: "Tile width and height in pixels.")
    var size = 512

    @Option(help: "Pixels shared by neighbouring tiles; the grid advances by size − overlap.")
    var overlap = 0

    @Option(help: "Tile format: gtiff, cog, png or jpeg.")
    var format: TileFormat = .gtiff

    @Option(help: "GeoTIFF/COG codec: deflate (default), zstd, lzw or none.")
    var compress: Compression?

    @Option(help: "Codec level: deflate 1–9, zstd 1–22 (GDAL's default when omitted).")
    var level: Int?

    @Option(help: "TIFF predictor: 1 none, 2 horizontal (integers), 3 floating point.")
    var predictor: Int?

    @Option(help: "JPEG quality 1–100.")
    var quality: Int?

    @Option(help: "Tiles past the right/bottom edge: pad (nodata), shrink, or drop.")
    var edge: EdgeMode = .pad

    @Flag(help: "Write no tile whose pixels are all nodata.")
    var skipEmpty = false

    @Option(help: "Source bands in output order, 1-based, e.g. 3,2,1 (default: all).")
    var bands: String?

    @Option(help: "Parallel workers (default: every core).")
    var threads = TileOptions.defaultThreads

    @Flag(help: "Skip tiles an interrupted run already finished.")
    var resume = false

    @Option(help: ArgumentHelp("Do shard I of N (I from 0), e.g. 0/3. Shards run anywhere, at once or in any order, "
                               + "into one folder; the last to finish writes the index. A shard run again keeps its finished tiles.",
                               valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Do one of N shards, its index from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) "
                               + "or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job).", valueName: "N"))
    var shards: Int?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.apply()
        let tiler = try makeTiler()
        let cancellation = CancellationFlag()
        let interrupts = InterruptHandler(onInterrupt: cancellation.cancel)
        defer { interrupts.restore() }
        let bar = ProgressBar.forStandardError()
        var progress: (@Sendable (TileProgress) -> Void)?
        if let bar { progress = { bar.update($0) } }
        let report = try tiler.run(cancellation: cancellation, progress: progress)
        bar?.finish()
        report.warnings.forEach(printWarning)
        print(report.summary)
    }

    /// An S3 prefix is written object by object; anything else is a local folder.
    private func makeTiler() throws -> Tiler {
        if let out, let objects = try ObjectPrefix.parse(out) {
            return Tiler(source: raster, objects: objects, options: try options())
        }
        return Tiler(source: raster, outDir: out.map { URL(fileURLWithPath: $0) }, options: try options())
    }

    private func options() throws -> TileOptions {
        var options = TileOptions()
        options.size = size
        options.overlap = overlap
        options.format = format
        options.compression = compress
        options.level = level
        options.predictor = predictor
        options.quality = quality
        options.edge = edge
        options.skipEmpty = skipEmpty
        options.bands = try bands.map(Self.parseBands)
        options.threads = threads
        options.resume = resume
        options.shard = try TileShard.requested(shard: shard, shards: shards, environment: ProcessInfo.processInfo.environment)
        return options
    }

    static func parseBands(_ text: String) throws -> [Int] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let band = Int(trimmed) else {
                throw TilingError.invalidOption("--bands", "'\(trimmed)' is not a band number (expected e.g. 3,2,1)")
            }
            return band
        }
    }
}
