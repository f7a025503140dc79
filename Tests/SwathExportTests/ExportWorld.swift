import Foundation
import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport

/// A project over the UTM fixture in 128-pixel tasks, with one rectangular
/// field (pixels 30…180 × 40…150, i.e. UTM 600300…601800 E, 4298500…4299600 N)
/// imported as cropland and every task accepted.
struct ExportWorld {
    let directory: TemporaryDirectory
    let service: LabelingService
    let projectId: ProjectID
    let sceneId: SceneID
    let trainer: User
    let annotator: User

    static let field = (minX: 600300.0, minY: 4298500.0, maxX: 601800.0, maxY: 4299600.0)

    static func make(scenePath: String = Fixture.path("utm_multiband.tif"), accept: Bool = true) async throws -> ExportWorld {
        let directory = try TemporaryDirectory("swath-export")
        let service = LabelingService(store: try SQLiteStore(path: directory.file("export.sqlite")))
        let cli = User.commandLine
        let project = try await service.createProject(ProjectDraft(customer: "Acme", codename: "OWL", settings: ProjectSettings(tileSize: 128)), by: cli)
        let scene = try await service.registerScene(projectId: project.id, SceneRegistration(uri: scenePath), by: cli)
        let corners = [(field.minX, field.maxY), (field.minX, field.minY), (field.maxX, field.minY), (field.maxX, field.maxY), (field.minX, field.maxY)]
        let lonLat = try GDALTools.toLonLat(fromEPSG: 32610, corners.map { Point(x: $0.0, y: $0.1) })
        let ring = lonLat.map { "[\($0.x), \($0.y)]" }.joined(separator: ",")
        let geojson = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[["# + ring + "]]}}]}"
        _ = try await service.importLabels(sceneId: scene.id, data: Array(geojson.utf8), options: ImportOptions(fixedClass: "cropland"), by: cli)
        func member(_ name: String, _ role: Role) async throws -> User {
            let (user, _) = try await service.createUser(name: name, isAdmin: false, by: cli)
            try await service.addMember(projectId: project.id, userId: user.id, role: role, by: cli)
            return user
        }
        let annotator = try await member("ann", .annotator)
        let reviewer = try await member("rey", .reviewer)
        let trainer = try await member("tom", .trainer)
        if accept {
            while let task = try await service.claim(projectId: project.id, by: annotator) {
                _ = try await service.submit(taskId: task.id, by: annotator)
                _ = try await service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
            }
        }
        return ExportWorld(directory: directory, service: service, projectId: project.id, sceneId: scene.id, trainer: trainer, annotator: annotator)
    }

    func export(_ configure: (inout ExportOptions) -> Void = { _ in }, into name: String = "out") async throws -> (ExportReport, URL) {
        var options = ExportOptions()
        options.chipSize = 100
        options.backgroundRatio = 1
        configure(&options)
        let out = directory.url.appendingPathComponent(name)
        let report = try await Exporter(service: service, projectId: projectId, outDir: out, options: options).run(by: trainer)
        return (report, out)
    }
}

func manifest(_ out: URL) throws -> [[String: Any]] {
    try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8).split(separator: "\n").map {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
}

func json(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
}
