import Foundation
import SwathGeo
import SwathQuality

/// The integrity checks run on each submission, as it is handed in. Each
/// finding becomes a stored flag with its evidence; the submission's
/// outlines are kept as fingerprints so later copies of them are found,
/// in any task, scene or project.
struct SubmissionChecks {
    let store: any Store
    var work = WorkChecks()
    var monotony = ClassMonotony()
    var machineMade = MachineMadeCheck()
    var disguisedCopies = DisguisedCopyCheck()
    var referenceMatch = ReferenceMatch()
    /// Share of a submission's labels that, kept unchanged from the pre-labels, makes it rubber-stamped.
    var rubberStampShare = 0.75

    /// Copies and identical work are judged in pixels of the scene, so one
    /// tolerance serves any resolution.
    static let copyTolerancePixels = 0.25
    static let identicalTolerancePixels = 0.05

    struct Findings {
        var flags: [FlagDraft] = []
        var fingerprints: [StoredFingerprint] = []
    }

    /// `secondsOnTask` is the server's measure, claim to submit: what the
    /// speed check trusts (the page's own `secondsSpent` is only advice).
    func run(_ submission: Submission, secondsOnTask: Double, task: LabelTask, frame: TaskFrame) async throws -> Findings {
        let scene = frame.scene, tile = frame.footprint
        var findings = Findings()
        let pixel = scene.pixelSize
        func flag(_ found: IntegrityFlag, label: LabelID? = nil, user: UserID? = nil, once: String? = nil) {
            findings.flags.append(FlagDraft(projectId: task.projectId, userId: user ?? submission.userId, taskId: task.id, labelId: label,
                                            flag: found, onceKey: once))
        }
        let manual = submission.labels.filter { $0.source == .manual }
        if !manual.isEmpty, let slow = work.speed(manual.map(\.geometry), secondsSpent: secondsOnTask) {
            flag(slow)
        }
        for found in try work.degenerate(submission.labels.map(\.geometry), tile: tile, edgeMargin: pixel) { flag(found) }
        for label in submission.labels {
            if let drawn = label.drawnArea, let found = work.displaced(keptArea: label.geometry.area, drawnArea: drawn) { flag(found, label: label.id) }
        }
        let unchanged = submission.labels.filter(\.source.isPreLabel)
        if !unchanged.isEmpty, Double(unchanged.count) >= rubberStampShare * Double(submission.labels.count) {
            let ids = unchanged.map { String($0.id) }.joined(separator: ", ")
            flag(IntegrityFlag(.uneditedPrelabel, "\(unchanged.count) of \(submission.labels.count) labels are \(unchanged[0].source.rawValue) "
                               + "pre-labels submitted unchanged as manual work (labels \(ids))"), label: unchanged[0].id)
        }
        let drawn = try await drawnByHand(manual)
        let pixelShapes = drawn.map { label in (label, Self.pixelShape(label.geometry, scene: scene)) }
        if let (label, found) = machineMade(pixelShapes, secondsOnTask: secondsOnTask) { flag(found, label: label) }
        try await copies(manual, submission: submission, task: task, pixel: pixel, into: &findings)
        try await disguisedCopies(pixelShapes, submission: submission, task: task, into: &findings)
        try await referenceCopies(pixelShapes, submission: submission, task: task, frame: frame, into: &findings)
        try await sameClass(submission, task: task, into: &findings)
        try await collusion(submission, task: task, pixel: pixel, into: &findings)
        return findings
    }

    /// Outlines that repeat an earlier label's in another task: a copy, and
    /// if it came from another scene of the project, displaced work too.
    private func copies(_ manual: [Label], submission: Submission, task: LabelTask, pixel: Double, into findings: inout Findings) async throws {
        let tolerance = Self.copyTolerancePixels * pixel
        for label in manual {
            guard let print = ShapeFingerprint(label.geometry) else { continue }
            let bucket = print.perimeterBucket(tolerance: tolerance), radii = print.radiusBuckets(tolerance: tolerance)
            let candidates = try await store.fingerprints(vertexCount: print.vertices.count, buckets: (bucket - 1)...(bucket + 1),
                                                          reach: (radii.reach - 1)...(radii.reach + 1), inner: (radii.inner - 1)...(radii.inner + 1))
            if let original = candidates.first(where: { $0.taskId != task.id && $0.fingerprint.isNearCopy(of: print, tolerance: tolerance) }) {
                let place = original.projectId == task.projectId ? "label \(original.labelId) in task \(original.taskId)" : "a label in another project"
                findings.flags.append(FlagDraft(projectId: task.projectId, userId: submission.userId, taskId: task.id, labelId: label.id,
                                                flag: IntegrityFlag(.copiedGeometry, "label \(label.id) repeats the outline of \(place) to within "
                                                                    + "\(Self.copyTolerancePixels) px, moved \(Int((original.fingerprint.distance(to: print) / pixel).rounded())) px")))
                if original.projectId == task.projectId, original.sceneId != submission.sceneId {
                    findings.flags.append(FlagDraft(projectId: task.projectId, userId: submission.userId, taskId: task.id, labelId: label.id,
                                                    flag: IntegrityFlag(.displacedWork, "label \(label.id) was pasted from scene \(original.sceneId) "
                                                                        + "(label \(original.labelId)) into scene \(submission.sceneId)")))
                }
            }
            findings.fingerprints.append(StoredFingerprint(labelId: label.id, projectId: task.projectId, sceneId: submission.sceneId, taskId: task.id,
                                                           userId: submission.userId, fingerprint: print, perimeterBucket: bucket,
                                                           radiusBuckets: radii))
        }
    }

