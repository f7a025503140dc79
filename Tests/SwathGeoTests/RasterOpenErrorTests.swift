import Foundation
import Testing
import SwathGeo
import SwathTestSupport

@Suite struct RasterOpenErrorTests {
    @Test func missingFileIsNamed() {
        #expect(throws: GeoError.fileNotFound(path: "/nonexistent/scene.tif")) { try Raster.open("/nonexistent/scene.tif") }
    }

    @Test func textFileIsNotARaster() throws {
        let path = Fixture.path("not_a_raster.tif")
        do {
            _ = try Raster.open(path)
            Issue.record("a text file opened as a raster")
        } catch let error as GeoError {
            guard case .notARaster(let named, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(named == path)
            #expect(reason.contains("not recognized"))
        }
    }

    @Test func absurdDimensionsOpenWithoutAllocating() throws {
        // The header claims 10^6 × 10^6 pixels; opening must be cheap and reading must fail cleanly.
        let raster = try Raster.open(Fixture.path("absurd.tif"))
        #expect(raster.width == 1_000_000 && raster.height == 1_000_000)
        #expect(throws: GeoError.self) { try raster.read(Window(col: 0, row: 0, width: 64, height: 64), as: UInt8.self) }
    }
}
