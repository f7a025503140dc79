import Foundation
import Testing
import SwathGeo
import SwathTestSupport
@testable import SwathTiling

@Suite struct TileFormatTests {
    @Test func cogTilesAreCloudOptimizedAndLossless() throws {
        let dir = try TemporaryDirectory()
        _ = try tile("utm_multiband.tif", in: dir) { $0.size = 128; $0.format = .cog; $0.compression = .zstd; $0.level = 5 }
        let path = dir.file("r0000_c0001.tif")
        let info = try GDALTools.info(path)
        let structure = (info["metadata"] as! [String: Any])["IMAGE_STRUCTURE"] as! [String: String]
        #expect(structure["LAYOUT"] == "COG")
        #expect(structure["COMPRESSION"] == "ZSTD")
        let expected = try GDALTools.readWindow(Fixture.path("utm_multiband.tif"), Window(col: 128, row: 0, width: 128, height: 128))
        #expect(try GDALTools.readWindow(path, Window(col: 0, row: 0, width: 128, height: 128)) == expected)
        #expect(try Raster.open(path).crs?.epsg == 32610)
    }

    @Test func pngTilesCarryGeoreferencingInTheirSidecar() throws {
        let dir = try TemporaryDirectory()
        _ = try tile("striped.tif", in: dir) { $0.size = 64; $0.format = .png }
        let names = try listing(dir)
        #expect(names.contains("r0000_c0000.png") && names.contains("r0000_c0000.png.aux.xml"))
        #expect(!names.contains { $0.hasSuffix(".part") || $0.contains(".part.") })
        let info = try GDALTools.info(dir.file("r0000_c0001.png"))
        #expect(info["geoTransform"] as? [Double] == [-13580000 + 64 * 30, 30, 0, 4560000, 0, -30])
        let expected = try GDALTools.readWindow(Fixture.path("striped.tif"), Window(col: 64, row: 0, width: 64, height: 64))
        #expect(try GDALTools.readWindow(dir.file("r0000_c0001.png"), Window(col: 0, row: 0, width: 64, height: 64)) == expected)
    }

    @Test func jpegTakesEightBitThreeBandScenes() throws {
        let dir = try TemporaryDirectory()
        let report = try tile("striped.tif", in: dir) { $0.size = 64; $0.format = .jpeg; $0.quality = 90 }
        #expect(report.written == 6)
        #expect(try GDALTools.info(dir.file("r0000_c0000.jpg"))["driverShortName"] as? String == "JPEG")
    }

    @Test func jpegRefusesSixteenBitBands() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: TilingError.self) { try tile("utm_multiband.tif", in: dir) { $0.format = .jpeg; $0.bands = [3, 2, 1] } }
        #expect(try listing(dir).isEmpty)
    }

    @Test func compressionOptionsReachGDAL() {
        var options = TileOptions()
        options.compression = .deflate
        options.level = 9
        options.predictor = 2
        #expect(TileFileWriter.creationOptions(options, dataType: .uint16) == ["TILED=YES", "BIGTIFF=IF_SAFER", "COMPRESS=DEFLATE", "ZLEVEL=9", "PREDICTOR=2"])
    }
}
