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

    init(plan: FeaturePlan, options: WildfireOptions, post postInput: SceneInput, pre preInput: SceneInput?, dem demPath: String?) throws {
        self.plan = plan
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
            dem = try Self.onGrid(demPath, of: scene, crs: crs, transform: transform, resampling: "bilinear")
        } else {
            dem = nil
        }
        // gdaldem's convention for degrees: 111120 metres per degree.
        let toMetres = crs.isGeographic ? 111_120.0 : 1
        let c = transform.coefficients
        kernel = TerrainKernel(eastWest: c[1] * toMetres, northSouth: c[5] * toMetres)
    }

    /// `path` on the scene's grid: as it is when it already matches, else warped.
    static func onGrid(_ path: String, of scene: Raster, crs: CRS, transform: GeoTransform, resampling: String) throws -> Raster {
        let raster = try Raster.open(path)
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

    /// The planned features of `window`, band-sequential, nodata as `WildfireFeature.noData`.
    func compute(_ window: Window) throws -> [Float] {
        let count = window.pixelCount
        var output = [Float](repeating: WildfireFeature.noData, count: count * plan.features.count)
        let postBands = try reflectance(post, roles: postRoles, when: "post", window: window)
        let preBands = try pre.map { try reflectance($0, roles: preRoles, when: "pre", window: window) } ?? [:]
        let terrain = try dem.map { try Terrain(dem: $0, window: window, grid: grid, kernel: kernel) }
        output.withUnsafeMutableBufferPointer { out in
            for (slot, feature) in plan.features.enumerated() {
                let plane = UnsafeMutableBufferPointer(rebasing: out[(slot * count)..<((slot + 1) * count)])
                fill(plane, feature: feature, post: postBands, pre: preBands, terrain: terrain)
            }
        }
        return output
    }

    private func fill(_ plane: UnsafeMutableBufferPointer<Float>, feature: WildfireFeature, post: [String: [Double]],
                      pre: [String: [Double]], terrain: Terrain?) {
        for index in SpectralIndex.allCases {
            if feature.name == "\(index.rawValue)_post" { return spectral(plane, index, post) }
            if feature.name == "\(index.rawValue)_pre" { return spectral(plane, index, pre) }
        }
        if feature.group == .change { return change(plane, feature, pre: pre, post: post) }
        terrain?.fill(plane, feature: feature)
    }

    private func spectral(_ plane: UnsafeMutableBufferPointer<Float>, _ index: SpectralIndex, _ bands: [String: [Double]]) {
        let missing = [Double](repeating: .nan, count: plane.count)
        let red = bands["red"] ?? missing, nir = bands["nir"] ?? missing
        let swir1 = bands["swir1"] ?? missing, swir2 = bands["swir2"] ?? missing
        for pixel in 0..<plane.count {
            if let value = index.value(red: red[pixel], nir: nir[pixel], swir1: swir1[pixel], swir2: swir2[pixel]) {
                plane[pixel] = Float(value)
            }
        }
    }

    private func change(_ plane: UnsafeMutableBufferPointer<Float>, _ feature: WildfireFeature, pre: [String: [Double]], post: [String: [Double]]) {
        guard let preNIR = pre["nir"], let preSWIR2 = pre["swir2"], let postNIR = post["nir"], let postSWIR2 = post["swir2"] else { return }
        for pixel in 0..<plane.count {
            guard let before = SpectralIndex.normalizedDifference(preNIR[pixel], preSWIR2[pixel]),
                  let after = SpectralIndex.normalizedDifference(postNIR[pixel], postSWIR2[pixel]) else { continue }
            let dnbr = before - after
            let value: Double?
            switch feature {
            case .dnbr: value = dnbr
            case .rdnbr: value = before == 0 ? nil : SpectralIndex.finite(dnbr / abs(before).squareRoot())
            case .rbr: value = SpectralIndex.finite(dnbr / (before + 1.001))
            default: value = Double(BurnSeverity.classify(dnbr: dnbr).rawValue)
            }
            if let value { plane[pixel] = Float(value) }
        }
    }

    /// Reflectance planes by role, in Double (NaN where the band has its nodata value).
    private func reflectance(_ raster: Raster, roles: [String: Int], when: String, window: Window) throws -> [String: [Double]] {
        let wanted = FeaturePlan.roles(for: plan.features, when: when).sorted()
        guard !wanted.isEmpty else { return [:] }
        let bands = wanted.map { roles[$0]! }
        let samples = try raster.read(window, bands: bands, as: Float.self)
        let count = window.pixelCount
        var planes: [String: [Double]] = [:]
        for (slot, role) in wanted.enumerated() {
            let noData = raster.bandInfo(bands[slot]).noData.map(Float.init)
            let (scale, offset) = (options.scale, options.offset)
            planes[role] = (0..<count).map { pixel in
                let value = samples[slot * count + pixel]
                if let noData, value == noData || (noData.isNaN && value.isNaN) { return .nan }
                return Double(value) * scale + offset
            }
        }
        return planes
    }
}
