import ArgumentParser
import Foundation
import SwathGeo
import SwathLabels
import SwathWildfire

struct WildfireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wildfire",
        abstract: "Wildfire features (spectral, change, terrain) as Float32 stacks: a COG per chip, or one GeoTIFF for the scene.",
        discussion: "Bands are named by their description (ndvi_post, nbr_pre, dnbr, severity, slope_deg, …); features.json gives "
            + "each band's formula and units. Nodata is -9999. A DEM in any CRS or resolution is warped onto the scene's grid."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id.") var project: Int64
    @Option(help: "The post-fire scene id.") var scene: Int64
    @Option(help: "The pre-fire scene id (default: the scene's pre-event link).") var pre: Int64?
    @Option(help: "A DEM (any CRS and resolution) for the terrain features.") var dem: String?
    @Option(help: "Output folder.") var out: String
    @Option(help: "Chip size on the export grid; 0 writes one stack for the whole scene.") var chipSize = 512
    @Option(help: "Features or groups (spectral, change, terrain), comma-separated (default: all the inputs allow).") var features: String?
    @Option(help: "Reflectance = DN × scale + offset (Sentinel-2 L2A: 0.0001).") var scale: Double = 1
    @Option(help: "Reflectance offset; a negative one as --offset=-0.1.") var offset: Double = 0
    @Option(help: "Statuses of the tasks whose burn-scar labels make the fire features, comma-separated.") var status = "accepted"
    @Option(help: "Threads (default: every core).") var threads = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        // Input blocks and the stack's dirty blocks; GDAL's default is 5% of RAM.
        GDALRuntime.setCacheLimit(bytes: 512 << 20)
        let service = try database.service()
        let post = try await input(scene, service: service)
        let preId = pre ?? post.preEventSceneId
        var preInput: Loaded?
        if let preId { preInput = try await input(preId, service: service) }
        var options = WildfireOptions(scale: scale, offset: offset, chipSize: chipSize, threads: max(1, threads))
        options.features = features.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let (labels, landCover) = try await sceneLabels(service: service)
        if labels.isEmpty, options.features == nil {
            printWarning("scene \(scene) has no burn-scar labels in tasks that are \(status): fire features skipped")
        }
        let report = try WildfireExtractor.run(post: post.input, pre: preInput?.input, dem: dem, labels: labels, landCover: landCover,
                                               options: options, output: URL(fileURLWithPath: out))
        print(String(format: "wrote %d file(s), %d feature bands each, in %.1f s: %@", report.files.count, report.features.count,
                     report.seconds, report.features.map(\.name).joined(separator: ", ")))
        printWarning("spread features from dated perimeters (rate, direction, time since burn) are not computed yet")
    }

    /// Labels of the taxonomy's burn-scar classes (all but "unburned" mean
    /// burned ground): the scene's own, and those of the project's other
    /// dated scenes, taken into this scene's CRS — each dated by its scene's
    /// acquisition, so perimeters seen at several times make a series.
    /// And the scene's own land-cover labels.
    private func sceneLabels(service: LabelingService) async throws -> ([BurnLabel], [ClassLabel]) {
        let statuses = Set(try status.split(separator: ",").map { name in
            guard let status = TaskStatus(rawValue: String(name)) else {
                throw WildfireError("--status: '\(name)' is not one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        })
        let source = try await service.exportSource(projectId: project, statuses: statuses, by: .commandLine)
        let burnClasses = Dictionary(uniqueKeysWithValues: source.project.taxonomy.classes
            .filter { $0.group == "burn scar" }.map { ($0.id, $0) })
        guard let target = source.scenes.first(where: { $0.id == scene }) else { return ([], []) }
        let landCoverIds = Set(source.project.taxonomy.classes.filter { $0.group == "land cover" }.map(\.id))
        let landCover = source.labels.filter { $0.sceneId == scene && landCoverIds.contains($0.classId) }
            .map { ClassLabel(geometry: $0.geometry, classId: $0.classId) }
        var reprojectors: [Int64: Reprojector] = [:]
        var labels: [BurnLabel] = []
        for label in source.labels {
            guard let taxonomyClass = burnClasses[label.classId],
                  let origin = source.scenes.first(where: { $0.id == label.sceneId }),
                  origin.id == target.id || origin.acquiredAt != nil else { continue }
            var geometry = label.geometry
            if origin.crsWKT != target.crsWKT {
                if reprojectors[origin.id] == nil {
                    reprojectors[origin.id] = try Reprojector(from: origin.crs, to: target.crs)
                }
                let reprojector = reprojectors[origin.id]!
                geometry = try geometry.mapAll { try reprojector.forward($0) }
            }
            labels.append(BurnLabel(geometry: geometry, classId: label.classId, burned: taxonomyClass.name != "unburned",
                                    observedAt: origin.acquiredAt))
        }
        return (labels, landCover)
    }

    private struct Loaded {
        var input: SceneInput
        var preEventSceneId: Int64?
    }

    private func input(_ id: Int64, service: LabelingService) async throws -> Loaded {
        let scene = try await service.sceneForMap(id: id, by: .commandLine)
        guard scene.projectId == project else {
            throw WildfireError("scene \(id) belongs to project \(scene.projectId), not \(project)")
        }
        return Loaded(input: SceneInput(path: scene.uri, bandRoles: scene.bandRoles, label: "scene \(id)", acquiredAt: scene.acquiredAt),
                      preEventSceneId: scene.preEventSceneId)
    }
}
