import Foundation
import SwathGeo

extension LabelingService {
    /// Replaces the task's labels with `collection`, which the lease holder
    /// sends whole. Every feature is checked; if any is refused, nothing is
    /// saved and each refusal comes back with its reason.
    public func saveLabels(taskId: TaskID, _ collection: GeoJSONFeatureCollection, space: CoordinateSpace,
                           by caller: User) async throws -> LabelFeatureCollection {
        try await saveLabels(taskId: taskId, space: space, by: caller) { collection }
    }

    /// As above, with the body read by `body` only after the caller's role and
    /// lease are checked: nobody else gets the server to parse their upload.
    public func saveLabels(taskId: TaskID, space: CoordinateSpace, by caller: User,
                           body: () async throws -> GeoJSONFeatureCollection) async throws -> LabelFeatureCollection {
        let (stored, project, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.annotator, to: "saving labels")
        // The k = 1 lease is on the task row: only otherwise look for the caller's own turn (one read saved on the hot path).
        let task = stored.isLeased(to: caller.id, at: now()) ? stored : try await view(of: stored, for: caller)
        guard task.isLeased(to: caller.id, at: now()) else {
            throw LabelingError.conflict("task \(taskId) is not leased to you (claim it, or it may have expired)")
        }
        let collection = try await body()
        guard collection.features.count <= 10_000 else { throw LabelingError.invalid("more than 10000 features in one task") }
        let scene = try await requireScene(task.sceneId)
        let frame = TaskFrame(scene: scene, window: task.window, reprojectors: reprojectors)
        // The current labels matter only to features that edit one (they carry its id).
        let edits = collection.features.contains { $0.id != nil }
        let current = edits ? Dictionary(uniqueKeysWithValues: try await editableLabels(taskId: taskId, userId: caller.id).map { ($0.id, $0) }) : [:]
        var drafts: [LabelDraft] = []
        var problems: [FeatureProblem] = []
        for (index, feature) in collection.features.enumerated() {
            do {
                drafts.append(try draft(feature, task: task, frame: frame, taxonomy: project.taxonomy, space: space, current: current))
            } catch let problem as GeometryProblem {
                problems.append(FeatureProblem(index: index, id: feature.id.map(Self.text), reason: problem.reason))
            }
        }
        guard problems.isEmpty else { throw LabelingError.invalidFeatures(problems) }
        let saved = try await store.replaceLabels(taskId: taskId, userId: caller.id, labels: drafts, at: now())
        return try featureCollection(saved, scenes: [scene.id: scene], taxonomy: project.taxonomy, space: space, window: task.window)
    }

    /// A task's labels: for its own annotators, reviewers and managers; other
    /// members see a task's labels once it is accepted, as in the project's labels.
    public func labels(taskId: TaskID, space: CoordinateSpace, for caller: User) async throws -> LabelFeatureCollection {
        let (stored, _, access) = try await taskAccess(caller, taskId: taskId)
        if !access.has(.reviewer, .manager), stored.status != .accepted, !(try await worked(on: stored, caller: caller)) {
            throw LabelingError.forbidden("labels of a task that is not accepted are for its annotator, reviewers and managers")
        }
        let task = try await view(of: stored, for: caller)
        guard let project = try await projectCache.value(task.projectId, load: { try await store.project(id: task.projectId) }) else {
            throw LabelingError.notFound("task \(taskId) not found")
        }
        let scene = try await requireScene(task.sceneId)
        return try featureCollection(try await visibleLabels(taskId: taskId, caller: caller), scenes: [scene.id: scene],
                                     taxonomy: project.taxonomy, space: space, window: task.window)
    }

    /// An annotator on a turn of their own sees their own set once they have
    /// saved, and the task's pre-labels before; everyone else sees the
    /// task's shared set (k = 1 work, pre-labels, or the consensus).
    func visibleLabels(taskId: TaskID, caller: User) async throws -> [Label] {
        guard let turn = try await store.assignments(taskId: taskId).last(where: { $0.userId == caller.id }),
              [.inProgress, .submitted].contains(turn.status) else {
            return try await store.labels(taskId: taskId, privateTo: nil)
        }
        if turn.savedAt != nil || turn.status == .submitted { return try await store.labels(taskId: taskId, privateTo: caller.id) }
        return try await store.labels(taskId: taskId, privateTo: nil).filter { $0.source.isPreLabel }
    }

