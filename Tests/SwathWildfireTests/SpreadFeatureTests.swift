import Foundation
import SwathGeo
import SwathTestSupport
@testable import SwathWildfire
import Testing

/// A synthetic fire whose perimeter moves 100 m east in 2 days: rates,
/// direction, time since burn and the perimeter table, worked out by hand.
@Suite struct SpreadFeatureTests {
    static let day0 = Date(timeIntervalSince1970: 1_780_000_000)

    /// Columns first...last, rows 10–29 of the fixture grid (10 m pixels from 600000, 4300000).
    static func block(firstColumn: Int, lastColumn: Int) -> MultiPolygon {
        let (minX, maxX) = (600000 + Double(firstColumn) * 10, 600000 + Double(lastColumn + 1) * 10)
        let (minY, maxY) = (4300000 - 30 * 10.0, 4300000 - 10 * 10.0)
        return MultiPolygon(Polygon(rings: [[Point(x: minX, y: minY), Point(x: maxX, y: minY), Point(x: maxX, y: maxY),
                                             Point(x: minX, y: maxY), Point(x: minX, y: minY)]]))
    }

    @Test func spreadOfAKnownMove() throws {
        let fixture = try WildfireFixture()
        let labels = [BurnLabel(geometry: Self.block(firstColumn: 10, lastColumn: 19), classId: 205, burned: true, observedAt: Self.day0),
                      BurnLabel(geometry: Self.block(firstColumn: 10, lastColumn: 29), classId: 204, burned: true,
                                observedAt: Self.day0.addingTimeInterval(2 * 86_400))]
        var post = fixture.post
        post.acquiredAt = Self.day0.addingTimeInterval(5 * 86_400)
        let output = fixture.directory.url.appendingPathComponent("spread")
        _ = try WildfireExtractor.run(post: post, pre: nil, dem: fixture.path("dem.tif"), labels: labels,
                                      options: WildfireOptions(features: ["spread", "slope_deg"], chipSize: 0), output: output)
        let stack = try Raster.open(output.appendingPathComponent("features.tif").path)
        let names = stack.bands.map(\.description)
        #expect(names == ["slope_deg", "spread_rate_m_per_day", "spread_dir_sin", "spread_dir_cos", "spread_upslope_alignment", "time_since_burn_days"])
        let values = try stack.read(stack.bounds, as: Float.self)
        let plane = 64 * 48
        func band(_ name: String, _ col: Int, _ row: Int) -> Float { values[names.firstIndex(of: name)! * plane + row * 64 + col] }
        for row in 12...27 {  // away from the block's corners
            for col in 0..<64 {
                let rate = band("spread_rate_m_per_day", col, row)
                if (20...29).contains(col) {
                    #expect(abs(rate - Float(col - 19) * 5) <= 1e-4, "rate at \(col),\(row)")
                    #expect(abs(band("spread_dir_sin", col, row) - 1) <= 1e-6 && abs(band("spread_dir_cos", col, row)) <= 1e-6,
                            "eastward at \(col),\(row)")
                    #expect(band("time_since_burn_days", col, row) == 3)
                } else {
                    #expect(rate == WildfireFeature.noData, "no rate off the front at \(col),\(row)")
                    #expect(band("time_since_burn_days", col, row) == ((10...19).contains(col) ? 5 : WildfireFeature.noData))
                }
            }
        }
        // Alignment: eastward spread against the DEM's uphill direction, by hand from gdaldem's aspect.
        let aspect = try fixture.path("aspect.tif")
        #expect(try Shell.run("gdaldem", ["aspect", "-q", fixture.path("dem.tif"), aspect]).status == 0)
        let aspects = GDALTools.floats(try GDALTools.readWindow(aspect, Window(col: 0, row: 0, width: 64, height: 48), bands: [1],
                                                                 outputType: "Float32"))
        for row in 12...27 {
            for col in 20...29 where aspects[row * 64 + col] != -9999 {
                // Aspect is downslope; uphill is opposite, so cos(east − uphill) = −sin(aspect).
                let expected = -sin(Double(aspects[row * 64 + col]) * .pi / 180)
                #expect(abs(Double(band("spread_upslope_alignment", col, row)) - expected) <= 1e-3, "alignment at \(col),\(row)")
            }
        }
        let table = try String(contentsOf: output.appendingPathComponent("perimeters.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(table.count == 3)
        #expect(table[1][3] == "2.0000" && table[1][4] == "600.00" && table[1][5] == "" && table[1][7] == "")
        #expect(table[2][3] == "4.0000" && table[2][4] == "800.00" && table[2][5] == "27.500" && table[2][6] == "50.000" && table[2][7] == "90.00")
    }

    /// Two separate fires, each growing: a row per fire and time.
    @Test func separateFiresGetTheirOwnRows() throws {
        let fixture = try WildfireFixture()
        let day2 = Self.day0.addingTimeInterval(2 * 86_400)
        let labels = [BurnLabel(geometry: Self.block(firstColumn: 2, lastColumn: 6), classId: 205, burned: true, observedAt: Self.day0),
                      BurnLabel(geometry: Self.block(firstColumn: 2, lastColumn: 11), classId: 205, burned: true, observedAt: day2),
                      BurnLabel(geometry: Self.block(firstColumn: 40, lastColumn: 44), classId: 204, burned: true, observedAt: Self.day0),
                      BurnLabel(geometry: Self.block(firstColumn: 40, lastColumn: 54), classId: 204, burned: true, observedAt: day2)]
        let output = fixture.directory.url.appendingPathComponent("two")
        _ = try WildfireExtractor.run(post: fixture.post, pre: nil, dem: nil, labels: labels,
                                      options: WildfireOptions(features: ["spread_rate_m_per_day"], chipSize: 0), output: output)
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("perimeters.json"))) as! [[String: Any]]
        let summary = rows.map { "\($0["fire"]!)/\($0["step"]!)/\($0["areaHectares"]!)/\($0["maxSpreadMetresPerDay"]!)" }
        // Fire 1: 5 × 20 then 10 × 20 pixels, front 50 m in 2 days; fire 2: 5 × 20 then 15 × 20, front 100 m.
        #expect(Set(summary) == ["1/0/1/<null>", "2/0/1/<null>", "1/1/2/25", "2/1/3/50"], "\(summary)")
    }

    @Test func onePerimeterOnlySaysSo() throws {
        let fixture = try WildfireFixture()
        let labels = [BurnLabel(geometry: Self.block(firstColumn: 10, lastColumn: 19), classId: 205, burned: true, observedAt: Self.day0)]
        #expect {
            _ = try WildfireExtractor.run(post: fixture.post, pre: nil, dem: nil, labels: labels,
                                          options: WildfireOptions(features: ["spread_rate_m_per_day"], chipSize: 0),
                                          output: fixture.directory.url.appendingPathComponent("one"))
        } throws: { error in
            "\(error)".contains("two or more times")
        }
    }
}
