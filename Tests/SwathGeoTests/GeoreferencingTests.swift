import Foundation
import Testing
import SwathGeo
import SwathTestSupport

@Suite struct GeoreferencingTests {
    @Test func pixelCentresMatchCs2csThroughTheRotatedAffine() throws {
        let raster = try Raster.open(Fixture.path("rotated.tif"))
        let georeferencing = try Georeferencing(raster)
        let pixels = [Point(x: 0.5, y: 0.5), Point(x: 149.5, y: 99.5), Point(x: 75, y: 20)]
        let c = try #require(raster.geoTransform).coefficients
        let projected = pixels.map { Point(x: c[0] + $0.x * c[1] + $0.y * c[2], y: c[3] + $0.x * c[4] + $0.y * c[5]) }
        let reference = try GDALTools.toLonLat(fromEPSG: 32633, projected)
        for (a, b) in zip(try georeferencing.pixelToLonLat(pixels), reference) {
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9)
        }
    }

    @Test func lonLatToPixelRoundTrips() throws {
        let georeferencing = try Georeferencing(Raster.open(Fixture.path("utm_multiband.tif")))
        let pixels = [Point(x: 10.25, y: 20.75), Point(x: 255, y: 191)]
        let back = try georeferencing.lonLatToPixel(georeferencing.pixelToLonLat(pixels))
        for (a, b) in zip(pixels, back) { #expect(abs(a.x - b.x) < 1e-6 && abs(a.y - b.y) < 1e-6) }
    }

    @Test func sceneWithoutCRSIsRefused() throws {
        #expect(throws: GeoError.self) { try Georeferencing(Raster.open(Fixture.path("no_crs.tif"))) }
    }

    @Test func gdalVirtualPathsOpenLikeFiles() throws {
        let dir = try TemporaryDirectory()
        let zip = dir.file("scene.zip")
        let script = "import zipfile,sys; zipfile.ZipFile(sys.argv[1],'w').write(sys.argv[2],'utm_multiband.tif')"
        try Shell.run("python3", ["-c", script, zip, Fixture.path("utm_multiband.tif")])
        let raster = try Raster.open("/vsizip/\(zip)/utm_multiband.tif")
        #expect(raster.width == 256 && raster.crs?.epsg == 32610)
        #expect(throws: GeoError.self) { try Raster.open("/vsizip/\(zip)/missing.tif") }
    }
}