    /// What a save may edit: the caller's own set and the shared pre-labels on a turn; the task's set otherwise.
    private func editableLabels(taskId: TaskID, userId: UserID) async throws -> [Label] {
        let shared = try await store.labels(taskId: taskId, privateTo: nil)
        guard try await store.assignments(taskId: taskId).contains(where: { $0.userId == userId && $0.status == .inProgress }) else {
            return shared
        }
        return try await store.labels(taskId: taskId, privateTo: userId) + shared.filter { $0.source.isPreLabel }
    }

    /// Current labels of a project in WGS84, by status (accepted by default)
    /// and optionally by bbox. Trainers and annotators get accepted labels only.
    /// One page at a time: `nextAfter` in the result says where the next starts.
    public func projectLabels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>?, page: LabelPage = LabelPage(),
                              for caller: User) async throws -> LabelFeatureCollection {
        let (project, access) = try await access(caller, projectId: projectId)
        let wanted = statuses ?? [.accepted]
        if !access.has(.manager, .reviewer), wanted != [.accepted] {
            throw LabelingError.forbidden("only managers and reviewers see labels that are not accepted")
        }
        if let bbox {
            guard bbox.count == 4, bbox.allSatisfy(\.isFinite), bbox[1] <= bbox[3], abs(bbox[0]) <= 180, abs(bbox[2]) <= 180,
                  abs(bbox[1]) <= 90, abs(bbox[3]) <= 90 else {
                throw LabelingError.invalid("bbox must be minLon,minLat,maxLon,maxLat in degrees")
            }
        }
        let labels = try await labels(projectId: projectId, bbox: bbox, statuses: wanted, page: page)
        var scenes: [SceneID: Scene] = [:]
        for id in Set(labels.map(\.sceneId)) { scenes[id] = try await requireScene(id) }
        var collection = try featureCollection(labels, scenes: scenes, taxonomy: project.taxonomy, space: .wgs84, window: nil)
        collection.nextAfter = labels.count == page.limit ? labels.last?.id : nil
        return collection
    }

    /// One page of a project's labels meeting `bbox`; a bbox whose west edge lies east of its east edge crosses the
    /// antimeridian (RFC 7946 §5.2) and is asked as its two halves, merged by id so the page stays one page.
    private func labels(projectId: ProjectID, bbox: [Double]?, statuses: Set<TaskStatus>, page: LabelPage) async throws -> [Label] {
        guard let bbox, bbox[0] > bbox[2] else { return try await store.labels(projectId: projectId, bbox: bbox, statuses: statuses, page: page) }
        let east = try await store.labels(projectId: projectId, bbox: [bbox[0], bbox[1], 180, bbox[3]], statuses: statuses, page: page)
        let west = try await store.labels(projectId: projectId, bbox: [-180, bbox[1], bbox[2], bbox[3]], statuses: statuses, page: page)
        var seen = Set<LabelID>()
        return (east + west).sorted { $0.id < $1.id }.filter { seen.insert($0.id).inserted }.prefix(page.limit).map { $0 }
    }

    func requireScene(_ id: SceneID) async throws -> Scene {
        guard let scene = try await sceneCache.value(id, load: { try await store.scene(id: id) }) else {
            throw LabelingError.notFound("scene \(id) not found")
        }
        return scene
    }

    /// One feature → a label ready to store, or the reason it is refused.
    func draft(_ feature: GeoJSONFeature, task: LabelTask, frame: TaskFrame, taxonomy: Taxonomy, space: CoordinateSpace,
                       current: [LabelID: Label]) throws -> LabelDraft {
        let labelClass = try Self.labelClass(feature, taxonomy: taxonomy)
        let attributes = try Self.attributes(feature, for: labelClass)
        let input = try polygonReader.read(feature.geometry)
        let inScene = try frame.toScene(input, from: space)
        if let problem = inScene.validityProblem {
            throw GeometryProblem("invalid geometry: \(frame.describeInCallerSpace(problem, space: space))")
        }
        let drawnArea = inScene.area
        let clipped = try inScene.intersection(frame.footprint)
        guard !clipped.isEmpty, clipped.area > 0 else {
            throw GeometryProblem("lies outside task \(task.id)'s footprint")
        }
        let shape = clipped.rightHanded
        guard let bbox = try frame.toWGS84(shape).lonLatBounds else { throw GeometryProblem("lies outside task \(task.id)'s footprint") }
        let previous = try Self.labelId(feature.id).flatMap { current[$0] }
        // An edit keeps its origin only if nothing changed: an untouched pre-label is still a pre-label.
        let tolerance = 1e-3 * abs(frame.scene.geoTransform[1])  // a thousandth of a pixel
        let unchanged = try previous.map { try $0.classId == labelClass.id && $0.geometry.isAlmostEqual(to: shape, tolerance: tolerance) } ?? false
        // The page's own figure, kept as advice only: integrity checks use the time the server measured.
        let seconds = feature.properties["secondsSpent"].flatMap { if case .number(let n) = $0 { return n } else { return nil } } ?? 0
        guard seconds >= 0, seconds <= Self.maximumSecondsSpent else {
            throw GeometryProblem("secondsSpent must be a number of seconds from 0 to \(Int(Self.maximumSecondsSpent))")
        }
        return LabelDraft(taskId: task.id, classId: labelClass.id, attributes: attributes, geometry: shape, bboxWGS84: bbox,
                          source: unchanged ? (previous?.source ?? .manual) : .manual, previousId: previous?.id, secondsSpent: seconds,
                          drawnArea: drawnArea)
    }

    static func labelClass(_ feature: GeoJSONFeature, taxonomy: Taxonomy) throws -> TaxonomyClass {
        let reference: String
        switch feature.properties["class"] ?? feature.properties["classId"] {
        case .string(let name)?: reference = name
        case .number(let id)?:
            guard let whole = Int(exactly: id) else {
                throw GeometryProblem("properties.class \(id) is not a class id (a whole number within the taxonomy's ids)")
            }
            reference = String(whole)
        default: throw GeometryProblem("properties.class must name a taxonomy class by id or name")
        }
        guard let found = taxonomy.resolve(reference) else {
            throw GeometryProblem("class '\(reference)' is not in the project's taxonomy")
        }
        return found
    }

    static func attributes(_ feature: GeoJSONFeature, for labelClass: TaxonomyClass) throws -> [String: JSONValue] {
        guard let value = feature.properties["attributes"] else { return [:] }
        guard case .object(let attributes) = value else { throw GeometryProblem("properties.attributes must be an object") }
        if let unknown = attributes.keys.sorted().first(where: { !labelClass.attributes.contains($0) }) {
            throw GeometryProblem("attribute '\(unknown)' is not defined for class '\(labelClass.name)'")
        }
        return attributes
    }

    /// A week: more than anyone spends on one polygon.
    static let maximumSecondsSpent = 604_800.0

    /// The label a feature edits: its id, a positive whole number (or its
    /// digits in a string); other strings are the client's own names for new
    /// features. A number that is no label id is refused, not guessed at.
    static func labelId(_ id: JSONValue?) throws -> LabelID? {
        switch id {
        case .number(let number)?:
            guard let id = LabelID(exactly: number), id > 0 else { throw GeometryProblem("id \(number) is not a label id") }
            return id
        case .string(let text)?: return LabelID(text).flatMap { $0 > 0 ? $0 : nil }
        case nil, .null?: return nil
        default: throw GeometryProblem("id must be a label id or a string")
        }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return Int64(exactly: number).map(String.init) ?? String(number)
        default: return "\(value)"
        }
    }

    func featureCollection(_ labels: [Label], scenes: [SceneID: Scene], taxonomy: Taxonomy, space: CoordinateSpace,
                           window: Window?) throws -> LabelFeatureCollection {
        let features = try labels.map { label -> LabelFeatureCollection.Feature in
            guard let scene = scenes[label.sceneId] else { throw LabelingError.notFound("scene \(label.sceneId) not found") }
            let frame = TaskFrame(scene: scene, window: window ?? Window(col: 0, row: 0, width: 0, height: 0), reprojectors: reprojectors)
            let labelClass = taxonomy.resolve(id: label.classId)
            let properties = LabelFeatureCollection.Properties(
                labelId: label.id, class: labelClass?.name ?? "unknown", classId: label.classId, group: labelClass?.group ?? "",
                attributes: label.attributes, taskId: label.taskId, sceneId: label.sceneId, source: label.source,
                version: label.version, annotatorId: label.annotatorId, secondsSpent: label.secondsSpent, createdAt: label.createdAt)
            let shape = try frame.fromScene(label.geometry, to: space)
            return .init(id: label.id, geometry: GeoJSONGeometry(shape), properties: properties,
                         bbox: space == .wgs84 ? shape.lonLatBounds : nil)
        }
        return LabelFeatureCollection(crs: space.label, features: features)
    }
}
