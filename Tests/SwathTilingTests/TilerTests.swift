import Foundation
import Testing
import SwathGeo
import SwathTestSupport
@testable import SwathTiling

/// Tiles checked against GDAL reading the same windows of the scene, and
/// index footprints against PROJ's cs2cs.
@Suite struct TilerTests {
    static let scene = Fixture.path("utm_multiband.tif")

    @Test func paddedOverlappingTilesArePixelExactAndGeoreferenced() throws {
        let dir = try TemporaryDirectory()
        let report = try tile("utm_multiband.tif", in: dir) { $0.size = 100; $0.overlap = 20 }
        // 256 × 192 at stride 80: columns at 0, 80, 160 (160 + 100 ≥ 256); rows at 0, 80 (80 + 100 < 192 → 3 rows).
        #expect(report.gridCols == 3 && report.gridRows == 3 && report.written == 9)
        let index = try loadIndex(dir)
        #expect(features(index).count == 9)
        for feature in features(index) {
            try checkTile(feature, dir: dir, size: 100)
        }
    }

    private func checkTile(_ feature: [String: Any], dir: TemporaryDirectory, size: Int) throws {
        let p = properties(feature)
        let x = p["x"] as! Int, y = p["y"] as! Int
        let tilePath = dir.file(p["path"] as! String)
        #expect(p["width"] as? Int == size && p["height"] as? Int == size)

        // Georeferencing: the scene's transform moved to the tile's first pixel, by hand.
        let info = try GDALTools.info(tilePath)
        #expect(info["geoTransform"] as? [Double] == [600000 + Double(x) * 10, 10, 0, 4300000 - Double(y) * 10, 0, -10])
        #expect(try Raster.open(tilePath).crs?.epsg == 32610)
        let bands = info["bands"] as! [[String: Any]]
        #expect(bands.map { $0["description"] as? String } == ["blue", "green", "red", "nir"])
        #expect(bands.allSatisfy { $0["noDataValue"] as? Double == 0 })

        // Pixels: the valid part equals gdal_translate's window of the scene; padding is nodata.
        let validWidth = min(size, 256 - x), validHeight = min(size, 192 - y)
        let sceneWindow = GDALTools.samples(try GDALTools.readWindow(
            Self.scene, Window(col: x, row: y, width: validWidth, height: validHeight)), as: UInt16.self)
        let tileValid = GDALTools.samples(try GDALTools.readWindow(
            tilePath, Window(col: 0, row: 0, width: validWidth, height: validHeight)), as: UInt16.self)
        expectSameSamples(tileValid, sceneWindow, "tile \(p["id"]!)")
        let whole = GDALTools.samples(try GDALTools.readWindow(tilePath, Window(col: 0, row: 0, width: size, height: size)), as: UInt16.self)
        let padding = (0..<(size * size)).filter { $0 % size >= validWidth || $0 / size >= validHeight }
        #expect(padding.allSatisfy { pixel in (0..<4).allSatisfy { whole[$0 * size * size + pixel] == 0 } })

        // nodataFraction: pixels where all four bands are 0, plus padding, counted here from GDAL's samples.
        let plane = validWidth * validHeight
        let empty = (0..<plane).filter { pixel in (0..<4).allSatisfy { sceneWindow[$0 * plane + pixel] == 0 } }.count
        let expectedFraction = Double(empty + size * size - plane) / Double(size * size)
        #expect(abs((p["nodataFraction"] as! Double) - expectedFraction) < 1e-12)
        #expect(p["empty"] as? Bool == (expectedFraction == 1))

        // Footprint: the tile's four corners through cs2cs, counter-clockwise.
        let corners = [(0, 0), (0, size), (size, size), (size, 0)].map {
            Point(x: 600000 + Double(x + $0.0) * 10, y: 4300000 - Double(y + $0.1) * 10)
        }
        let reference = try GDALTools.toLonLat(fromEPSG: 32610, corners)
        let geometry = feature["geometry"] as! [String: Any]
        #expect(geometry["type"] as? String == "Polygon")
        let ring = (geometry["coordinates"] as! [[[Double]]])[0]
        #expect(ring.count == 5 && ring.first! == ring.last!)
        for (position, expected) in zip(ring, reference) {
            #expect(abs(position[0] - expected.x) < 1e-9 && abs(position[1] - expected.y) < 1e-9)
        }
        #expect(signedArea(ring) > 0)
    }

