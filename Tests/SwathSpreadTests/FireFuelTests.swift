import Foundation
import Testing
import SwathGeo
import SwathSpread
import SwathTestSupport

/// Land cover as fuel on a fire's grid against the GDAL command line: at the scenes' own cell size what
/// `gdal_rasterize` burns, on a coarser grid `gdal_rasterize` at the scenes' cells then `gdalwarp -r mode`.
@Suite struct FireFuelTests {
    let utm = try! CRS("EPSG:32610").wkt
    // Forest (10) over most of it, a grassland (30) strip, cropland (40) over part of both, drawn last: it wins.
    let labels: [ClassedShape] = [
        ClassedShape(classId: 10, geometry: .rectangle(minX: 600_000, minY: 4_299_000, maxX: 600_730, maxY: 4_299_640)),
        ClassedShape(classId: 30, geometry: .rectangle(minX: 600_230, minY: 4_299_000, maxX: 600_410, maxY: 4_299_640)),
        ClassedShape(classId: 40, geometry: .rectangle(minX: 600_370, minY: 4_299_310, maxX: 600_800, maxY: 4_299_500)),
    ]

    func reference(fine: Double, coarse: Double?, grid: FireGrid, in folder: TemporaryDirectory) throws -> [Float] {
        let shapes = folder.file("landcover.geojson")
        let features = labels.map { label -> String in
            let b = label.geometry.bounds ?? []
            return #"{"type":"Feature","properties":{"class":\#(label.classId)},"geometry":{"type":"Polygon","coordinates":[[[\#(b[0]),\#(b[1])],[\#(b[2]),\#(b[1])],[\#(b[2]),\#(b[3])],[\#(b[0]),\#(b[3])],[\#(b[0]),\#(b[1])]]]}}"#
        }
        try (#"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}").write(toFile: shapes, atomically: true, encoding: .utf8)
        let c = grid.transform.coefficients
        let te = [c[0], c[3] + Double(grid.size.height) * c[5], c[0] + Double(grid.size.width) * c[1], c[3]].map { "\($0)" }
        let burned = folder.file("burned-\(fine).tif")
        let run = try Shell.run("gdal_rasterize", ["-q", "-a", "class", "-ot", "UInt16", "-a_srs", "EPSG:32610", "-te"] + te
                                + ["-tr", "\(fine)", "\(fine)", shapes, burned])
        guard run.status == 0 else { throw GDALTools.Failure(description: run.stderr) }
        var result = burned
        if let coarse {
            result = folder.file("mode-\(coarse).tif")
            let warp = try Shell.run("gdalwarp", ["-q", "-r", "mode", "-te"] + te + ["-tr", "\(coarse)", "\(coarse)", "-ot", "Float32", burned, result])
            guard warp.status == 0 else { throw GDALTools.Failure(description: warp.stderr) }
        }
        let raster = try Raster.open(result)
        return try raster.read(raster.bounds, bands: [1], as: Float.self)
    }

    @Test func atTheScenesCellSizeItIsWhatGdalRasterizeBurns() throws {
        let folder = try TemporaryDirectory("swath-fuel")
        let grid = FireGrid(crsWKT: utm, transform: GeoTransform(originX: 600_000, pixelWidth: 10, originY: 4_299_700, pixelHeight: -10),
                            size: Size(width: 90, height: 80))
        let fuel = try FireFuel(labels: labels, grid: grid, sourceCell: 10)
        #expect(fuel.classes == (try reference(fine: 10, coarse: nil, grid: grid, in: folder)))
        #expect(Set(fuel.classes) == [0, 10, 30, 40])
    }

    @Test func onACoarserGridEachCellTakesTheCommonestClass() throws {
        let folder = try TemporaryDirectory("swath-fuel-mode")
        let grid = FireGrid(crsWKT: utm, transform: GeoTransform(originX: 600_000, pixelWidth: 100, originY: 4_299_700, pixelHeight: -100),
                            size: Size(width: 9, height: 8))
        let fuel = try FireFuel(labels: labels, grid: grid, sourceCell: 10)
        #expect(fuel.classes == (try reference(fine: 10, coarse: 100, grid: grid, in: folder)))
        // By hand: the cell 600,000–600,100 × 4,299,500–4,299,600 (row 1) is all forest; 600,400–600,500 × 4,299,400–4,299,500
        // (row 2) all cropland (drawn last); 600,300–600,400 in row 2 is 70 % grassland, 30 % cropland: grassland.
        #expect(fuel.classes[1 * 9 + 0] == 10 && fuel.classes[2 * 9 + 4] == 40 && fuel.classes[2 * 9 + 3] == 30)
        // A class is never averaged: every value is one of the labels' classes or 0.
        #expect(Set(fuel.classes).isSubset(of: [0, 10, 30, 40]))
    }
}
