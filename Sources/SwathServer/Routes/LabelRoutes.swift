import Foundation
import Hummingbird
import SwathGeo
import SwathLabels

/// Labels: a task's set (replaced whole by PUT) and a project's by bbox and status.
struct LabelRoutes {
    let service: LabelingService
    let metrics: ServerMetrics

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.put("tasks/{id}/labels") { request, context in
            let space = try CoordinateSpace(query: request.uri.queryParameters.get("crs"))
            // The body is read only once the service has checked the caller's role and lease.
            let saved = try await service.saveLabels(taskId: context.parameters.id(), space: space, by: context.caller()) {
                try await Self.featureCollection(request, context: context)
            }
            metrics.saves.increment()
            return Response.json(saved.json)
        }
        api.get("tasks/{id}/labels") { request, context in
            let space = try CoordinateSpace(query: request.uri.queryParameters.get("crs"))
            return Response.json(try await service.labels(taskId: context.parameters.id(), space: space, for: context.caller()).json)
        }
        api.get("projects/{id}/labels") { request, context in
            let query = request.uri.queryParameters
            let statuses = try query.get("status").map(Self.parseStatuses)
            let page = LabelPage(after: Int64(try query.integer("after", default: 0, in: 0...Int.max)),
                                 limit: try query.integer("limit", default: LabelPage.defaultLimit, in: 1...LabelPage.maximumLimit))
            return Response.json(try await service.projectLabels(projectId: context.parameters.id(), bbox: query.bbox(),
                                                                 statuses: statuses, page: page, for: context.caller()).json)
        }
    }

    /// The body as a FeatureCollection: 413 past the size limit, 400 when it is
    /// not JSON or not a FeatureCollection.
    static func featureCollection(_ request: Request, context: SwathRequestContext) async throws -> GeoJSONFeatureCollection {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            return try GeoJSONFeatureCollection(json: JSONParser.parse(Array(body.readableBytesView)))
        } catch let failure as JSONParser.Failure {
            throw LabelingError.invalid("malformed request body: \(failure)")
        } catch let problem as GeometryProblem {
            throw LabelingError.invalid("malformed request body: \(problem.reason)")
        }
    }

    static func parseStatuses(_ text: String) throws -> Set<TaskStatus> {
        if text == "all" { return Set(TaskStatus.allCases) }
        return Set(try text.split(separator: ",").map { name in
            guard let status = TaskStatus(rawValue: String(name)) else {
                throw LabelingError.invalid("status '\(name)' is not one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")), all")
            }
            return status
        })
    }
}
