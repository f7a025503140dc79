import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// Windowed reads compared with `gdal_translate -srcwin` extracting the same window.
@Suite struct RasterReadTests {
    @Test(arguments: [
        Window(col: 0, row: 0, width: 256, height: 192),
        Window(col: 37, row: 11, width: 100, height: 77),
        Window(col: 200, row: 150, width: 56, height: 42),
    ])
    func uint16WindowMatchesGdalTranslate(_ window: Window) throws {
        let path = Fixture.path("utm_multiband.tif")
        let ours = try Raster.open(path).read(window, as: UInt16.self)
        let reference = GDALTools.samples(try GDALTools.readWindow(path, window), as: UInt16.self)
        #expect(ours.count == window.pixelCount * 4)
        expectSame(ours, reference)
    }

    @Test func selectedBandsComeInTheAskedOrder() throws {
        let path = Fixture.path("striped.tif")
        let window = Window(col: 5, row: 3, width: 120, height: 60)
        let ours = try Raster.open(path).read(window, bands: [3, 1], as: UInt8.self)
        let reference = GDALTools.samples(try GDALTools.readWindow(path, window, bands: [3, 1]), as: UInt8.self)
        expectSame(ours, reference)
    }

    @Test func typeConversionIsGDALs() throws {
        let path = Fixture.path("utm_multiband.tif")
        let window = Window(col: 100, row: 100, width: 20, height: 10)
        let asFloat = try Raster.open(path).read(window, bands: [2], as: Float.self)
        let reference = GDALTools.floats(try GDALTools.readWindow(path, window, bands: [2], outputType: "Float32"))
        expectSame(asFloat, reference)
    }

    @Test func interleavedReadPlacesPixelsTogether() throws {
        let raster = try Raster.open(Fixture.path("utm_multiband.tif"))
        let window = Window(col: 120, row: 80, width: 9, height: 7)
        let planar = try raster.read(window, as: UInt16.self)
        var interleaved = [UInt16](repeating: 0, count: window.pixelCount * 4)
        try interleaved.withUnsafeMutableBytes {
            try raster.readInterleaved(window, bands: [1, 2, 3, 4], dataType: .uint16, into: $0.baseAddress!, bufferWidth: window.width)
        }
        for pixel in 0..<window.pixelCount {
            for band in 0..<4 {
                #expect(interleaved[pixel * 4 + band] == planar[band * window.pixelCount + pixel])
            }
        }
    }

    @Test func windowOutsideTheRasterIsRefused() throws {
        let raster = try Raster.open(Fixture.path("geographic.tif"))
        #expect(throws: GeoError.self) { try raster.read(Window(col: 150, row: 0, width: 100, height: 10), as: UInt8.self) }
        #expect(throws: GeoError.self) { try raster.read(Window(col: 0, row: 0, width: 10, height: 10), bands: [2], as: UInt8.self) }
    }

    @Test func truncatedDataFailsWithTheFileNamed() throws {
        let path = Fixture.path("truncated.tif")
        let raster = try Raster.open(path)  // the header is intact
        do {
            _ = try raster.read(raster.bounds, as: UInt16.self)
            Issue.record("reading a truncated file succeeded")
        } catch let error as GeoError {
            #expect(error.description.hasPrefix(path))
            #expect(error.description.contains("read failed"))
        }
    }
}

/// Compares sample arrays and reports the first difference, not both arrays.
func expectSame<T: Equatable>(_ ours: [T], _ reference: [T], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(ours.count == reference.count, "sample counts differ", sourceLocation: sourceLocation)
    if let index = zip(ours, reference).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
        Issue.record("first difference at sample \(index): \(ours[index]) vs \(reference[index])", sourceLocation: sourceLocation)
    }
}
