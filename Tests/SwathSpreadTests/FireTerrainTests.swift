import Foundation
import Testing
import SwathGeo
import SwathSpread
import SwathTestSupport

/// A DEM that is a plane rising 1 m in 10 eastward: on a fire's grid its elevation is the plane at each cell
/// centre, its slope atan(0.1) = 5.7106°, uphill due east, and an eastward wind lines up with it exactly.
@Suite struct FireTerrainTests {
    static func plane(in folder: TemporaryDirectory) throws -> String {
        let row: [Float] = (0..<200).map { (col: Int) -> Float in
            let east: Double = 30 * (Double(col) + 0.5)
            return Float(100 + 0.1 * east)
        }
        let heights: [Float] = Array([[Float]](repeating: row, count: 200).joined())
        return try TestGeoTIFF.write(folder.file("plane.tif"), size: Size(width: 200, height: 200),
                                     transform: GeoTransform(originX: 599_000, pixelWidth: 30, originY: 4_301_000, pixelHeight: -30), epsg: 32610, values: heights)
    }

    @Test func aPlaneRisingEast() throws {
        let folder = try TemporaryDirectory("swath-terrain")
        let utm = try CRS("EPSG:32610").wkt
        let grid = FireGrid(crsWKT: utm, transform: GeoTransform(originX: 601_000, pixelWidth: 10, originY: 4_299_000, pixelHeight: -10),
                            size: Size(width: 20, height: 15))
        let terrain = try FireTerrain(dem: try Self.plane(in: folder), grid: grid)
        for row in [0, 7, 14] {
            for col in [0, 9, 19] {
                let x = 601_000 + 10 * (Double(col) + 0.5)
                #expect(abs(Double(terrain.elevation[row * 20 + col]) - (100 + 0.1 * (x - 599_000))) < 1e-3, "(\(col), \(row))")
            }
        }
        let slope = atan(0.1) * 180 / .pi
        #expect(terrain.slopeDegrees.allSatisfy { abs(Double($0) - slope) < 1e-3 }, "\(terrain.slopeDegrees.prefix(3)) vs \(slope)")
        #expect(terrain.upslopeSin.allSatisfy { abs($0 - 1) < 1e-5 } && terrain.upslopeCos.allSatisfy { abs($0) < 1e-5 })
        let east = Wind(u: 4, v: 0)
        #expect(abs(east.alignment(sin: terrain.upslopeSin[0], cos: terrain.upslopeCos[0]) - 1) < 1e-5)
    }

    @Test func aGridTheDEMDoesNotCoverIsRefused() throws {
        let folder = try TemporaryDirectory("swath-terrain")
        let grid = FireGrid(crsWKT: try CRS("EPSG:32610").wkt, transform: GeoTransform(originX: 640_000, pixelWidth: 10, originY: 4_299_000, pixelHeight: -10),
                            size: Size(width: 20, height: 15))
        #expect(throws: SpreadError.self) { try FireTerrain(dem: try Self.plane(in: folder), grid: grid) }
        #expect(throws: SpreadError.self) { try FireTerrain(dem: folder.file("missing.tif"), grid: grid) }
    }
}
