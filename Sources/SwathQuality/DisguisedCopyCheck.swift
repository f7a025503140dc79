import Foundation

/// Decides which outlines of a submission are disguised copies of earlier
/// work, from the candidates the index found. A copy that dodged the exact
/// fingerprint (jittered, restarted, reversed, with vertices added or
/// dropped, shifted, turned or scaled a little) still has the original's
/// registered shape (`ShapeSignature`). One standard shape matching is a
/// coincidence; the evidence is either
/// - a distinctive outline matching a distinctive outline elsewhere, or
/// - two outlines matching two outlines of one earlier task, of the same
///   classes, by one annotator, moved together (their displacements agree to `layoutTolerance`
///   plus 3% of their separation), each with its area within 15%, its vertex
///   count within one and each vertex near one of the original's
///   (`ShapeSignature.vertexDistance`). Every one of those is a coincidence an
///   honest pair of near-discs can meet; all of them together, seldom.
/// Work on the same ground (the same scene, centres within a few pixels) is
/// a redraw, never a copy: consensus co-annotators and overlapping tiles draw
/// the same objects. And an outline someone else also drew on its own ground
/// is corroborated: when it matches work elsewhere, that work is the copy.
public struct DisguisedCopyCheck: Sendable {
    public var layoutTolerance = 1.5

    public struct Finding: Sendable, Equatable {
        /// Indexes into the submitted outlines.
        public var outlines: [Int]
        public var sources: [IndexedShape]
        public var evidence: String
    }

    public init() {}

    public func findings(submitted: [ShapeSignature], classes: [Int], userId: Int64, projectId: Int64, sceneId: Int64, taskId: Int64,
                         candidates: [IndexedShape]) -> [Finding] {
        let elsewhere = candidates.filter { $0.taskId != taskId }
        var matches: [[IndexedShape]] = submitted.map { shape in
            // Someone else drew this outline on this ground: the object is here, and any match elsewhere
            // is a copy *of* this ground, not where this work came from.
            if candidates.contains(where: { $0.userId != userId && Self.sameGround(shape, sceneId: sceneId, $0) && shape.matches($0.signature) }) {
                return []
            }
            return elsewhere.filter { !Self.sameGround(shape, sceneId: sceneId, $0) && shape.matches($0.signature) }
        }
        var findings: [Finding] = []
        var reported = Set<Int>()
        for (index, shape) in submitted.enumerated() where !shape.isStandard {
            guard let source = matches[index].first(where: { !$0.signature.isStandard }) else { continue }
            reported.insert(index)
            findings.append(Finding(outlines: [index], sources: [source], evidence: String(
                format: "its registered outline matches %@ (residual %.4f, tolerance %.4f for %.1f px of jitter per vertex), "
                    + "moved %.0f px", Self.place([source], projectId: projectId), shape.residual(to: source.signature), shape.tolerance(with: source.signature),
                ShapeSignature.copyJitter, Self.distance(shape.centre, source.signature.centre))))
        }
        for i in submitted.indices { for j in submitted.indices where j > i && !(reported.contains(i) && reported.contains(j)) {
            guard let (a, b) = layout(submitted[i], submitted[j], matches[i].filter { $0.classId == classes[i] },
                                      matches[j].filter { $0.classId == classes[j] }) else { continue }
            reported.formUnion([i, j])
            let (dx, dy) = (submitted[i].centre.x - a.signature.centre.x, submitted[i].centre.y - a.signature.centre.y)
            findings.append(Finding(outlines: [i, j], sources: [a, b], evidence: String(
                format: "two outlines repeat %@, both moved by (%.0f, %.0f) px, each matching after "
                    + "registration (residuals %.4f and %.4f)", Self.place([a, b], projectId: projectId), dx, dy,
                submitted[i].residual(to: a.signature), submitted[j].residual(to: b.signature))))
        } }
        matches.removeAll()
        return findings
    }

