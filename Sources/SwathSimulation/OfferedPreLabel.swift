import SwathGeo
import SwathLabels

/// A pre-label as an annotator finds it on a task: its id (an edit replaces it), class, outline
/// (its first exterior, in the task's pixels, open) and centroid.
struct OfferedPreLabel {
    var id: LabelID
    var classId: Int
    var ring: [Point]
    var centre: Point
}
