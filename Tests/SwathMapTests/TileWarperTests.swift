import Foundation
import SwathGeo
@testable import SwathMap
import SwathTestSupport
import Testing

/// Our warp of a map tile against gdalwarp's for the same tile, band order,
/// resampling and overview level.
@Suite struct TileWarperTests {
    /// Zoomed in past the scene's pixels: full resolution, nearest neighbour.
    @Test func enlargedTileMatchesGdalwarpNearest() throws {
        let tile = try MapFixture.tile(containing: MapFixture.centreLonLat(), zoom: 15)
        try compare(tile: tile, resampling: "near", overview: "NONE", tolerance: 0)
    }

    /// Two zooms out the tile spans ~3 scene pixels per pixel: the ×2
    /// overview (gdalwarp's level 0).
    @Test func reducedTileReadsTheOverviewLikeGdalwarp() throws {
        let tile = try MapFixture.tile(containing: MapFixture.centreLonLat(), zoom: 12)
        try compare(tile: tile, resampling: "near", overview: "0", tolerance: 0)
    }

    /// A rotated scene is warped through its full affine, as gdalwarp does.
    @Test func rotatedSceneMatchesGdalwarp() throws {
        let path = Fixture.path("rotated.tif")
        let raster = try Raster.open(path)
        let centre = raster.geoTransform!.apply(col: Double(raster.width) / 2, row: Double(raster.height) / 2)
        let lonLat = try GDALTools.toLonLat(fromEPSG: raster.crs!.epsg!, [centre])[0]
        try compare(tile: MapFixture.tile(containing: lonLat, zoom: 15), resampling: "near", overview: "NONE", tolerance: 0,
                    path: path, bands: [1])
    }

    private func compare(tile: TileAddress, resampling: String, overview: String, tolerance: Float,
                         path: String = MapFixture.path, bands: [Int] = [3, 2, 1]) throws {
        let directory = try TemporaryDirectory()
        let reference = try MapFixture.gdalwarp(path, tile: tile, resampling: resampling, overview: overview, in: directory)
        let bandCount = try Raster.open(path).bandCount
        let plane = 256 * 256
        let alphaPlane = bandCount
        let warper = try TileWarper(path: path, targetCRS: MapFixture.webMercator)
        let (agreeing, valid, alphaAgreeing) = try warper.warp(bounds: tile.bounds.coordinates, bands: bands) { pixels in
            var agreeing = 0, valid = 0, alphaAgreeing = 0
            for pixel in 0..<plane {
                let ours = pixels.values[pixel * 4 + 3] > 0
                let theirs = reference[alphaPlane * plane + pixel] > 0
                if ours == theirs { alphaAgreeing += 1 }
                guard ours, theirs else { continue }
                valid += 1
                let same = bands.indices.allSatisfy { channel in
                    abs(pixels.values[pixel * 4 + channel] - reference[(bands[channel] - 1) * plane + pixel]) <= tolerance * max(1, reference[(bands[channel] - 1) * plane + pixel])
                }
                if same { agreeing += 1 }
            }
            return (agreeing, valid, alphaAgreeing)
        }
        #expect(valid > 2_000, "the tile should hold data: \(valid) valid pixels")
        #expect(Double(agreeing) >= 0.99 * Double(valid), "\(agreeing) of \(valid) pixels agree with gdalwarp")
        #expect(Double(alphaAgreeing) >= 0.99 * Double(plane), "\(alphaAgreeing) of \(plane) pixels agree on data/no data")
    }

    @Test func missingFileIsNamed() {
        #expect(throws: GeoError.fileNotFound(path: "/nonexistent/scene.tif")) {
            try TileWarper(path: "/nonexistent/scene.tif", targetCRS: MapFixture.webMercator)
        }
    }

    @Test func sceneWithoutCRSIsRefused() {
        #expect(throws: GeoError.self) { try TileWarper(path: Fixture.path("no_crs.tif"), targetCRS: MapFixture.webMercator) }
    }
}
