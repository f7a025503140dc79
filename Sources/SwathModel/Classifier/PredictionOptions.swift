import Foundation

/// What `swath model predict` writes besides the pre-labels.
public struct PredictionOptions: Sendable {
    /// The class-probability COG (one band per class, in the model's class order).
    public var probabilities: String
    /// Float32 probabilities (exact); otherwise Byte, probability × 250 (255: no data), scale 1/250 recorded.
    public var floatProbabilities = false
    /// Also write the features the model read (Float32, one named band per feature).
    public var features: String?
    /// Save polygonized predictions as `model` pre-labels on open tasks no annotator has drawn in.
    public var preLabels = true
    /// Regions smaller than this (on the ground) are merged into their surroundings before polygons are drawn.
    public var minimumMappingUnitHectares = 0.1
    public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init(probabilities: String) {
        self.probabilities = probabilities
    }

    public func validate() throws {
        guard minimumMappingUnitHectares.isFinite, (0...10_000).contains(minimumMappingUnitHectares) else {
            throw ModelError("mmu-ha: must be 0 to 10000 hectares, got \(minimumMappingUnitHectares)")
        }
        for (name, path) in [("--out", probabilities), ("--features-out", features)] {
            guard let path else { continue }
            guard !path.isEmpty, !path.contains("://") else { throw ModelError("\(name) \(path): give a local file") }
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder), isFolder.boolValue else {
                throw ModelError("\(name) \(path): the folder \(parent) does not exist")
            }
        }
    }
}
