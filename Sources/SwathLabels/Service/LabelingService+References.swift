import Foundation
import SwathGeo

/// Reference layers: existing work (public datasets, earlier deliveries) that
/// submissions are checked against, so a polygon pasted from one is flagged
/// `copied_reference`. A project's layers are registered by its managers;
/// global ones (checked in every project) by admins.
extension LabelingService {
    /// Largest layer accepted, in features and vertices.
    public static let maximumReferenceFeatures = 500_000
    public static let maximumReferenceVertices = 20_000_000

    public struct ReferenceRegistration: Sendable {
        public var layer: ReferenceLayer
        /// Features left out: not polygons, or spanning more than `ReferenceFeature.maximumCells` cells.
        public var skipped: Int
    }

    /// Registers the polygons of `path` (any self-contained vector format the
    /// import reads, any CRS) as a reference layer of `projectId`, or of every
    /// project when nil. `displayName` stands for an uploaded file in messages.
    /// Nothing is stored unless every check passes.
    public func registerReferenceLayer(projectId: ProjectID?, name: String, path: String, displayName: String? = nil,
                                       by caller: User) async throws -> ReferenceRegistration {
        var scenes: [Scene] = []
        if let projectId {
            let (_, access) = try await access(caller, projectId: projectId)
            try access.require(.manager, to: "registering reference layers")
            scenes = try await store.scenes(projectId: projectId)
        } else {
            guard caller.isAdmin else { throw LabelingError.forbidden("registering a global reference layer needs an admin") }
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(trimmed.count) else { throw LabelingError.invalid("name must be 1…200 characters, got \(trimmed.count)") }
        let shown = displayName ?? (path as NSString).lastPathComponent
        let features: [ReferenceFeature], skipped: Int
        do {
            (features, skipped) = try Self.readReference(path: path, displayName: displayName, shown: shown)
        } catch let error as GeoError {
            throw LabelingError.invalid("reference layer \(shown): \(error.description)")
        }
        guard !features.isEmpty else {
            throw LabelingError.invalid("reference layer \(shown) is empty: no polygon features\(skipped > 0 ? " (\(skipped) features are not polygons)" : "")")
        }
        if let projectId { try Self.requireCoverage(features, scenes: scenes, projectId: projectId, shown: shown) }
        let layer = try await store.createReferenceLayer(projectId: projectId, name: trimmed, features: features, actor: caller.auditId, at: now())
        return ReferenceRegistration(layer: layer, skipped: skipped)
    }

    /// The same, for bytes uploaded over HTTP: staged in a private temporary file.
    public func registerReferenceLayer(projectId: ProjectID?, name: String, data: [UInt8], by caller: User) async throws -> ReferenceRegistration {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swath-reference-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: Data(data), attributes: [.posixPermissions: 0o600]) else {
            throw LabelingError.invalid("the upload could not be staged")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await registerReferenceLayer(projectId: projectId, name: name, path: path, displayName: "the upload", by: caller)
    }

    /// The project's reference layers and the global ones (managers).
    public func referenceLayers(projectId: ProjectID, by caller: User) async throws -> [ReferenceLayer] {
        let (_, access) = try await access(caller, projectId: projectId)
        try access.require(.manager, to: "listing reference layers")
        return try await store.referenceLayers(projectId: projectId)
    }

    /// Polygons in WGS84 with their bboxes; the count of features left out.
    static func readReference(path: String, displayName: String?, shown: String) throws -> ([ReferenceFeature], Int) {
        let dataset = try VectorDataset.open(path, name: displayName)
        let layer = try dataset.read(layer: nil, maximumFeatures: maximumReferenceFeatures, maximumTotalVertices: maximumReferenceVertices)
        guard let crs = layer.crs else {
            throw GeoError.invalidArgument(name: shown, reason: "layer '\(layer.name)' declares no CRS, so it cannot be placed on any scene")
        }
        let toWGS84 = try Reprojector.toWGS84(from: crs)
        var features: [ReferenceFeature] = [], skipped = 0
        for feature in layer.features {
            guard let shape = try? feature.geometry.get(), let lonLat = try? shape.mapAll(toWGS84.forward), let bbox = lonLat.bounds,
                  !ReferenceFeature.cells(bbox).isEmpty else {
                skipped += 1
                continue
            }
            features.append(ReferenceFeature(layerId: 0, layerName: layer.name, fid: feature.fid, geometry: lonLat, bbox: bbox))
        }
        return (features, skipped)
    }

    /// A project's layer must meet at least one of its scenes.
    static func requireCoverage(_ features: [ReferenceFeature], scenes: [Scene], projectId: ProjectID, shown: String) throws {
        guard !scenes.isEmpty else {
            throw LabelingError.invalid("reference layer \(shown) cannot cover project \(projectId): it has no scenes yet")
        }
        guard features.contains(where: { feature in scenes.contains { overlaps(feature.bbox, $0.bboxWGS84) } }) else {
            let layer = features.dropFirst().reduce(features[0].bbox) { box, feature in
                [min(box[0], feature.bbox[0]), min(box[1], feature.bbox[1]), max(box[2], feature.bbox[2]), max(box[3], feature.bbox[3])]
            }
            func text(_ box: [Double]) -> String { "[" + box.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]" }
            throw LabelingError.invalid("reference layer \(shown) does not cover project \(projectId): its features lie in \(text(layer)), "
                                        + "none meeting the bbox of any of the project's \(scenes.count) scene(s)")
        }
    }
}
