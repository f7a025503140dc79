import Foundation
import SwathGeo
import SwathTestSupport
import Testing

/// Our PNG encoder, decoded by GDAL's PNG driver (libpng): every byte back.
@Suite struct PNGEncoderTests {
    @Test(arguments: [(37, 23), (1, 1), (256, 256), (2, 300)])
    func gdalDecodesExactlyWhatWasEncoded(width: Int, height: Int) throws {
        var generator = SystemRandomNumberGenerator()
        // Smooth ramps plus noise, and a transparent band: what tiles look like.
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for row in 0..<height {
            for col in 0..<width {
                let base = (row * width + col) * 4
                pixels[base] = UInt8((col * 3) & 0xFF)
                pixels[base + 1] = UInt8((row * 5) & 0xFF)
                pixels[base + 2] = UInt8.random(in: 0...255, using: &generator)
                pixels[base + 3] = row % 7 == 0 ? 0 : 255
            }
        }
        let png = try pixels.withUnsafeBytes { try PNGEncoder.encodeRGBA($0.baseAddress!, size: Size(width: width, height: height)) }
        let directory = try TemporaryDirectory()
        let path = directory.file("tile.png")
        try Data(png).write(to: URL(fileURLWithPath: path))
        let decoded = try Raster.open(path)
        #expect(decoded.driverName == "PNG" && decoded.width == width && decoded.height == height && decoded.bandCount == 4)
        let info = try GDALTools.info(path)
        let interpretations = (info["bands"] as! [[String: Any]]).map { $0["colorInterpretation"] as! String }
        #expect(interpretations == ["Red", "Green", "Blue", "Alpha"])
        // Band-sequential from GDAL, interleaved from us.
        let planes = try decoded.read(decoded.bounds, as: UInt8.self)
        let plane = width * height
        var mismatches = 0
        for pixel in 0..<plane {
            for channel in 0..<4 where planes[channel * plane + pixel] != pixels[pixel * 4 + channel] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func emptyImageIsRefused() {
        var byte: UInt8 = 0
        #expect(throws: GeoError.self) { try PNGEncoder.encodeRGBA(&byte, size: Size(width: 0, height: 5)) }
    }
}
