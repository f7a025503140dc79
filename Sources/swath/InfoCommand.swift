import ArgumentParser
import Foundation
import SwathGeo

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a raster: size, bands, CRS, geotransform, and its footprint in WGS84."
    )

    @Argument(help: "A raster path or GDAL path (/vsicurl/…, /vsis3/…).")
    var raster: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.apply()
        let info = try RasterInfo(Raster.open(raster))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(info), as: UTF8.self))
        } else {
            print(InfoText(info).rendered)
        }
    }
}
