import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// Everything `Raster` reports is checked against `gdalinfo -json` on the same file.
@Suite struct RasterMetadataTests {
    static let fixtures = ["utm_multiband.tif", "geographic.tif", "rotated.tif", "striped.tif", "no_crs.tif", "antimeridian.tif"]

    @Test(arguments: fixtures)
    func sizeBandsAndTransformMatchGdalinfo(_ name: String) throws {
        let path = Fixture.path(name)
        let raster = try Raster.open(path)
        let reference = try GDALTools.info(path)
        let size = reference["size"] as! [Int]
        #expect(raster.width == size[0])
        #expect(raster.height == size[1])
        let bands = reference["bands"] as! [[String: Any]]
        #expect(raster.bandCount == bands.count)
        for (band, expected) in zip(raster.bands, bands) {
            #expect(band.dataType.name == expected["type"] as? String)
            #expect(band.colorInterpretation == expected["colorInterpretation"] as? String)
            #expect(band.description == (expected["description"] as? String ?? ""))
            let block = expected["block"] as! [Int]
            #expect([band.blockWidth, band.blockHeight] == block)
            let overviews = (expected["overviews"] as? [[String: Any]] ?? []).map { $0["size"] as! [Int] }
            #expect(band.overviews.map { [$0.width, $0.height] } == overviews)
            switch expected["noDataValue"] {
            case nil: #expect(band.noData == nil)
            case let value as Double: #expect(band.noData == value)
            case let text as String: #expect(text.lowercased() == "nan" && band.noData?.isNaN == true)
            default: Issue.record("unexpected noDataValue in gdalinfo output")
            }
        }
        if let transform = reference["geoTransform"] as? [Double] {
            // gdalinfo prints 15 significant digits; the file holds full doubles.
            let ours = try #require(raster.geoTransform).coefficients
            for (a, b) in zip(ours, transform) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b))) }
        } else {
            #expect(raster.geoTransform == nil)
        }
    }

    @Test func crsCarriesEPSGCodeAndWKT2() throws {
        let expected = ["utm_multiband.tif": 32610, "geographic.tif": 4326, "rotated.tif": 32633, "striped.tif": 3857]
        for (name, code) in expected {
            let crs = try #require(try Raster.open(Fixture.path(name)).crs)
            #expect(crs.epsg == code, "\(name)")
            #expect(crs.wkt.hasPrefix(code == 4326 ? "GEOGCRS[" : "PROJCRS["), "\(name) WKT2")
            #expect(crs.wkt.contains("ID[\"EPSG\",\(code)]"), "\(name)")
            #expect(crs.projJSON?.contains("\"code\": \(code)") == true, "\(name) PROJJSON")
        }
        #expect(try Raster.open(Fixture.path("no_crs.tif")).crs == nil)
    }

    @Test func rotatedTransformIsKeptWhole() throws {
        let transform = try #require(try Raster.open(Fixture.path("rotated.tif")).geoTransform)
        #expect(transform.isRotated)
        #expect(abs(transform.coefficients[2] - 5.0) < 1e-12)
        #expect(abs(transform.coefficients[4] - 5.0) < 1e-12)
    }
}
