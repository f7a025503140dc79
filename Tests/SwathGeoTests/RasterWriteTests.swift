import Foundation
import Testing
import SwathGeo
import SwathTestSupport

@Suite struct RasterWriteTests {
    @Test func geoTIFFWithCreationOptionsRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.tif")
        let size = Size(width: 40, height: 30)
        let raster = try Raster.create(path, driver: "GTiff", size: size, bandCount: 2, dataType: .int16,
                                       options: ["TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "COMPRESS=ZSTD"])
        let values = (0..<(size.width * size.height * 2)).map { Int16($0 % 3000 - 1500) }
        try raster.setGeoTransform(GeoTransform([500000, 2, 0, 100000, 0, -2]))
        try raster.setCRS(CRS("EPSG:32631"))
        try raster.setBandMetadata(1, noData: -9999, description: "elevation", colorInterpretation: "Gray")
        try raster.write(values, window: Window(col: 0, row: 0, width: 40, height: 30))
        try raster.close()

        let info = try GDALTools.info(path)
        #expect(info["geoTransform"] as? [Double] == [500000, 2, 0, 100000, 0, -2])
        let metadata = info["metadata"] as? [String: Any]
        let structure = metadata?["IMAGE_STRUCTURE"] as? [String: String]
        #expect(structure?["COMPRESSION"] == "ZSTD")
        let band = (info["bands"] as! [[String: Any]])[0]
        #expect(band["block"] as? [Int] == [16, 16])
        #expect(band["noDataValue"] as? Double == -9999)
        #expect(band["description"] as? String == "elevation")
        #expect(try Raster.open(path).crs?.epsg == 32631)
        let reread = GDALTools.samples(try GDALTools.readWindow(path, Window(col: 0, row: 0, width: 40, height: 30)), as: Int16.self)
        expectSame(reread, values)
    }

    @Test func unwritablePathIsAWriteError() throws {
        let dir = try TemporaryDirectory()
        let blocker = dir.file("file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        #expect(throws: GeoError.self) {
            try Raster.create(blocker + "/inside.tif", driver: "GTiff", size: Size(width: 4, height: 4), bandCount: 1, dataType: .byte)
        }
    }
}
