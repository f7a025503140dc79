/// One band's value distribution over the whole scene, as 1001 quantiles
/// (every tenth of a percent) of a decimated read that skips nodata: enough
/// for any stretch a request can name, in 4 KB per band.
public struct BandQuantiles: Sendable, Equatable {
    /// values[k] is the smallest sample with at least k/1000 of the samples at or below it.
    public let values: [Float]

    /// nil when the band has no valid sample at all.
    public init?(samples: [Float], noData: Double?) {
        var valid = samples.filter { $0.isFinite }
        if let noData { valid.removeAll { Double($0) == noData } }
        guard !valid.isEmpty else { return nil }
        valid.sort()
        let last = valid.count - 1
        // Nearest rank at or below: index floor(q · (n − 1)), numpy's method="lower".
        values = (0...1000).map { valid[($0 * last) / 1000] }
    }

    /// The low and high values of `stretch`; a band of one value gets a
    /// one-unit span so it maps to black rather than dividing by zero.
    public func range(_ stretch: Stretch) -> (low: Float, high: Float) {
        let low = values[stretch.lowPermille], high = values[stretch.highPermille]
        return high > low ? (low, high) : (low, low + 1)
    }
}
