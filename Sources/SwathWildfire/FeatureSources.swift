import Foundation
import SwathGeo

/// One thread's view of the inputs, all on the post-fire scene's grid:
/// the post-fire scene itself, the pre-fire scene and the DEM each either
/// read directly (same grid) or through a warped VRT (GDAL's warper). It
/// computes every planned feature for a window of that grid.
final class FeatureSources {
    private let plan: FeaturePlan
    private let options: WildfireOptions
    private let post: Raster
    private let postRoles: [String: Int]
    private let pre: Raster?
    private let preRoles: [String: Int]
    private let dem: Raster?
    private let grid: Size
    private let kernel: TerrainKernel
    private let fire: FireContext?
    private let series: PerimeterSeries?
    private let now: Date?
    private let landCover: LandCoverContext?

    init(plan: FeaturePlan, options: WildfireOptions, post postInput: SceneInput, pre preInput: SceneInput?, dem demPath: String?,
         fire: FireContext?, series: PerimeterSeries?, now: Date?, landCover: LandCoverContext?) throws {
        self.landCover = landCover
        self.plan = plan
        self.fire = fire
        self.series = series
        self.now = now
        self.options = options
        post = try Raster.open(postInput.path)
        postRoles = postInput.bandRoles
        grid = post.size
        guard let crs = post.crs, let transform = post.geoTransform else {
            throw WildfireError("\(postInput.label) (\(postInput.path)) is not georeferenced")
        }
        let scene = post
        pre = try plan.needsPre ? preInput.map { try Self.onGrid($0.path, of: scene, crs: crs, transform: transform, resampling: "bilinear") } : nil
        preRoles = preInput?.bandRoles ?? [:]
        if plan.needsDEM, let demPath {
            dem = try Self.onGrid(demPath, of: scene, crs: crs, transform: transform, resampling: "bilinear", drivers: options.demDrivers)
        } else {
            dem = nil
        }
        let c = transform.coefficients
        kernel = TerrainKernel(eastWest: c[1] * crs.metresPerUnit, northSouth: c[5] * crs.metresPerUnit)
    }

    /// `path` on the scene's grid: as it is when it already matches, else warped.
    static func onGrid(_ path: String, of scene: Raster, crs: CRS, transform: GeoTransform, resampling: String,
                       drivers: [String]? = nil) throws -> Raster {
        let raster = try Raster.open(path, drivers: drivers)
        guard let otherCRS = raster.crs, raster.geoTransform != nil else {
            throw WildfireError("\(path) is not georeferenced, so it cannot be put on the scene's grid")
        }
        if raster.size == scene.size, raster.geoTransform == transform, otherCRS.wkt == crs.wkt { return raster }
        do {
            return try raster.warped(toCRS: crs.wkt, transform: transform, size: scene.size, resampling: resampling)
        } catch let error as GeoError {
            throw WildfireError("\(path) could not be warped onto the scene's grid: \(error)")
        }
    }

    /// Reused from window to window: a strip's planes are tens of megabytes.
    private var output: [Float] = []

    /// The planned features of `window`, band-sequential, nodata as
    /// `WildfireFeature.noData`, handed to `body` (valid during the call).
    func compute(_ window: Window, _ body: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        let count = window.pixelCount
        if output.count != count * plan.features.count {
            output = [Float](repeating: WildfireFeature.noData, count: count * plan.features.count)
        } else {
            output.withUnsafeMutableBufferPointer { $0.update(repeating: WildfireFeature.noData) }
        }
        let postBands = try reflectance(post, roles: postRoles, when: "post", window: window)
        let preBands = try pre.map { try reflectance($0, roles: preRoles, when: "pre", window: window) } ?? [:]
        let terrain = try dem.map { try Terrain(dem: $0, window: window, grid: grid, kernel: kernel, spread: series) }
        output.withUnsafeMutableBufferPointer { out in
            var terrainPlanes: [(Terrain.Output, UnsafeMutableBufferPointer<Float>)] = []
            for (slot, feature) in plan.features.enumerated() {
                let plane = UnsafeMutableBufferPointer(rebasing: out[(slot * count)..<((slot + 1) * count)])
                if let kind = Terrain.Output(feature) {
                    terrainPlanes.append((kind, plane))
                } else if feature.group == .fire, let fire {
                    fill(plane, fireFeature: feature, fire: fire, window: window)
                } else if feature.group == .landcover, let landCover {
                    for row in 0..<window.height {
                        for col in 0..<window.width {
                            plane[row * window.width + col] = Float(landCover.classes[(window.row + row) * landCover.width + window.col + col])
                        }
                    }
                } else if feature.group == .spread, let series {
                    fill(plane, spreadFeature: feature, series: series, window: window)
                } else {
                    fill(plane, feature: feature, post: postBands, pre: preBands)
                }
            }
            terrain?.fill(terrainPlanes)
        }
        try output.withUnsafeBufferPointer(body)
    }

