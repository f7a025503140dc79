import SwathGeo

/// How well two label sets trace the same outlines, whatever their areas:
/// the boundary F1 (as in boundary-aware segmentation scores). Precision is
/// the share of the candidate's outline within `tolerance` of the reference's
/// outline of the same class, recall the share of the reference's outline
/// within `tolerance` of the candidate's; lengths through GEOS.
public enum BoundaryAgreement {
    public static func f1(reference: [ClassedShape], candidate: [ClassedShape], tolerance: Double) throws -> Double {
        var referenceLength = 0.0, candidateLength = 0.0, referenceNear = 0.0, candidateNear = 0.0
        let classes = Set(reference.map(\.classId)).union(candidate.map(\.classId))
        for classId in classes {
            let truth = try MultiPolygon.union(reference.filter { $0.classId == classId }.map(\.geometry))
            let drawn = try MultiPolygon.union(candidate.filter { $0.classId == classId }.map(\.geometry))
            referenceLength += truth.perimeter
            candidateLength += drawn.perimeter
            referenceNear += try truth.outlineLength(near: drawn, within: tolerance)
            candidateNear += try drawn.outlineLength(near: truth, within: tolerance)
        }
        guard referenceLength > 0 || candidateLength > 0 else { return 1 }  // both saw nothing: they agree
        guard referenceLength > 0, candidateLength > 0 else { return 0 }
        let precision = candidateNear / candidateLength, recall = referenceNear / referenceLength
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
}
