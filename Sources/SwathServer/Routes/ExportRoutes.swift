import Foundation
import Hummingbird
import SwathExport
import SwathLabels

/// Exports, wildfire stacks and spread datasets as jobs: asked for over HTTP, run by a worker
/// (`swath worker`, or the server itself on SQLite), followed by their id.
/// Managers and trainers.
struct ExportRoutes {
    let service: LabelingService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.post("projects/{id}/exports") { request, context in
            let caller = try context.caller()
            let projectId = try context.parameters.id()
            try await service.authorize(caller, project: projectId, .manager, .trainer, to: "exporting training chips")
            let body: ExportRequest = try await Self.decode(request)
            let options: ExportOptions
            do {
                options = try body.options()
            } catch let error as ExportError {
                throw LabelingError.invalid(error.description)
            }
            let job = try await service.queueExport(projectId: projectId, parameters: try ExportJobParameters(request: body).json(),
                                                    statuses: options.statuses, by: caller)
            var response = try Response.json(job, status: .accepted)
            response.headers[.location] = "/api/v1/exports/\(job.id)"
            return response
        }
        api.get("exports/{id}") { _, context in
            try Response.json(try await service.job(id: context.parameters.id(), kind: .export, for: context.caller()))
        }
        api.post("scenes/{id}/wildfire") { request, context in
            let caller = try context.caller()
            let sceneId = try context.parameters.id()
            try await service.authorize(caller, scene: sceneId, .manager, .trainer, to: "extracting wildfire features")
            var body: WildfireRequest = try await Self.decode(request)
            do {
                _ = try body.options()
            } catch let error as ExportError {
                throw LabelingError.invalid(error.description)
            }
            body.sceneId = sceneId
            let statuses: Set<TaskStatus>
            do { statuses = try body.statusSet() } catch let error as ExportError { throw LabelingError.invalid(error.description) }
            let job = try await service.queueWildfire(sceneId: sceneId, preSceneId: body.preSceneId, dem: body.dem, parameters: try body.json(),
                                                      statuses: statuses, by: caller)
            var response = try Response.json(job, status: .accepted)
            response.headers[.location] = "/api/v1/wildfire/\(job.id)"
            return response
        }
        api.get("wildfire/{id}") { _, context in
            try Response.json(try await service.job(id: context.parameters.id(), kind: .wildfire, for: context.caller()))
        }
        api.post("projects/{id}/spread-datasets") { request, context in
            let caller = try context.caller()
            let projectId = try context.parameters.id()
            try await service.authorize(caller, project: projectId, .manager, .trainer, to: "building a spread dataset")
            let body: SpreadDatasetRequest = try await Self.decode(request)
            let statuses: Set<TaskStatus>
            let named: (weather: [String], dem: String?)
            do {
                _ = try body.options()
                statuses = try body.statusSet()
                named = try body.namedPaths()
            } catch let error as ExportError {
                throw LabelingError.invalid(error.description)
            }
            let job = try await service.queueSpreadDataset(projectId: projectId, weather: named.weather, weatherDrivers: SpreadDatasetRequest.weatherDrivers,
                                                           dem: named.dem, parameters: try body.json(), statuses: statuses, by: caller)
            var response = try Response.json(job, status: .accepted)
            response.headers[.location] = "/api/v1/spread-datasets/\(job.id)"
            return response
        }
        api.get("spread-datasets/{id}") { _, context in
            try Response.json(try await service.job(id: context.parameters.id(), kind: .spread, for: context.caller()))
        }
    }

    /// A request's options are a few hundred bytes; a larger body is refused unread.
    static let maximumBodyBytes = 16 << 10

    /// Strictly decoded: a number where a whole one is wanted, or a wrong type, is a 400 naming the field.
    static func decode<Body: Decodable>(_ request: Request) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodyBytes)
        } catch {
            throw LabelingError.invalid("the export's options are larger than \(maximumBodyBytes) bytes")
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw LabelingError.invalid(error.reason)
        }
    }
}