    /// Manual labels that are not edits of a pre-label: an annotator who corrects a
    /// model's polygonized draft keeps its grid-cornered vertices, honestly.
    private func drawnByHand(_ manual: [Label]) async throws -> [Label] {
        var drawn: [Label] = []
        for label in manual {
            if label.previousId != nil, try await store.labelHistory(labelId: label.id).contains(where: { $0.label.source.isPreLabel }) { continue }
            drawn.append(label)
        }
        return drawn
    }

    /// A label in the scene's pixel coordinates; nil when the geotransform cannot be inverted.
    static func pixelShape(_ geometry: MultiPolygon, scene: Scene) -> MultiPolygon? {
        let transform = scene.transform
        guard transform.invert(Point(x: 0, y: 0)) != nil else { return nil }
        return geometry.map { transform.invert($0) ?? $0 }
    }

    /// Outlines with the texture of GDAL's polygonize, with the server's clock as supporting evidence.
    private func machineMade(_ shapes: [(Label, MultiPolygon?)], secondsOnTask: Double) -> (LabelID, IntegrityFlag)? {
        let found = shapes.compactMap { label, pixels in pixels.flatMap(machineMade.evidence).map { (label, $0) } }
        guard let first = found.first else { return nil }
        let vertices = shapes.reduce(0) { $0 + $1.0.geometry.vertexCount }
        let clock = String(format: "; %d outlines (%d vertices) handed in %.0f s after the claim by the server's clock", shapes.count, vertices, secondsOnTask)
        let others = found.count > 1 ? " (and \(found.count - 1) more outline\(found.count > 2 ? "s" : "") of this submission)" : ""
        return (first.0.id, IntegrityFlag(.machineMade, "label \(first.0.id): \(first.1)\(others)\(clock)"))
    }

    /// Copies that dodge the exact fingerprint: registered shapes, looked up by
    /// distinctive shape and by pairs of outlines moved together.
    private func disguisedCopies(_ shapes: [(Label, MultiPolygon?)], submission: Submission, task: LabelTask, into findings: inout Findings) async throws {
        let signed = shapes.compactMap { label, pixels in pixels.flatMap(ShapeSignature.init(pixelShape:)).map { (label, $0) } }
        guard !signed.isEmpty else { return }
        for index in findings.fingerprints.indices {
            guard let match = signed.first(where: { $0.0.id == findings.fingerprints[index].labelId }) else { continue }
            findings.fingerprints[index].shape = match.1
            findings.fingerprints[index].classId = match.0.classId
        }
        let signatures = signed.map(\.1)
        var candidates: [Int64: IndexedShape] = [:]
        for signature in signatures where !signature.isStandard {
            let bin = IndexedShape.areaBin(signature.area)
            for shape in try await store.distinctShapes(areaBins: (bin - 1)...(bin + 1)) { candidates[shape.labelId] = shape }
        }
        let keys = ShapePairKey.pairs(signatures).filter { $0.first < $0.second }.map { ShapePairKey(from: signatures[$0.first], to: signatures[$0.second]) }
        for shape in try await store.shapePairs(near: keys) { candidates[shape.labelId] = shape }
        let alreadyCopied = Set(findings.flags.filter { $0.flag.kind == .copiedGeometry }.compactMap(\.labelId))
        for finding in disguisedCopies.findings(submitted: signatures, classes: signed.map(\.0.classId), userId: submission.userId, projectId: task.projectId, sceneId: submission.sceneId, taskId: task.id,
                                                candidates: candidates.values.sorted { $0.labelId < $1.labelId }) {
            let labels = finding.outlines.map { signed[$0].0.id }
            guard !labels.allSatisfy(alreadyCopied.contains) else { continue }
            var evidence = finding.evidence
            if finding.outlines.count > 1, let source = finding.sources.first {
                // A layout: it must carry the earlier task's work along, not just two outlines of it.
                let earlier = try await store.shapes(taskId: source.taskId, userId: source.userId).map(\.signature)
                let anchor = signatures[finding.outlines[0]].centre
                let shift = Point(x: anchor.x - source.signature.centre.x, y: anchor.y - source.signature.centre.y)
                let support = disguisedCopies.layoutSupport(submitted: signatures, source: earlier, anchor: anchor, shift: shift)
                guard DisguisedCopyCheck.isCopiedLayout(support: support, sourceCount: earlier.count, submittedCount: signatures.count) else { continue }
                evidence += "; \(support) of this submission's \(signatures.count) outlines sit on the \(earlier.count) of that work moved alike"
            }
            let names = labels.map(String.init).joined(separator: " and ")
            findings.flags.append(FlagDraft(projectId: task.projectId, userId: submission.userId, taskId: task.id, labelId: labels[0],
                                            flag: IntegrityFlag(.copiedGeometry, "label\(labels.count > 1 ? "s" : "") \(names): \(evidence)")))
        }
    }

