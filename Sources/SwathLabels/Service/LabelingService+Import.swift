import Foundation
import SwathGeo

extension LabelingService {
    /// Reads polygons from a self-contained vector file (`VectorFormat`), in any CRS, and
    /// attaches them as pre-labels to the tasks they fall in (a polygon across
    /// several tiles is clipped into each). Every feature is validated like a
    /// drawn label; refused ones are listed with their reason. `path` is a file
    /// the caller names (`swath import`) or a staged upload (`name` then stands
    /// for it in messages); the role is checked before the file is opened.
    public func importLabels(sceneId: SceneID, path: String, name: String? = nil, options: ImportOptions,
                             by caller: User) async throws -> ImportReport {
        let (scene, project, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.require(.manager, to: "importing labels")
        let dataset: VectorDataset
        do { dataset = try VectorDataset.open(path, name: name) } catch let error as GeoError { throw LabelingError.invalid(error.description) }
        return try await importLabels(into: scene, of: project, dataset: dataset, options: options, by: caller)
    }

    /// Bytes already in memory (generated pre-labels): staged in a private
    /// temporary file and imported as an upload.
    public func importLabels(sceneId: SceneID, data: [UInt8], options: ImportOptions, by caller: User) async throws -> ImportReport {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swath-import-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: Data(data), attributes: [.posixPermissions: 0o600]) else {
            throw LabelingError.invalid("the import could not be staged")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await importLabels(sceneId: sceneId, path: path, name: "the upload", options: options, by: caller)
    }

    /// The import proper, once the caller's role on the scene's project is checked.
    private func importLabels(into scene: Scene, of project: Project, dataset: VectorDataset, options: ImportOptions,
                              by caller: User) async throws -> ImportReport {
        guard (options.classField == nil) != (options.fixedClass == nil) else {
            throw LabelingError.invalid("say how to classify features: a class field or one class, not both and not neither")
        }
        let fixedClass = try options.fixedClass.map { name -> TaxonomyClass in
            guard let found = project.taxonomy.resolve(name) else { throw LabelingError.invalid("class '\(name)' is not in the project's taxonomy") }
            return found
        }
        let layer: VectorLayer
        do {
            layer = try dataset.read(layer: options.layer, maximumFeatures: Self.maximumImportFeatures,
                                     maximumTotalVertices: Self.maximumImportVertices)
        } catch let error as GeoError { throw LabelingError.invalid(error.description) }
        guard let layerCRS = layer.crs else {
            throw LabelingError.invalid("layer '\(layer.name)' of \(dataset.path) declares no CRS, so it cannot be placed on the scene")
        }
        let toScene = try Reprojector(from: layerCRS, to: scene.crs)
        var shapes: [PreLabelShape] = []
        var rejected: [ImportReport.Rejection] = []
        for feature in layer.features {
            do {
                let labelClass = try fixedClass ?? Self.importClass(feature, field: options.classField ?? "", taxonomy: project.taxonomy)
                shapes.append(PreLabelShape(fid: feature.fid, classId: labelClass.id, shape: try feature.geometry.get().mapAll(toScene.forward)))
            } catch let problem as GeometryProblem {
                rejected.append(.init(fid: feature.fid, reason: problem.reason))
            } catch let error as GeoError {
                rejected.append(.init(fid: feature.fid, reason: error.description))
            }
        }
        var report = try await addPreLabels(shapes, to: scene, source: options.source, openTasksOnly: false, by: caller)
        report.layer = layer.name
        report.featuresRead = layer.features.count
        report.rejected = rejected + report.rejected
        return report
    }

    /// Shapes in the scene's CRS, checked, cut along the scene's tasks and saved as pre-labels of
    /// `source`: the second half of every import, and how model pre-labels are saved. With
    /// `openTasksOnly`, tasks an annotator holds, submitted or had accepted, or where one has
    /// drawn, are left alone.
    func addPreLabels(_ shapes: [PreLabelShape], to scene: Scene, source: LabelSource, openTasksOnly: Bool,
                      by caller: User) async throws -> ImportReport {
        var tasks = try await store.tasks(sceneId: scene.id)
        var skippedTasks = 0
        if openTasksOnly {
            let open = try await tasksOpenToPreLabels(tasks)
            skippedTasks = tasks.count - open.count
            tasks = open
        }
        let frames = tasks.map { TaskFrame(scene: scene, window: $0.window, reprojectors: reprojectors) }
        let footprints = frames.map(\.footprint)
        let sceneFootprint = TaskFrame(scene: scene, window: Window(col: 0, row: 0, width: scene.width, height: scene.height),
                                       reprojectors: reprojectors).footprint
        var drafts: [LabelDraft] = []
        var rejected: [ImportReport.Rejection] = []
        var accepted = 0
        for item in shapes {
            do {
                if let problem = item.shape.validityProblem { throw GeometryProblem("invalid geometry: \(problem)") }
                let inScene = try item.shape.intersection(sceneFootprint)
                guard !inScene.isEmpty, inScene.area > 0 else { throw GeometryProblem("lies outside the scene") }
                guard let bounds = inScene.bounds else { throw GeometryProblem("lies outside the scene") }
                var pieces = 0
                for (index, footprint) in footprints.enumerated() {
                    guard let box = footprint.bounds, Self.overlaps(box, bounds) else { continue }
                    let piece = try inScene.intersection(footprint)
                    guard !piece.isEmpty, piece.area > 0 else { continue }
                    let shape = piece.rightHanded
                    guard let bbox = try frames[index].toWGS84(shape).lonLatBounds else { continue }
                    drafts.append(LabelDraft(taskId: tasks[index].id, classId: item.classId, attributes: item.attributes, geometry: shape,
                                             bboxWGS84: bbox, source: source, previousId: nil, secondsSpent: 0))
                    pieces += 1
                }
                guard pieces > 0 else { throw GeometryProblem(openTasksOnly ? "lies outside every open task" : "lies outside every task") }
                accepted += 1
            } catch let problem as GeometryProblem {
                rejected.append(.init(fid: item.fid, reason: problem.reason))
            } catch let error as GeoError {
                rejected.append(.init(fid: item.fid, reason: error.description))
            }
        }
        let saved = drafts.isEmpty ? [] : try await store.addPreLabels(drafts, sceneId: scene.id, actor: caller.auditId, at: now())
        var report = ImportReport(sceneId: scene.id, layer: "", featuresRead: shapes.count, featuresAccepted: accepted,
                                  labelsCreated: saved.count, tasksTouched: Set(saved.map(\.taskId)).count, rejected: rejected)
        report.tasksSkipped = skippedTasks
        return report
    }

    /// The tasks model pre-labels may go to: open, not gold (gold measures annotators, not the
    /// model), and no annotator has drawn in them.
    func tasksOpenToPreLabels(_ tasks: [LabelTask]) async throws -> [LabelTask] {
        var kept: [LabelTask] = []
        var gold: Set<TaskID> = []
        for projectId in Set(tasks.map(\.projectId)) { gold.formUnion(try await store.goldTaskIds(projectId: projectId)) }
        for task in tasks where task.status == .open && !gold.contains(task.id) {
            let labels = try await store.labels(taskId: task.id, privateTo: nil)
            if labels.allSatisfy({ $0.source.isPreLabel }) { kept.append(task) }
        }
        return kept
    }

    /// The scene's tasks that model pre-labels would be saved on (managers): a model need only
    /// draft there.
    public func tasksOpenToModelPreLabels(sceneId: SceneID, by caller: User) async throws -> [LabelTask] {
        let (scene, _, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.require(.manager, to: "adding model pre-labels")
        return try await tasksOpenToPreLabels(try await store.tasks(sceneId: scene.id))
    }

    /// Model pre-labels (shapes in the scene's CRS, classes of the project's taxonomy) for managers:
    /// saved as imports are, `model` as their source, on open tasks no annotator has drawn in.
    public func addModelPreLabels(sceneId: SceneID, _ shapes: [PreLabelShape], by caller: User) async throws -> ImportReport {
        let (scene, project, access) = try await sceneAccess(caller, sceneId: sceneId)
        try access.require(.manager, to: "adding model pre-labels")
        let known = Set(project.taxonomy.classes.map(\.id))
        if let unknown = shapes.first(where: { !known.contains($0.classId) }) {
            throw LabelingError.invalid("class \(unknown.classId) is not in the project's taxonomy")
        }
        return try await addPreLabels(shapes, to: scene, source: .model, openTasksOnly: true, by: caller)
    }

    /// Bounds on what one import may make the server hold.
    static let maximumImportFeatures = 100_000
    static let maximumImportVertices = 5_000_000

    static func importClass(_ feature: VectorFeature, field: String, taxonomy: Taxonomy) throws -> TaxonomyClass {
        guard let value = feature.fields[field] else { throw GeometryProblem("field '\(field)' is empty") }
        guard let found = taxonomy.resolve(value) else { throw GeometryProblem("class '\(value)' is not in the project's taxonomy") }
        return found
    }

    static func overlaps(_ a: [Double], _ b: [Double]) -> Bool {
        a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
    }
}
