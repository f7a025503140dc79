import SwathLabels

/// What the STAC documents of a release read: a copy of the snapshot's values (the document's
/// storage is shared, not copied), so an index outlives its snapshot's eviction without keeping it.
struct ReleaseFacts: Sendable {
    let release: ReleaseView
    let document: ReleaseDocument
    let scenesById: [SceneID: ReleaseScene]
    let options: ExportOptions

    init(_ snapshot: ReleaseSnapshot) {
        release = snapshot.release
        document = snapshot.document
        scenesById = snapshot.scenesById
        options = snapshot.options
    }
}
