import Hummingbird
import SwathLabels

extension Parameters {
    /// A whole number from the query, exactly as written, within `range`;
    /// `fallback` when absent. Anything else is a 400 naming the parameter.
    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = self.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw LabelingError.invalid("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// Four finite numbers separated by commas, nothing else.
    func bbox(_ name: String = "bbox") throws -> [Double]? {
        guard let text = self.get(name) else { return nil }
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 4, numbers.allSatisfy({ $0?.isFinite ?? false }) else {
            throw LabelingError.invalid("\(name) must be four finite numbers: minLon,minLat,maxLon,maxLat, got '\(text)'")
        }
        return numbers.compactMap { $0 }
    }
}