    /// Outlines pasted from a registered reference layer (the project's or a global one): looked up by the
    /// label's WGS84 bbox grown by a few pixels, each candidate brought onto the scene's pixel grid.
    private func referenceCopies(_ shapes: [(Label, MultiPolygon?)], submission: Submission, task: LabelTask, frame: TaskFrame,
                                 into findings: inout Findings) async throws {
        let scene = frame.scene
        for (label, pixels) in shapes {
            // The label's pixel bounds grown by the largest shift (and a pixel), taken to WGS84.
            guard let pixels, let box = pixels.bounds else { continue }
            let grow = referenceMatch.maximumShift + 1
            let around = MultiPolygon.rectangle(minX: box[0] - grow, minY: box[1] - grow, maxX: box[2] + grow, maxY: box[3] + grow)
            guard let bbox = try? frame.toWGS84(around.map { scene.transform.apply(col: $0.x, row: $0.y) }).bounds else { continue }
            for reference in try await store.referenceFeatures(projectId: task.projectId, bbox: bbox) {
                guard let inScene = try? frame.toScene(reference.geometry, from: .wgs84),
                      let onGrid = Self.pixelShape(inScene, scene: scene),
                      let found = try referenceMatch.match(drawn: pixels, reference: onGrid) else { continue }
                findings.flags.append(FlagDraft(projectId: task.projectId, userId: submission.userId, taskId: task.id, labelId: label.id,
                                                flag: IntegrityFlag(.copiedReference, String(
                                                    format: "label %lld is feature %lld of reference layer '%@': IoU %.3f after a shift of %.1f px, "
                                                        + "every vertex within %.2f px of one of its vertices", label.id, reference.fid, reference.layerName,
                                                    found.iou, found.shift, found.worstVertex))))
                break
            }
        }
    }

    /// Raised once per annotator, when their run of one-class tasks is too unlikely for the project.
    private func sameClass(_ submission: Submission, task: LabelTask, into findings: inout Findings) async throws {
        guard Set(submission.labels.map(\.classId)).count == 1 else { return }
        let classes = try await store.submittedClasses(projectId: task.projectId)
        let mine = classes.filter { $0.userId == submission.userId }.map(\.classes)
        let others = classes.filter { $0.userId != submission.userId }.map(\.classes)
        if let found = monotony.check(mine: mine, others: others) {
            findings.flags.append(FlagDraft(projectId: task.projectId, userId: submission.userId, taskId: task.id, flag: found, onceKey: "same_class"))
        }
    }

    /// Two annotators on one consensus task who hand in the same work, to a
    /// fraction of a pixel: both are flagged.
    private func collusion(_ submission: Submission, task: LabelTask, pixel: Double, into findings: inout Findings) async throws {
        guard submission.isTurn else { return }
        let mine = submission.labels.filter { $0.source == .manual }.map { ClassedShape(classId: $0.classId, geometry: $0.geometry) }
        guard !mine.isEmpty else { return }
        let others = Set(try await store.assignments(taskId: task.id).filter { $0.status == .submitted && $0.userId != submission.userId }.map(\.userId))
        for other in others.sorted() {
            guard let theirs = try await store.submission(taskId: task.id, userId: other) else { continue }
            let shapes = theirs.labels.filter { $0.source == .manual }.map { ClassedShape(classId: $0.classId, geometry: $0.geometry) }
            guard try IdenticalWork.areIdentical(mine, shapes, tolerance: Self.identicalTolerancePixels * pixel) else { continue }
            let evidence = "users \(min(other, submission.userId)) and \(max(other, submission.userId)) handed in identical work on consensus task "
                + "\(task.id): \(mine.count) polygons, every outline within \(Self.identicalTolerancePixels) px"
            for user in [submission.userId, other] {
                findings.flags.append(FlagDraft(projectId: task.projectId, userId: user, taskId: task.id, flag: IntegrityFlag(.collusion, evidence),
                                                onceKey: "collusion:\(task.id):\(min(other, submission.userId)):\(max(other, submission.userId))"))
            }
        }
    }
}

