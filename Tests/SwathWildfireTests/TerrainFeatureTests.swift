import Foundation
import SwathGeo
import SwathTestSupport
@testable import SwathWildfire
import Testing

/// Terrain features against gdaldem (Horn) on the fixture DEM.
@Suite struct TerrainFeatureTests {
    func gdaldem(_ fixture: WildfireFixture, _ mode: String, _ extra: [String] = []) throws -> [Float] {
        let output = fixture.path("gdaldem-\(mode).tif")
        let result = try Shell.run("gdaldem", [mode, fixture.path("dem.tif"), output, "-q"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let data = try GDALTools.readWindow(output, Window(col: 0, row: 0, width: 64, height: 48), bands: [1], outputType: "Float32")
        return GDALTools.floats(data)
    }

    @Test func slopeAndAspectEqualGdaldem() throws {
        let fixture = try WildfireFixture()
        let (bands, _) = try fixture.stack(features: ["terrain"], dem: "dem.tif", withPre: false)
        let slope = try gdaldem(fixture, "slope"), aspect = try gdaldem(fixture, "aspect")
        let ourSlope = try #require(bands["slope_deg"])
        let sine = try #require(bands["aspect_sin"]), cosine = try #require(bands["aspect_cos"])
        var compared = 0, flat = 0
        for pixel in 0..<slope.count {
            if slope[pixel] == -9999 {
                #expect(ourSlope[pixel] == WildfireFeature.noData, "slope nodata at \(pixel)")
                continue
            }
            #expect(abs(ourSlope[pixel] - slope[pixel]) <= 1e-3, "slope at \(pixel): \(ourSlope[pixel]) vs \(slope[pixel])")
            if aspect[pixel] == -9999 {
                #expect(sine[pixel] == WildfireFeature.noData && cosine[pixel] == WildfireFeature.noData, "flat at \(pixel)")
                flat += 1
            } else {
                // Our aspect, back in degrees, within 1e-3° of gdaldem's.
                var degrees = Double(atan2(sine[pixel], cosine[pixel])) * 180 / .pi
                if degrees < 0 { degrees += 360 }
                var difference = abs(degrees - Double(aspect[pixel]))
                difference = min(difference, 360 - difference)
                #expect(difference <= 1e-3, "aspect at \(pixel): \(degrees) vs \(aspect[pixel])")
            }
            compared += 1
        }
        #expect(compared > 2_500 && flat >= 4, "compared \(compared), flat \(flat)")
    }

    @Test func tpiTriAndHillshadeEqualGdaldem() throws {
        let fixture = try WildfireFixture()
        let (bands, _) = try fixture.stack(features: ["tpi", "tri", "hillshade", "elevation"], dem: "dem.tif", withPre: false)
        let tpi = try gdaldem(fixture, "TPI"), tri = try gdaldem(fixture, "TRI")
        let shade = try gdaldem(fixture, "hillshade")
        let dem = try fixture.samples("dem.tif", band: 1)
        for pixel in 0..<tpi.count where tpi[pixel] != -9999 {
            #expect(abs(bands["tpi"]![pixel] - tpi[pixel]) <= 1e-3, "tpi at \(pixel)")
            #expect(abs(bands["tri"]![pixel] - tri[pixel]) <= 1e-3, "tri at \(pixel)")
        }
        // gdaldem's hillshade is Byte (nodata 0): ours rounds to it.
        var compared = 0
        for pixel in 0..<shade.count where shade[pixel] != 0 && bands["hillshade"]![pixel] != WildfireFeature.noData {
            #expect(abs(bands["hillshade"]![pixel] - shade[pixel]) <= 1, "hillshade at \(pixel)")
            compared += 1
        }
        #expect(compared > 2_500)
        for pixel in 0..<dem.count {
            #expect(bands["elevation"]![pixel] == (dem[pixel] == -32768 ? WildfireFeature.noData : dem[pixel]))
        }
    }

    /// A DEM in EPSG:4326 is warped onto the scene grid, as gdalwarp would.
    @Test func demInAnotherCRSIsWarped() throws {
        let fixture = try WildfireFixture()
        let (bands, _) = try fixture.stack(features: ["elevation"], dem: "dem_wgs84.tif", withPre: false)
        let warped = fixture.path("gdalwarp-dem.tif")
        let result = try Shell.run("gdalwarp", ["-q", "-t_srs", "EPSG:32610", "-te", "600000", "4299520", "600640", "4300000",
                                                "-ts", "64", "48", "-r", "bilinear", "-ot", "Float32", "-dstnodata", "-9999",
                                                fixture.path("dem_wgs84.tif"), warped])
        #expect(result.status == 0, "\(result.stderr)")
        let reference = GDALTools.floats(try GDALTools.readWindow(warped, Window(col: 0, row: 0, width: 64, height: 48),
                                                                  bands: [1], outputType: "Float32"))
        let ours = try #require(bands["elevation"])
        var compared = 0
        for pixel in 0..<reference.count where reference[pixel] != -9999 {
            #expect(abs(ours[pixel] - reference[pixel]) <= 1e-3, "elevation at \(pixel)")
            compared += 1
        }
        #expect(compared == 64 * 48)
    }
}