    private func fill(_ plane: UnsafeMutableBufferPointer<Float>, feature: WildfireFeature, post: [String: [Float]],
                      pre: [String: [Float]]) {
        for index in SpectralIndex.allCases {
            if feature.name == "\(index.rawValue)_post" { return spectral(plane, index, post) }
            if feature.name == "\(index.rawValue)_pre" { return spectral(plane, index, pre) }
        }
        if feature.group == .change { change(plane, feature, pre: pre, post: post) }
    }

    private func fill(_ plane: UnsafeMutableBufferPointer<Float>, fireFeature feature: WildfireFeature, fire: FireContext, window: Window) {
        let kind = [WildfireFeature.burned, .burnClass, .fireDistance, .burnedFraction1km, .burnedFraction3km].firstIndex(of: feature) ?? 0
        for row in 0..<window.height {
            for col in 0..<window.width {
                let (x, y) = (window.col + col, window.row + row)
                let index = y * fire.width + x
                let value: Float?
                switch kind {
                case 0: value = fire.burned[index] ? 1 : 0
                case 1: value = Float(fire.classes[index])
                case 2: value = fire.signedDistance[index]
                case 3: value = fire.burnedFraction(x: x, y: y, radius: fire.radius1km)
                default: value = fire.burnedFraction(x: x, y: y, radius: fire.radius3km)
                }
                if let value { plane[row * window.width + col] = value }
            }
        }
    }

    private func fill(_ plane: UnsafeMutableBufferPointer<Float>, spreadFeature feature: WildfireFeature, series: PerimeterSeries,
                      window: Window) {
        let kind = [WildfireFeature.spreadRate, .spreadSin, .spreadCos, .timeSinceBurn].firstIndex(of: feature) ?? 0
        for row in 0..<window.height {
            for col in 0..<window.width {
                let index = (window.row + row) * grid.width + window.col + col
                let value: Float?
                switch kind {
                case 0: value = series.rate[index]
                case 1: value = series.direction[index]?.east
                case 2: value = series.direction[index]?.north
                default:
                    let step = Int(series.arrival[index])
                    value = step < 0 ? nil : now.map { Float($0.timeIntervalSince(series.times[step]) / 86_400) }
                }
                if let value { plane[row * window.width + col] = value }
            }
        }
    }

    private func spectral(_ plane: UnsafeMutableBufferPointer<Float>, _ index: SpectralIndex, _ bands: [String: [Float]]) {
        let missing = [Float](repeating: .nan, count: plane.count)
        let red = bands["red"] ?? missing, nir = bands["nir"] ?? missing
        let swir1 = bands["swir1"] ?? missing, swir2 = bands["swir2"] ?? missing
        let (scale, offset) = (options.scale, options.offset)
        for pixel in 0..<plane.count {
            if let value = index.value(red: Double(red[pixel]) * scale + offset, nir: Double(nir[pixel]) * scale + offset,
                                       swir1: Double(swir1[pixel]) * scale + offset, swir2: Double(swir2[pixel]) * scale + offset) {
                plane[pixel] = Float(value)
            }
        }
    }

