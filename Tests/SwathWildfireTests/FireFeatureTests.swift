import Foundation
import SwathGeo
import SwathTestSupport
@testable import SwathWildfire
import Testing

/// Fire features from burn-scar labels: the mask by hand, the signed distance
/// and the burned fractions by brute force on the fixture grid.
@Suite struct FireFeatureTests {
    /// A burned square (class 204) over columns 15–34 and rows 15–29, and an unburned strip (201).
    static func labels() -> [BurnLabel] {
        func rectangle(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> MultiPolygon {
            MultiPolygon(Polygon(rings: [[Point(x: minX, y: minY), Point(x: maxX, y: minY), Point(x: maxX, y: maxY),
                                            Point(x: minX, y: maxY), Point(x: minX, y: minY)]]))
        }
        return [BurnLabel(geometry: rectangle(600150, 4299700, 600350, 4299850), classId: 204, burned: true),
                BurnLabel(geometry: rectangle(600450, 4299600, 600550, 4299900), classId: 201, burned: false)]
    }

    static func isInBurnedSquare(_ col: Int, _ row: Int) -> Bool { (15...34).contains(col) && (15...29).contains(row) }

    @Test func maskClassesAndSignedDistance() throws {
        let fixture = try WildfireFixture()
        let output = fixture.directory.url.appendingPathComponent("fire")
        // Cropland (WorldCover 40) over columns 0–9.
        let cropland = MultiPolygon(Polygon(rings: [[Point(x: 600000, y: 4299520), Point(x: 600100, y: 4299520), Point(x: 600100, y: 4300000),
                                                     Point(x: 600000, y: 4300000), Point(x: 600000, y: 4299520)]]))
        _ = try WildfireExtractor.run(post: fixture.post, pre: nil, dem: nil, labels: Self.labels(),
                                      landCover: [ClassedShape(classId: 40, geometry: cropland)],
                                      options: WildfireOptions(features: ["fire", "landcover"], chipSize: 0), output: output)
        let stack = try Raster.open(output.appendingPathComponent("features.tif").path)
        #expect(stack.bands.map(\.description) == ["burned", "burn_class", "fire_distance_m", "burned_fraction_1km", "burned_fraction_3km",
                                                   "land_cover"])
        let values = try stack.read(stack.bounds, as: Float.self)
        let (width, height) = (64, 48)
        let plane = width * height
        var burnedCells: [(Int, Int)] = [], otherCells: [(Int, Int)] = []
        for row in 0..<height {
            for col in 0..<width {
                (Self.isInBurnedSquare(col, row) ? { burnedCells.append((col, row)) } : { otherCells.append((col, row)) })()
            }
        }
        for row in 0..<height {
            for col in 0..<width {
                let pixel = row * width + col
                let inside = Self.isInBurnedSquare(col, row)
                #expect(values[pixel] == (inside ? 1 : 0), "burned at \(col),\(row)")
                // The unburned strip: x 600450–600550 → columns 45–54, y → rows 10–39.
                let expectedClass: Float = inside ? 204 : ((45...54).contains(col) && (10...39).contains(row) ? 201 : 0)
                #expect(values[plane + pixel] == expectedClass, "class at \(col),\(row)")
                // Brute force: nearest centre on the other side, 10 m pixels.
                let others = inside ? otherCells : burnedCells
                let nearest = others.map { hypot(Double($0.0 - col), Double($0.1 - row)) * 10 }.min()!
                #expect(abs(Double(values[2 * plane + pixel]) - (inside ? -nearest : nearest)) <= 1e-3, "distance at \(col),\(row)")
                // 1 km and 3 km squares hold the whole 640 m × 480 m fixture.
                #expect(abs(values[3 * plane + pixel] - Float(burnedCells.count) / Float(plane)) <= 1e-6)
                #expect(values[5 * plane + pixel] == (col < 10 ? 40 : 0), "land cover at \(col),\(row)")
            }
        }
        // 20 × 15 burned pixels of 100 m²: 3 ha inside 2 × (20 + 15) pixel edges of 10 m.
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("summary.json"))) as! [[String: Any]]
        #expect(summary.count == 1 && summary[0]["file"] as? String == "features.tif")
        #expect(summary[0]["burnedAreaHectares"] as? Double == 3 && summary[0]["perimeterMetres"] as? Double == 700)
        #expect(summary[0]["meanSlopeDegrees"] is NSNull && summary[0]["severityHistogram"] is NSNull)
    }

    @Test func burnedFractionEqualsACount() throws {
        let fixture = try WildfireFixture()
        let context = try FireContext(labels: Self.labels(), scene: Raster.open(fixture.path("post.tif")))
        #expect(context.radius1km == 100 && context.radius3km == 300)
        for (x, y, radius) in [(0, 0, 3), (20, 20, 5), (63, 47, 7), (40, 10, 12), (34, 29, 1)] {
            var count = 0, cells = 0
            for row in max(y - radius, 0)...min(y + radius, 47) {
                for col in max(x - radius, 0)...min(x + radius, 63) {
                    cells += 1
                    if Self.isInBurnedSquare(col, row) { count += 1 }
                }
            }
            #expect(context.burnedFraction(x: x, y: y, radius: radius) == Float(count) / Float(cells), "\(x),\(y) r\(radius)")
        }
    }

    @Test func fireFeaturesWithoutLabelsSaySo() throws {
        let fixture = try WildfireFixture()
        #expect {
            _ = try fixture.stack(features: ["fire_distance_m"], out: "none")
        } throws: { error in
            "\(error)".contains("need") && "\(error)".contains("burn-scar labels on scene 2")
        }
        // Asked for everything without labels: the other features, no fire bands.
        let (_, report) = try fixture.stack(features: nil, out: "default")
        #expect(!report.features.contains { $0.group == .fire })
    }
}
