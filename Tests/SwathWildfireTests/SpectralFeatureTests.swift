import Foundation
import SwathGeo
import SwathTestSupport
@testable import SwathWildfire
import Testing

/// Spectral and change features against their formulas, computed here in
/// Double from the raw digital numbers gdal_translate reads.
@Suite struct SpectralFeatureTests {
    @Test func indicesEqualTheirFormulas() throws {
        let fixture = try WildfireFixture()
        let (bands, _) = try fixture.stack(features: ["spectral", "change"])
        func reflectance(_ file: String, _ band: Int) throws -> [Double?] {
            try fixture.samples(file, band: band).map { $0 == 0 ? nil : Double($0) * 0.0001 - 0.1 }
        }
        var checked = 0, nodata = 0
        for when in ["pre", "post"] {
            let file = "\(when).tif"
            let red = try reflectance(file, 3), nir = try reflectance(file, 4)
            let swir1 = try reflectance(file, 5), swir2 = try reflectance(file, 6)
            func nd(_ a: Double?, _ b: Double?) -> Double? {
                guard let a, let b, a + b != 0 else { return nil }
                return (a - b) / (a + b)
            }
            let formulas: [String: (Int) -> Double?] = [
                "ndvi": { nd(nir[$0], red[$0]) },
                "nbr": { nd(nir[$0], swir2[$0]) },
                "nbr2": { nd(swir1[$0], swir2[$0]) },
                "ndmi": { nd(nir[$0], swir1[$0]) },
                "evi2": { pixel in
                    guard let n = nir[pixel], let r = red[pixel] else { return nil }
                    return 2.5 * (n - r) / (n + 2.4 * r + 1)
                },
            ]
            for (name, formula) in formulas {
                let ours = try #require(bands["\(name)_\(when)"], "\(name)_\(when) in the stack")
                for pixel in 0..<ours.count {
                    if let expected = formula(pixel) {
                        #expect(Self.close(ours[pixel], expected), "\(name)_\(when) pixel \(pixel)")
                        checked += 1
                    } else {
                        #expect(ours[pixel] == WildfireFeature.noData, "\(name)_\(when) pixel \(pixel) should be nodata")
                        nodata += 1
                    }
                }
            }
        }
        #expect(checked > 25_000 && nodata >= 2 * (4 * 5 + 1), "zero denominators and nodata pixels were exercised: \(nodata)")
    }

    /// Tolerance 1e-6, relative above magnitude 1 (what Float32 can hold there).
    static func close(_ ours: Float, _ expected: Double) -> Bool {
        abs(Double(ours) - expected) <= 1e-6 * max(1, abs(expected))
    }

    @Test func changeFeaturesEqualTheirFormulas() throws {
        let fixture = try WildfireFixture()
        let (bands, _) = try fixture.stack(features: ["change"])
        func nbr(_ file: String) throws -> [Double?] {
            let nir = try fixture.samples(file, band: 4), swir2 = try fixture.samples(file, band: 6)
            return zip(nir, swir2).map { n, s in
                guard n != 0, s != 0 else { return nil }
                let (a, b) = (Double(n) * 0.0001 - 0.1, Double(s) * 0.0001 - 0.1)
                return a + b == 0 ? nil : (a - b) / (a + b)
            }
        }
        let pre = try nbr("pre.tif"), post = try nbr("post.tif")
        let dnbr = try #require(bands["dnbr"]), rdnbr = try #require(bands["rdnbr"])
        let rbr = try #require(bands["rbr"]), severity = try #require(bands["severity"])
        var compared = 0
        for pixel in 0..<dnbr.count {
            guard let before = pre[pixel], let after = post[pixel] else {
                #expect(dnbr[pixel] == WildfireFeature.noData && severity[pixel] == WildfireFeature.noData && rbr[pixel] == WildfireFeature.noData)
                continue
            }
            let d = before - after
            #expect(Self.close(dnbr[pixel], d), "dnbr at \(pixel)")
            if before == 0 {
                #expect(rdnbr[pixel] == WildfireFeature.noData, "rdnbr divides by √0 at \(pixel)")
            } else {
                #expect(Self.close(rdnbr[pixel], d / abs(before).squareRoot()), "rdnbr at \(pixel)")
            }
            #expect(Self.close(rbr[pixel], d / (before + 1.001)), "rbr at \(pixel)")
            #expect(severity[pixel] == Float(BurnSeverity.classify(dnbr: d).rawValue), "severity at \(pixel)")
            compared += 1
        }
        #expect(compared > 3_000)
    }

    /// Each USGS boundary belongs to the class above it; just below, to the class below.
    @Test func severityBoundaries() {
        let classes: [(Double, BurnSeverity, BurnSeverity)] = [
            (-0.100, .unburned, .enhancedRegrowth), (0.100, .low, .unburned), (0.270, .moderateLow, .low),
            (0.440, .moderateHigh, .moderateLow), (0.660, .high, .moderateHigh),
        ]
        for (boundary, at, below) in classes {
            #expect(BurnSeverity.classify(dnbr: boundary) == at, "\(boundary)")
            #expect(BurnSeverity.classify(dnbr: boundary.nextDown) == below, "just below \(boundary)")
        }
        #expect(BurnSeverity.classify(dnbr: -2) == .enhancedRegrowth && BurnSeverity.classify(dnbr: 2) == .high)
    }

    @Test func outputsHoldNoNaNOrInfinity() throws {
        let fixture = try WildfireFixture()
        let (bands, report) = try fixture.stack(features: nil, dem: "dem.tif")
        #expect(report.features.count == 21)
        for (name, values) in bands {
            let nonFinite = values.filter { !$0.isFinite }.count
            #expect(nonFinite == 0, "\(name) has NaN or infinity")
        }
        let catalog = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.directory.url
            .appendingPathComponent("out/features.json"))) as! [String: Any]
        let names = (catalog["bands"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(names == report.features.map(\.name))
        #expect(names.starts(with: ["ndvi_pre", "nbr_pre", "nbr2_pre", "ndmi_pre", "evi2_pre", "ndvi_post"]))
        #expect(catalog["noData"] as? Double == -9999)
    }
}
