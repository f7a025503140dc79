/// Labelled pixels drawn for training and validation, with their features: `features` holds
/// `count × featureCount` values, row by row.
struct TrainingSample {
    var features: [Float] = []
    var classIndex: [Int32] = []
    var fold: [Int32] = []

    var count: Int { classIndex.count }

    mutating func append(_ other: TrainingSample) {
        features += other.features
        classIndex += other.classIndex
        fold += other.fold
    }

    /// The rows whose fold passes `keep`.
    func filter(featureCount: Int, _ keep: (Int32) -> Bool) -> TrainingSample {
        var kept = TrainingSample()
        for row in 0..<count where keep(fold[row]) {
            kept.features += features[(row * featureCount)..<((row + 1) * featureCount)]
            kept.classIndex.append(classIndex[row])
            kept.fold.append(fold[row])
        }
        return kept
    }
}