    private func change(_ plane: UnsafeMutableBufferPointer<Float>, _ feature: WildfireFeature, pre: [String: [Float]], post: [String: [Float]]) {
        guard let preNIR = pre["nir"], let preSWIR2 = pre["swir2"], let postNIR = post["nir"], let postSWIR2 = post["swir2"] else { return }
        let (scale, offset) = (options.scale, options.offset)
        // Decided once, not per pixel: comparing features compares their strings.
        let kind = [WildfireFeature.dnbr, .rdnbr, .rbr, .severity].firstIndex(of: feature) ?? 3
        for pixel in 0..<plane.count {
            guard let before = SpectralIndex.normalizedDifference(Double(preNIR[pixel]) * scale + offset, Double(preSWIR2[pixel]) * scale + offset),
                  let after = SpectralIndex.normalizedDifference(Double(postNIR[pixel]) * scale + offset,
                                                                 Double(postSWIR2[pixel]) * scale + offset) else { continue }
            let dnbr = before - after
            let value: Double?
            switch kind {
            case 0: value = dnbr
            case 1: value = before == 0 ? nil : SpectralIndex.finite(dnbr / abs(before).squareRoot())
            case 2: value = SpectralIndex.finite(dnbr / (before + 1.001))
            default: value = Double(BurnSeverity.classify(dnbr: dnbr).rawValue)
            }
            if let value { plane[pixel] = Float(value) }
        }
    }

    /// The summary of a computed window (`values` as `compute` handed them).
    func summary(of window: Window, values: UnsafeBufferPointer<Float>) -> StackSummary {
        var summary = StackSummary()
        let count = window.pixelCount
        func plane(_ feature: WildfireFeature) -> UnsafeBufferPointer<Float>? {
            plan.features.firstIndex(of: feature).map { UnsafeBufferPointer(rebasing: values[($0 * count)..<(($0 + 1) * count)]) }
        }
        if let severity = plane(.severity) {
            summary.hasSeverity = true
            for value in severity where value >= 1 && value <= 6 { summary.severityCounts[Int(value)] += 1 }
        }
        if let slope = plane(.slope) {
            for value in slope where value != WildfireFeature.noData {
                summary.slopeSum += Double(value)
                summary.slopeCount += 1
            }
        }
        if let fire {
            summary.hasBurned = true
            for row in window.row..<(window.row + window.height) {
                for col in window.col..<(window.col + window.width) {
                    let index = row * fire.width + col
                    if fire.burned[index] { summary.burnedPixels += 1 }
                    // Right and lower neighbours, scene-wide: windows' sums add up exactly.
                    if col + 1 < fire.width, fire.burned[index] != fire.burned[index + 1] { summary.edges += 1 }
                    if row + 1 < fire.height, fire.burned[index] != fire.burned[index + fire.width] { summary.edges += 1 }
                }
            }
        }
        if let series {
            summary.hasSpread = true
            for row in window.row..<(window.row + window.height) {
                for col in window.col..<(window.col + window.width) {
                    if let rate = series.rate[row * grid.width + col] {
                        summary.spreadSum += Double(rate)
                        summary.spreadCount += 1
                    }
                }
            }
        }
        return summary
    }

    /// Digital numbers by role, NaN where the band holds its nodata value
    /// (reflectance is taken in Double where it is used: DN × scale + offset).
    private func reflectance(_ raster: Raster, roles: [String: Int], when: String, window: Window) throws -> [String: [Float]] {
        let wanted = FeaturePlan.roles(for: plan.features, when: when).sorted()
        guard !wanted.isEmpty else { return [:] }
        var planes: [String: [Float]] = [:]
        for role in wanted {
            let band = roles[role]!
            var plane = [Float](repeating: 0, count: window.pixelCount)
            try plane.withUnsafeMutableBytes { try raster.readPlanes(window, bands: [band], dataType: .float32, into: $0.baseAddress!) }
            if let noData = raster.bandInfo(band).noData.map(Float.init) {
                for pixel in plane.indices where plane[pixel] == noData || (noData.isNaN && plane[pixel].isNaN) { plane[pixel] = .nan }
            }
            planes[role] = plane
        }
        return planes
    }
}
