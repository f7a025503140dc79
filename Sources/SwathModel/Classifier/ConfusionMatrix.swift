/// Counts of (reference class, predicted class) over held-out pixels.
struct ConfusionMatrix {
    let classCount: Int
    private(set) var counts: [Int]

    init(classCount: Int) {
        self.classCount = classCount
        counts = [Int](repeating: 0, count: classCount * classCount)
    }

    mutating func add(reference: Int, predicted: Int) {
        counts[reference * classCount + predicted] += 1
    }

    var total: Int { counts.reduce(0, +) }
    var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1 * classCount + $1] } }
    var overallAccuracy: Double { total > 0 ? Double(correct) / Double(total) : 0 }

    func metrics(of index: Int, as modelClass: ModelClass) -> ClassMetrics {
        let truePositives = counts[index * classCount + index]
        let reference = (0..<classCount).reduce(0) { $0 + counts[index * classCount + $1] }
        let predicted = (0..<classCount).reduce(0) { $0 + counts[$1 * classCount + index] }
        let precision = predicted > 0 ? Double(truePositives) / Double(predicted) : 0
        let recall = reference > 0 ? Double(truePositives) / Double(reference) : 0
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return ClassMetrics(classId: modelClass.classId, name: modelClass.name, support: reference, precision: precision, recall: recall, f1: f1)
    }
}
