import Foundation
import SwathGeo

/// Every version of a label's lineage: what changed (class, outline, source), who saved it and
/// when, and when a later save replaced it. Annotators' names are for managers; reviewers see ids.
public struct LabelHistoryView: Encodable, Sendable {
    public var labelId: LabelID
    public var versions: [Version]

    public struct Version: Encodable, Sendable {
        public var id: LabelID
        public var version: Int
        public var previousId: LabelID?
        public var taskId: TaskID
        public var sceneId: SceneID
        public var classId: Int
        public var className: String?
        public var source: String
        public var annotatorId: UserID?
        public var annotatorName: String?
        /// Area in the scene's CRS units, as saved (clipped to the task).
        public var area: Double
        public var createdAt: Date
        public var supersededAt: Date?
        /// What differs from the version before it: "class", "geometry", "attributes".
        public var changed: [String]
    }

    init(labelId: LabelID, versions: [LabelVersion], taxonomy: Taxonomy, names: [UserID: String]) {
        self.labelId = labelId
        var previous: Label?
        self.versions = versions.map { entry in
            let label = entry.label
            var changed: [String] = []
            if let before = previous {
                if before.classId != label.classId { changed.append("class") }
                if before.geometry != label.geometry { changed.append("geometry") }
                if before.attributes != label.attributes { changed.append("attributes") }
            }
            previous = label
            return Version(id: label.id, version: label.version, previousId: label.previousId, taskId: label.taskId, sceneId: label.sceneId,
                           classId: label.classId, className: taxonomy.classes.first { $0.id == label.classId }?.name,
                           source: label.source.rawValue, annotatorId: label.annotatorId, annotatorName: label.annotatorId.flatMap { names[$0] },
                           area: label.geometry.area, createdAt: label.createdAt, supersededAt: entry.supersededAt, changed: changed)
        }
    }
}
