import Foundation
import SwathGeo
@testable import SwathMap
import SwathTestSupport
import Testing

@Suite struct TileAddressTests {
    /// Tile corners against PROJ: cs2cs takes each corner from EPSG:3857 to
    /// lon/lat, and the slippy-map formula must put it on the tile's edge.
    @Test func tileBoundsAgreeWithPROJ() throws {
        let tile = try TileAddress(z: 14, x: 2647, y: 6271)
        let b = tile.bounds
        let corners = try GDALTools.toLonLat(fromEPSG: 3857, [Point(x: b.minX, y: b.maxY), Point(x: b.maxX, y: b.minY)])
        let n = Double(1 << 14)
        // x = (lon + 180) / 360 · 2^z; y = (1 − asinh(tan φ) / π) / 2 · 2^z.
        func column(_ lon: Double) -> Double { (lon + 180) / 360 * n }
        func row(_ lat: Double) -> Double { (1 - asinh(tan(lat * .pi / 180)) / .pi) / 2 * n }
        #expect(abs(column(corners[0].x) - 2647) < 1e-6 && abs(row(corners[0].y) - 6271) < 1e-6)
        #expect(abs(column(corners[1].x) - 2648) < 1e-6 && abs(row(corners[1].y) - 6272) < 1e-6)
        #expect(WebMercator.tileBounds(z: 0, x: 0, y: 0) == MercatorBounds(minX: -20037508.342789244, minY: -20037508.342789244,
                                                                          maxX: 20037508.342789244, maxY: 20037508.342789244))
    }

    @Test func tileRangeCoversExactlyTheOverlappingTiles() {
        let bounds = MercatorBounds(minX: -100, minY: -100, maxX: 100, maxY: 100)
        let range = WebMercator.tileRange(covering: bounds, zoom: 1)
        #expect(range.x == 0...1 && range.y == 0...1)
        let quarter = WebMercator.tileBounds(z: 3, x: 5, y: 2)
        let inner = WebMercator.tileRange(covering: quarter, zoom: 3)
        #expect(inner.x == 5...5 && inner.y == 2...2)
    }

    /// The zoom where a Web Mercator pixel is at least as fine as the scene's.
    @Test func nativeZoom() {
        #expect(WebMercator.zoom(forResolution: WebMercator.resolution(zoom: 14)) == 14)
        #expect(WebMercator.zoom(forResolution: WebMercator.resolution(zoom: 14) * 1.3) == 14)
        #expect(WebMercator.zoom(forResolution: WebMercator.resolution(zoom: 14) * 0.9) == 15)
    }

    @Test func badAddressesAreRefusedWithAReason() {
        for (z, x, y, words) in [("25", "0", "0.png", "zoom 25"), ("3", "8", "0.png", "does not exist at zoom 3"),
                                 ("3", "-1", "0.png", "whole numbers"), ("3", "a", "0.png", "whole numbers"),
                                 ("3", "1", "1.jpg", "must end in {y}.png"), ("", "1", "1.png", "whole numbers"),
                                 ("3", "1", "99999999999.png", "whole numbers")] {
            #expect {
                _ = try TileAddress(z: z, x: x, yWithExtension: y)
            } throws: { error in
                "\(error)".contains(words)
            }
        }
    }

    @Test func bandSelections() throws {
        let roles = ["blue": 1, "green": 2, "red": 3, "nir": 4]
        #expect(try BandSelection(parameter: nil).bands(roles: roles, bandCount: 4) == [3, 2, 1])
        #expect(try BandSelection(parameter: nil).bands(roles: [:], bandCount: 4) == [1, 2, 3])
        #expect(try BandSelection(parameter: nil).bands(roles: [:], bandCount: 1) == [1])
        #expect(try BandSelection(parameter: "false-color").bands(roles: roles, bandCount: 4) == [4, 3, 2])
        #expect(try BandSelection(parameter: "4,3,2").bands(roles: [:], bandCount: 4) == [4, 3, 2])
        #expect(try BandSelection(parameter: "2").bands(roles: [:], bandCount: 4) == [2])
        #expect(BandPreset.available(roles: roles) == [.trueColor, .falseColor])
        #expect(throws: MapTileError.badRequest("band 5 does not exist: the scene has bands 1–4")) {
            try BandSelection(parameter: "5,3,2").bands(roles: roles, bandCount: 4)
        }
        #expect(throws: MapTileError.self) { try BandSelection(parameter: "swir").bands(roles: roles, bandCount: 4) }
        for bad in ["4,3", "a,b,c", "1,,2", "ndvi", "4;3;2"] {
            #expect(throws: MapTileError.self) { try BandSelection(parameter: bad) }
        }
    }

    @Test func stretches() throws {
        #expect(try Stretch(parameter: nil) == .standard)
        #expect(try Stretch(parameter: "p2-98") == .standard)
        #expect(try Stretch(parameter: "minmax") == .minMax)
        let fine = try Stretch(parameter: "p0.5-99.5")
        #expect(fine.lowPermille == 5 && fine.highPermille == 995 && fine.description == "p0.5-99.5")
        for bad in ["p98-2", "p2-101", "p2", "2-98", "p-1-98", "pa-b", "p2-98-99", "p0.25-98", "max", "p2-2"] {
            #expect(throws: MapTileError.self, "\(bad)") { try Stretch(parameter: bad) }
        }
    }
}
