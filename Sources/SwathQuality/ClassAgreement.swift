/// How two annotators agree on one class of one task.
public struct ClassAgreement: Sendable, Equatable {
    public var classId: Int
    /// Pairs matched one-to-one at IoU ≥ the threshold (optimal matching).
    public var matched: Int
    /// Polygons of the first annotator with no match (missed by the second).
    public var onlyFirst: Int
    /// Polygons of the second annotator with no match.
    public var onlySecond: Int
    /// Mean IoU of the matched pairs; nil without matches.
    public var meanMatchedIoU: Double?
    /// IoU of the two annotators' whole areas of this class.
    public var regionIoU: Double
    /// Smaller total area over larger (1 when equal).
    public var areaAgreement: Double

    public init(classId: Int, matched: Int, onlyFirst: Int, onlySecond: Int, meanMatchedIoU: Double?, regionIoU: Double,
                areaAgreement: Double) {
        self.classId = classId
        self.matched = matched
        self.onlyFirst = onlyFirst
        self.onlySecond = onlySecond
        self.meanMatchedIoU = meanMatchedIoU
        self.regionIoU = regionIoU
        self.areaAgreement = areaAgreement
    }

    /// F1 of the matching: 2·matched / (2·matched + unmatched on either side).
    public var f1: Double {
        let denominator = 2 * matched + onlyFirst + onlySecond
        return denominator == 0 ? 1 : Double(2 * matched) / Double(denominator)
    }
}
