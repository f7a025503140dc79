import SwathGeo

/// One annotator's work on a gold task against its reference labels:
/// F1 of the polygons matched at IoU ≥ 0.5 (all classes pooled) and the
/// boundary F1 within `tolerance`.
public struct GoldScore: Sendable, Equatable {
    public var f1: Double
    public var boundaryF1: Double

    public init(f1: Double, boundaryF1: Double) {
        self.f1 = f1
        self.boundaryF1 = boundaryF1
    }

    public init(reference: [ClassedShape], submission: [ClassedShape], boundaryTolerance: Double) throws {
        f1 = PolygonAgreement.pooledF1(try PolygonAgreement.compare(reference, submission))
        boundaryF1 = try BoundaryAgreement.f1(reference: reference, candidate: submission, tolerance: boundaryTolerance)
    }
}