    private func layout(_ first: ShapeSignature, _ second: ShapeSignature, _ firstMatches: [IndexedShape],
                        _ secondMatches: [IndexedShape]) -> (IndexedShape, IndexedShape)? {
        let separation = Self.distance(first.centre, second.centre)
        for a in firstMatches { for b in secondMatches where b.taskId == a.taskId && b.userId == a.userId && b.labelId != a.labelId {
            let shiftA = Point2(x: first.centre.x - a.signature.centre.x, y: first.centre.y - a.signature.centre.y)
            let shiftB = Point2(x: second.centre.x - b.signature.centre.x, y: second.centre.y - b.signature.centre.y)
            guard hypot(shiftA.x - shiftB.x, shiftA.y - shiftB.y) <= layoutTolerance + 0.03 * separation else { continue }
            // Near-discs of a size match each other's registered shape; their vertices tell a copy apart.
            if Self.sameVertices(first, a.signature), Self.sameVertices(second, b.signature) { return (a, b) }
        } }
        return nil
    }

    /// How many of `submitted` lie on one of `source` (the whole of the earlier task's outlines by that annotator) moved by
    /// `shift` — measured at `anchor`, allowing twice the layout tolerance plus 3% of the distance from it — and
    /// match it. A pasted tile carries most of its outlines along; two near-discs that happen to sit as two others did
    /// elsewhere are all the coincidence there is.
    public func layoutSupport(submitted: [ShapeSignature], source: [ShapeSignature], anchor: SwathGeo.Point, shift: SwathGeo.Point) -> Int {
        submitted.filter { shape in
            source.contains { original in
                let moved = SwathGeo.Point(x: original.centre.x + shift.x, y: original.centre.y + shift.y)
                // Twice the pair's tolerance: the shift is taken at one jittered outline, so each other carries two jitters.
                return Self.distance(shape.centre, moved) <= 2 * layoutTolerance + 0.03 * Self.distance(shape.centre, anchor)
                    && shape.matches(original)
            }
        }.count
    }

    /// A layout is a copy when it explains at least two outlines and most of both tasks' work: in a simulated workforce
    /// of 40 honest annotators, two of three outlines sitting on two of four elsewhere happened by chance.
    public static func isCopiedLayout(support: Int, sourceCount: Int, submittedCount: Int) -> Bool {
        support >= 2 && 2 * support > max(sourceCount, submittedCount)
    }

    /// Where the originals are; only "another project" when they are not this one's (ids of other projects stay there).
    static func place(_ sources: [IndexedShape], projectId: Int64) -> String {
        guard let first = sources.first, first.projectId == projectId else {
            return sources.count > 1 ? "two outlines of one task in another project" : "an outline in another project"
        }
        let labels = sources.map { String($0.labelId) }.joined(separator: " and ")
        return "label\(sources.count > 1 ? "s" : "") \(labels) in task \(first.taskId)"
    }

    /// Within a layout: areas within 15%, vertex counts within one (a copier drops or adds a vertex, not several),
    /// and each vertex near one of the other's.
    static func sameVertices(_ shape: ShapeSignature, _ other: ShapeSignature) -> Bool {
        guard (0.85...1.18).contains(shape.area / other.area) else { return false }
        guard let distance = shape.vertexDistance(to: other) else { return true }
        return abs(shape.outline.count - other.outline.count) <= 2 && distance <= ShapeSignature.vertexTolerance
    }

    /// The same scene, centres closer than 3 px or half the outline's RMS radius.
    static func sameGround(_ shape: ShapeSignature, sceneId: Int64, _ other: IndexedShape) -> Bool {
        other.sceneId == sceneId && distance(shape.centre, other.signature.centre) <= max(3, 0.5 * shape.rmsRadius)
    }

    static func distance(_ a: SwathGeo.Point, _ b: SwathGeo.Point) -> Double { hypot(a.x - b.x, a.y - b.y) }

    private struct Point2 { var x: Double; var y: Double }
}

import SwathGeo
