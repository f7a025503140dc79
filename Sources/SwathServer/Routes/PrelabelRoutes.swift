import Foundation
import Hummingbird
import SwathExport
import SwathGeo
import SwathLabels
import SwathModel

/// Pre-labels drafted from the imagery (managers), and click-to-segment (the task's annotator,
/// reviewers, managers): roles are checked before bodies are read.
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
        api.post("tasks/{id}/segment") { request, context in
            let caller = try context.caller()
            let taskId = try context.parameters.id()
            try await service.authorize(caller, task: taskId, .annotator, .reviewer, .manager, to: "segmenting")
            let body: SegmentRequest = try await ExportRoutes.decode(request)
            guard body.point.count == 2 else { throw LabelingError.invalid("point: give [x, y]") }
            let space = try CoordinateSpace(query: body.crs)
            return try Response.json(try await service.segment(taskId: taskId, point: Point(x: body.point[0], y: body.point[1]), space: space,
                                                               tolerance: body.tolerance ?? 1, by: caller))
        }
    }
}
