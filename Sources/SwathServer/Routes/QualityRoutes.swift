import Hummingbird
import SwathLabels
import SwathQuality

/// The project's quality report, for managers.
struct QualityRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.get("projects/{id}/quality") { _, context in
            let source = try await service.qualitySource(projectId: context.parameters.id(), by: context.caller())
            return Response.json(ProjectQuality.report(source))
        }
    }
}
