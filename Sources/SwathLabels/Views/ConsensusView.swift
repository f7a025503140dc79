import SwathGeo

/// A consensus task for a reviewer: every annotator's own set, the
/// consensus made of them, and where they disagree.
public struct ConsensusView: Encodable, Sendable {
    public struct AnnotatorSet: Encodable, Sendable {
        public var userId: UserID
        public var labels: LabelFeatureCollection
    }

    /// Ground some annotators put in `class` and others did not.
    public struct Region: Encodable, Sendable {
        public var classId: Int
        public var `class`: String
        public var geometry: GeoJSONGeometry
    }

    public var taskId: TaskID
    public var status: TaskStatus
    /// Mean pairwise F1 of the submissions (polygons matched at IoU ≥ 0.5).
    public var agreement: Double
    public var agreementThreshold: Double
    public var crs: String
    public var annotators: [AnnotatorSet]
    public var consensus: LabelFeatureCollection
    public var disagreement: [Region]
}