    @Test func shrinkCutsEdgeTilesAndBandsComeInTheAskedOrder() throws {
        let dir = try TemporaryDirectory()
        let report = try tile("striped.tif", in: dir) { $0.size = 50; $0.edge = .shrink; $0.bands = [3, 1] }
        #expect(report.gridCols == 3 && report.gridRows == 2)  // 129 × 67
        let edge = dir.file("r0001_c0002.tif")
        let info = try GDALTools.info(edge)
        #expect(info["size"] as? [Int] == [29, 17])
        let expected = try GDALTools.readWindow(Fixture.path("striped.tif"), Window(col: 100, row: 50, width: 29, height: 17), bands: [3, 1])
        let actual = try GDALTools.readWindow(edge, Window(col: 0, row: 0, width: 29, height: 17))
        #expect(actual == expected)
        #expect((info["bands"] as! [[String: Any]]).count == 2)
    }

    @Test func dropLeavesOutPartialTiles() throws {
        let dir = try TemporaryDirectory()
        let report = try tile("utm_multiband.tif", in: dir) { $0.size = 100; $0.edge = .drop }
        #expect(report.gridCols == 2 && report.gridRows == 1 && report.written == 2)
        #expect(try listing(dir).filter { $0.hasSuffix(".tif") } == ["r0000_c0000.tif", "r0000_c0001.tif"])
    }

    @Test func skipEmptyWritesNoAllNodataTile() throws {
        let dir = try TemporaryDirectory()
        // Nodata where x + y < 110: the 32-pixel tiles at (0,0), (32,0), (0,32) lie wholly inside it.
        let report = try tile("utm_multiband.tif", in: dir) { $0.size = 32; $0.skipEmpty = true }
        #expect(report.total == 48)
        // Tile (c, r) is all nodata when its far pixel has x + y = 32(c + r) + 62 < 110, i.e. c + r ≤ 1.
        #expect(report.skippedEmpty == 3)
        let skipped = features(try loadIndex(dir)).map(properties).filter { $0["path"] is NSNull }
        #expect(skipped.count == 3)
        #expect(skipped.allSatisfy { $0["empty"] as? Bool == true && $0["nodataFraction"] as? Double == 1 })
        #expect(!FileManager.default.fileExists(atPath: dir.file("r0000_c0000.tif")))
        #expect(FileManager.default.fileExists(atPath: dir.file("r0000_c0003.tif")))
    }

    @Test func rotatedSceneTilesKeepTheFullAffine() throws {
        let dir = try TemporaryDirectory()
        _ = try tile("rotated.tif", in: dir) { $0.size = 64; $0.edge = .shrink }
        let scene = try #require(try Raster.open(Fixture.path("rotated.tif")).geoTransform).coefficients
        let info = try GDALTools.info(dir.file("r0001_c0002.tif"))
        let t = info["geoTransform"] as! [Double]
        // Origin of pixel (128, 64) through the rotated affine, by hand.
        #expect(abs(t[0] - (scene[0] + 128 * scene[1] + 64 * scene[2])) < 1e-6)
        #expect(abs(t[3] - (scene[3] + 128 * scene[4] + 64 * scene[5])) < 1e-6)
        #expect(abs(t[2] - scene[2]) < 1e-9 && abs(t[4] - scene[4]) < 1e-9)
        let feature = features(try loadIndex(dir)).first { properties($0)["id"] as? String == "r0001_c0002" }!
        let ring = ((feature["geometry"] as! [String: Any])["coordinates"] as! [[[Double]]])[0]
        let corners = [(128.0, 64.0), (128.0, 100.0), (150.0, 100.0), (150.0, 64.0)].map {
            Point(x: scene[0] + $0.0 * scene[1] + $0.1 * scene[2], y: scene[3] + $0.0 * scene[4] + $0.1 * scene[5])
        }
        let reference = try GDALTools.toLonLat(fromEPSG: 32633, corners)
        for (position, expected) in zip(ring, reference) {
            #expect(abs(position[0] - expected.x) < 1e-9 && abs(position[1] - expected.y) < 1e-9)
        }
        #expect(signedArea(ring) > 0)
    }

