import Foundation
import Hummingbird
import SwathExport
import SwathLabels
import SwathModel

/// Pre-labels drafted from the imagery, for managers: the role is checked before the body is read.
struct PrelabelRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("scenes/{id}/prelabels/burn-scars") { request, context in
            let caller = try context.caller()
            let sceneId = try context.parameters.id()
            try await service.authorize(caller, scene: sceneId, .manager, to: "drafting burn-scar pre-labels")
            let body: BurnScarRequest = try await ExportRoutes.decode(request)
            do {
                let report = try await BurnScarPrelabeler(service: service).run(sceneId: sceneId, preSceneId: body.preSceneId,
                                                                                options: try body.options(), by: caller)
                return try Response.json(report)
            } catch let error as BurnScarError {
                throw LabelingError.invalid(error.description)
            }
        }
    }
}
