import Foundation
import SwathGeo

/// Where a prediction's strips land: the probability raster (and the feature raster, when asked
/// for), written one strip at a time under a lock, and the per-pixel grids the pre-labels and
/// the queue are made from (class, confidence, entropy), each strip writing its own rows.
final class PredictionCanvas: @unchecked Sendable {
    /// Byte probabilities are probability × 250; 255 marks no data.
    static let byteScale: Float = 250
    static let byteNoData: UInt8 = 255

    let size: Size
    let classCount: Int
    let floatProbabilities: Bool
    private let probabilities: Raster
    private let features: Raster?
    private let lock = NSLock()
    /// Model class + 1 of each pixel's most probable class; 0 where there is no data.
    var classes: [UInt8]
    /// The most probable class's probability × 250.
    var confidence: [UInt8]
    /// Normalized entropy (entropy / ln classes) × 250; 255 where there is no data.
    var entropy: [UInt8]

    init(size: Size, classCount: Int, floatProbabilities: Bool, probabilities: Raster, features: Raster?) {
        self.size = size
        self.classCount = classCount
        self.floatProbabilities = floatProbabilities
        self.probabilities = probabilities
        self.features = features
        classes = [UInt8](repeating: 0, count: size.width * size.height)
        confidence = classes
        entropy = [UInt8](repeating: Self.byteNoData, count: size.width * size.height)
    }

    /// One strip's probabilities (pixels × classes, for the valid pixels in order) into every output.
    func record(_ strip: FeatureStrip, probabilities values: [Float], featureCount: Int) throws {
        let pixels = strip.rows.count * strip.width, classCount = classCount
        let logClasses = Float(log(Double(classCount)))
        var planesFloat = floatProbabilities ? [Float](repeating: .nan, count: pixels * classCount) : []
        var planesByte = floatProbabilities ? [] : [UInt8](repeating: Self.byteNoData, count: pixels * classCount)
        let offset = strip.rows.lowerBound * strip.width
        var predicted = 0
        // Rows of this strip are written by this strip alone.
        classes.withUnsafeMutableBufferPointer { classGrid in
            confidence.withUnsafeMutableBufferPointer { confidenceGrid in
                entropy.withUnsafeMutableBufferPointer { entropyGrid in
                    for pixel in 0..<pixels where strip.valid[pixel] {
                        let base = predicted * classCount
                        predicted += 1
                        var best = 0, sum: Float = 0
                        for index in 0..<classCount {
                            let p = values[base + index]
                            if p > values[base + best] { best = index }
                            if p > 0 { sum -= p * log(p) }
                            if floatProbabilities {
                                planesFloat[index * pixels + pixel] = p
                            } else {
                                planesByte[index * pixels + pixel] = UInt8(min(Self.byteScale, max(0, (p * Self.byteScale).rounded())))
                            }
                        }
                        classGrid[offset + pixel] = UInt8(best + 1)
                        confidenceGrid[offset + pixel] = UInt8(min(Self.byteScale, (values[base + best] * Self.byteScale).rounded()))
                        entropyGrid[offset + pixel] = UInt8(min(Self.byteScale, max(0, (sum / logClasses * Self.byteScale).rounded())))
                    }
                }
            }
        }
        let window = Window(col: 0, row: strip.rows.lowerBound, width: strip.width, height: strip.rows.count)
        var featurePlanes: [Float] = []
        if features != nil {
            featurePlanes = [Float](repeating: .nan, count: pixels * featureCount)
            for pixel in 0..<pixels where strip.valid[pixel] {
                for feature in 0..<featureCount { featurePlanes[feature * pixels + pixel] = strip.values[pixel * featureCount + feature] }
            }
        }
        // GDAL datasets are not shared between threads: one strip writes at a time.
        lock.lock()
        defer { lock.unlock() }
        if floatProbabilities { try probabilities.write(planesFloat, window: window) } else { try probabilities.write(planesByte, window: window) }
        try features?.write(featurePlanes, window: window)
    }

    func close() throws {
        try probabilities.close()
        try features?.close()
    }
}
