import Foundation
import Hummingbird
import SwathExport
import SwathGeo
import SwathLabels

/// Training chips for trainers and managers: paged metadata, and each chip's
/// files with an ETag (304 when the caller already has this version).
struct ChipRoutes {
    let chips: ChipService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.get("projects/{id}/chips") { request, context in
            let query = request.uri.queryParameters
            let split = try query.get("split").map { name -> DatasetSplit in
                guard let split = DatasetSplit(rawValue: name) else {
                    throw LabelingError.invalid("split must be train, validation or test, got '\(name)'")
                }
                return split
            }
            let limit = try query.integer("limit", default: 100, in: 1...1000)
            let page = try await chips.list(projectId: context.parameters.id(), split: split, cursor: query.get("cursor"),
                                            limit: limit, by: context.caller())
            return Response.json(.object(["chips": .array(page.chips), "nextCursor": page.nextCursor.map(JSONValue.string) ?? .null]))
        }
        api.get("chips/{chip}/{file}") { request, context in
            guard let chipId = context.parameters.get("chip"), let name = context.parameters.get("file") else {
                throw LabelingError.notFound("no such chip file")
            }
            let file = try await chips.file(chipId: chipId, name: name, by: context.caller(), ifNoneMatch: request.headers[.ifNoneMatch])
            guard let data = file.data else {
                return Response(status: .notModified, headers: [.eTag: file.etag])
            }
            return Response(status: .ok, headers: [.contentType: file.contentType, .eTag: file.etag, .cacheControl: "private, max-age=0, must-revalidate"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