    @Test func sceneWithoutCRSTilesPixelAlignedWithAWarning() throws {
        let dir = try TemporaryDirectory()
        let report = try tile("no_crs.tif", in: dir) { $0.size = 50 }
        #expect(!report.georeferenced)
        #expect(report.warnings.count == 1 && report.warnings[0].contains("no CRS"))
        let index = try loadIndex(dir)
        #expect((index["swath"] as! [String: Any])["georeferenced"] as? Bool == false)
        #expect(features(index).allSatisfy { $0["geometry"] is NSNull && $0["bbox"] == nil })
        let info = try GDALTools.info(dir.file("r0000_c0000.tif"))
        #expect(info["coordinateSystem"] == nil || (info["coordinateSystem"] as? [String: Any])?["wkt"] as? String == "")
        // The NaN quarter: columns 0…24 of 100 are NaN, so tile (0,0) of 50 is half nodata.
        let first = properties(features(index)[0])
        #expect(first["nodataFraction"] as? Double == 0.5)
    }

    @Test func antimeridianTilesAreCutIntoMultiPolygons() throws {
        let dir = try TemporaryDirectory()
        _ = try tile("antimeridian.tif", in: dir) { $0.size = 25 }
        let types = features(try loadIndex(dir)).map { ($0["geometry"] as! [String: Any])["type"] as! String }
        #expect(types.contains("MultiPolygon") && types.contains("Polygon"))
        for feature in features(try loadIndex(dir)) {
            let bbox = feature["bbox"] as! [Double]
            #expect(bbox.allSatisfy { $0 >= -180 && $0 <= 180 })
        }
    }
}

/// Sparse GeoTIFFs: blocks never written are known empty to GDAL, so such
/// tiles are skipped without decoding anything; read, they hold nodata.
@Suite struct SparseSceneTests {
    private func makeSparseScene(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("sparse.tif")
        let raster = try Raster.create(path, driver: "GTiff", size: Size(width: 256, height: 128), bandCount: 1,
                                       dataType: .byte, options: ["TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=128", "SPARSE_OK=TRUE"])
        try raster.setGeoTransform(GeoTransform([500000, 1, 0, 0, 0, -1]))
        try raster.setCRS(CRS("EPSG:32631"))
        try raster.setBandMetadata(1, noData: 0, description: "", colorInterpretation: "Gray")
        try raster.write([UInt8](repeating: 7, count: 128 * 128), window: Window(col: 0, row: 0, width: 128, height: 128))
        try raster.close()
        return path
    }

    @Test func coverageReportsUnwrittenBlocksEmpty() throws {
        let dir = try TemporaryDirectory()
        let raster = try Raster.open(try makeSparseScene(dir))
        #expect(raster.dataCoverage(Window(col: 0, row: 0, width: 128, height: 128), band: 1) == .data)
        #expect(raster.dataCoverage(Window(col: 128, row: 0, width: 128, height: 128), band: 1) == .empty)
    }

    @Test func unwrittenBlocksAreSkippedOrRecordedEmpty() throws {
        let dir = try TemporaryDirectory()
        let scene = try makeSparseScene(dir)
        var options = TileOptions()
        options.size = 128
        options.skipEmpty = true
        let skipped = try Tiler(source: scene, outDir: dir.url.appendingPathComponent("skip"), options: options).run()
        #expect(skipped.written == 1 && skipped.skippedEmpty == 1)
        options.skipEmpty = false
        let kept = try Tiler(source: scene, outDir: dir.url.appendingPathComponent("keep"), options: options).run()
        #expect(kept.written == 2)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kept.index))) as! [String: Any]
        let fractions = (index["features"] as! [[String: Any]]).map { ($0["properties"] as! [String: Any])["nodataFraction"] as! Double }
        #expect(fractions == [0, 1])
    }
}
