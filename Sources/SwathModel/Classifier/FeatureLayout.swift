import SwathWildfire

/// Which per-pixel features a classifier reads, in order: each band's reflectance (DN × scale +
/// offset), the spectral indices the band roles allow (the wildfire module's), then each band's
/// mean and standard deviation over the (2r + 1)² window around the pixel (pixels inside the scene
/// and with data only). The same layout is used to train and to predict.
public struct FeatureLayout: Codable, Equatable, Sendable {
    public var bands: BandLayout
    public var scale: Double
    public var offset: Double
    /// `SpectralIndex` names, in `SpectralIndex.allCases` order.
    public var indices: [String]
    public var radius: Int

    public init(bands: BandLayout, scale: Double = 1, offset: Double = 0, radius: Int = 2) {
        self.bands = bands
        self.scale = scale
        self.offset = offset
        self.radius = radius
        indices = SpectralIndex.allCases.filter { index in index.roles.allSatisfy { bands.bandRoles[$0] != nil } }.map(\.rawValue)
    }

    public var names: [String] {
        let bandNames = (1...bands.bandCount).map { "b\($0)" }
        let window = 2 * radius + 1
        return bandNames + indices + bandNames.flatMap { ["mean\(window)_\($0)", "std\(window)_\($0)"] }
    }

    public var count: Int { bands.bandCount * 3 + indices.count }

    var spectralIndices: [SpectralIndex] { indices.compactMap(SpectralIndex.init(rawValue:)) }
}
