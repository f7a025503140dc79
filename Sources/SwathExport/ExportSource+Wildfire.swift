import Foundation
import SwathGeo
import SwathLabels
import SwathWildfire

extension ExportSource {
    /// What the wildfire extractor needs for one post-fire scene: the scene
    /// and its pre-fire link; burn-scar labels (all but "unburned" mean burned
    /// ground) from it and from the project's other dated scenes, taken into
    /// its CRS and dated by their scene's acquisition; its land-cover labels.
    /// `preSceneId`: the pre-fire scene, in place of the scene's pre-event link.
    public func wildfireInputs(sceneId: SceneID, preSceneId: SceneID? = nil) throws -> WildfireInputs {
        guard let target = scenes.first(where: { $0.id == sceneId }) else {
            throw WildfireError("scene \(sceneId) is not in project \(project.id)")
        }
        let classes = project.taxonomy.classes
        let burnClasses = Dictionary(uniqueKeysWithValues: classes.filter { $0.group == "burn scar" }.map { ($0.id, $0) })
        let landCoverIds = Set(classes.filter { $0.group == "land cover" }.map(\.id))
        var reprojectors: [SceneID: Reprojector] = [:]
        var burn: [BurnLabel] = []
        for label in labels {
            guard let taxonomyClass = burnClasses[label.classId], let origin = scenes.first(where: { $0.id == label.sceneId }),
                  origin.id == target.id || origin.acquiredAt != nil else { continue }
            var geometry = label.geometry
            if origin.crsWKT != target.crsWKT {
                if reprojectors[origin.id] == nil { reprojectors[origin.id] = try Reprojector(from: origin.crs, to: target.crs) }
                let reprojector = reprojectors[origin.id]!
                geometry = try geometry.mapAll { try reprojector.forward($0) }
            }
            burn.append(BurnLabel(geometry: geometry, classId: label.classId, burned: taxonomyClass.name != "unburned",
                                  observedAt: origin.acquiredAt))
        }
        let landCover = labels.filter { $0.sceneId == sceneId && landCoverIds.contains($0.classId) }
            .map { ClassedShape(classId: $0.classId, geometry: $0.geometry) }
        let pre: SceneInput?
        if let preSceneId {
            guard let chosen = scenes.first(where: { $0.id == preSceneId }) else {
                throw WildfireError("scene \(preSceneId) is not in project \(project.id)")
            }
            pre = Self.input(chosen)
        } else {
            pre = target.preEventSceneId.flatMap { id in scenes.first { $0.id == id } }.map(Self.input)
        }
        return WildfireInputs(post: Self.input(target), pre: pre, burnLabels: burn, landCover: landCover)
    }

    /// Wildfire stacks of `sceneId`'s windows, written to the given files:
    /// `wildfire.tif` of export chips and of chips pulled over HTTP.
    func writeWildfireStacks(sceneId: SceneID, dem: String?, options: WildfireOptions, targets: [(window: Window, file: URL)]) throws {
        let inputs = try wildfireInputs(sceneId: sceneId)
        try WildfireExtractor.writeStacks(post: inputs.post, pre: inputs.pre, dem: dem, labels: inputs.burnLabels,
                                          landCover: inputs.landCover, options: options, targets: targets)
    }

    static func input(_ scene: Scene) -> SceneInput {
        SceneInput(path: scene.uri, bandRoles: scene.bandRoles, label: "scene \(scene.id)", acquiredAt: scene.acquiredAt)
    }
}

/// The inputs of one extraction, gathered from the labeling database.
public struct WildfireInputs: Sendable {
    public var post: SceneInput
    public var pre: SceneInput?
    public var burnLabels: [BurnLabel]
    public var landCover: [ClassedShape]
}
