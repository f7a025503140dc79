import ArgumentParser
import Foundation
import SwathGeo
import SwathLabels
import SwathModel

struct PrelabelBurnScarsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "burn-scars",
        abstract: "Burn scars from a pre/post pair: dNBR → severity classes → minimum mapping unit → polygons → model pre-labels.",
        discussion: "Classes: low, moderate-low, moderate-high and high severity of the standard taxonomy. Prints what was saved as JSON."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id (the scene must be one of its scenes).") var project: Int64
    @Option(help: "The post-fire scene.") var scene: Int64
    @Option(help: "The pre-fire scene (default: the scene's pre-event link).") var pre: Int64?
    @Option(help: "dNBR lower bounds of low, moderate-low, moderate-high and high severity (USGS: 0.1,0.27,0.44,0.66).")
    var thresholds: String?
    @Option(name: .customLong("mmu-ha"), help: "Minimum mapping unit in hectares: smaller islands and holes are merged.") var mmuHa = 0.5
    @Option(help: "Reflectance = DN × scale + offset.") var scale = 1.0
    @Option(help: "The reflectance offset (a negative one as --offset=-0.1).") var offset = 0.0
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try global.apply()
        var options = BurnScarOptions()
        if let thresholds { options.thresholds = try BurnScarOptions.parseThresholds(thresholds) }
        options.minimumMappingUnitHectares = mmuHa
        options.scale = scale
        options.offset = offset
        let service = try await database.service()
        let sceneView = try await service.scene(id: scene, for: .commandLine)
        guard sceneView.projectId == project else { throw LabelingError.invalid("scene \(scene) is not a scene of project \(project)") }
        try printJSON(try await BurnScarPrelabeler(service: service).run(sceneId: scene, preSceneId: pre, options: options, by: .commandLine))
    }
}
