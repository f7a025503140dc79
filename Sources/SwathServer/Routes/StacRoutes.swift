import Foundation
import HTTPTypes
import Hummingbird
import SwathExport
import SwathGeo
import SwathLabels

/// The STAC API over releases (`/api/v1/stac`, STAC API 1.0: core, collections,
/// features, item search with the Query extension on `swath:split`), and the
/// release chip files its items link to. Bearer tokens as everywhere; trainers
/// and managers (annotators and reviewers get 403).
struct StacRoutes {
    let stac: StacService
    let chips: ReleaseChipService

    func register(on api: RouterGroup<SwathRequestContext>) {
        api.get("stac") { request, context in
            Self.json(try await stac.landing(Self.links(request), by: context.caller()))
        }
        api.get("stac/conformance") { _, context in
            Self.json(try await stac.conformance(by: context.caller()))
        }
        api.get("stac/collections") { request, context in
            Self.json(try await stac.collections(Self.links(request), by: context.caller()))
        }
        api.get("stac/collections/{collection}") { request, context in
            Self.json(try await stac.collection(try Self.name(context, "collection"), Self.links(request), by: context.caller()))
        }
        api.get("stac/collections/{collection}/items") { request, context in
            let caller = try context.caller()
            let query = Self.query(request)
            let search = try Self.checked { try StacSearchRequest.fromQuery(query) }
            return Self.json(try await stac.items(try Self.name(context, "collection"), search, query: query, Self.links(request), by: caller),
                             type: "application/geo+json")
        }
        api.get("stac/collections/{collection}/items/{item}") { request, context in
            Self.json(try await stac.item(try Self.name(context, "collection"), try Self.name(context, "item"), Self.links(request),
                                          by: context.caller()), type: "application/geo+json")
        }
        api.get("stac/search") { request, context in
            let caller = try context.caller()
            let query = Self.query(request)
            let search = try Self.checked { try StacSearchRequest.fromQuery(query) }
            return Self.json(try await stac.search(search, method: "GET", query: query, body: nil, Self.links(request), by: caller),
                             type: "application/geo+json")
        }
        api.post("stac/search") { request, context in
            let caller = try context.caller()
            _ = try await stac.conformance(by: caller)  // the role first, then the body
            let body = try await Self.body(request)
            let search = try Self.checked { try StacSearchRequest.fromJSON(body) }
            return Self.json(try await stac.search(search, method: "POST", query: [:], body: body, Self.links(request), by: caller),
                             type: "application/geo+json")
        }
        api.get("releases/{id}/card") { _, context in
            let file = try await chips.cardFile(releaseId: context.parameters.id(), name: "card.json", by: context.caller())
            return Response(status: .ok, headers: [.contentType: file.contentType], body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        api.get("releases/{id}/card/{file}") { _, context in
            let file = try await chips.cardFile(releaseId: context.parameters.id(), name: try Self.name(context, "file"), by: context.caller())
            return Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "private, max-age=31536000, immutable"],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        api.get("releases/{id}/chips/{chip}/{file}") { request, context in
            let file = try await chips.file(releaseId: context.parameters.id(), chipId: try Self.name(context, "chip"),
                                            name: try Self.name(context, "file"), by: context.caller(), ifNoneMatch: request.headers[.ifNoneMatch])
            guard let data = file.data else { return Response(status: .notModified, headers: [.eTag: file.etag]) }
            // A release's chip never changes: caches may keep it.
            return Response(status: .ok, headers: [.contentType: file.contentType, .eTag: file.etag, .cacheControl: "private, max-age=31536000, immutable"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// A search body is a few kilobytes; an intersects polygon may be larger, up to this.
    static let maximumBodyBytes = 256 << 10

    static func links(_ request: Request) -> StacLinks { StacLinks(host: request.head.authority) }

    static func json(_ value: JSONValue, type: String = "application/json") -> Response {
        json(value.serialized, type: type)
    }

    static func json(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The query as a form (`+` is a space, then percent-decoding), as STAC clients send it: a GET
    /// `intersects` is JSON text whose spaces arrive as `+`. A value that does not decode is left out.
    static func query(_ request: Request) -> [String: String] {
        var found: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let key = decode(parts[0]), !key.isEmpty, let value = parts.count > 1 ? decode(parts[1]) : "" else { continue }
            found[key] = value
        }
        return found
    }

    static func name(_ context: SwathRequestContext, _ parameter: String) throws -> String {
        guard let value = context.parameters.get(parameter), !value.isEmpty, value.count <= 200 else {
            throw LabelingError.notFound("no such \(parameter)")
        }
        return value
    }

    static func checked<Value>(_ parse: () throws -> Value) throws -> Value {
        do { return try parse() } catch let error as StacError { throw LabelingError.invalid(error.description) }
    }

    static func body(_ request: Request) async throws -> JSONValue {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maximumBodyBytes) } catch {
            throw LabelingError.invalid("the search is larger than \(maximumBodyBytes) bytes")
        }
        do { return try JSONParser.parse(Array(buffer.readableBytesView)) } catch {
            throw LabelingError.invalid("body: the search is not JSON")
        }
    }
}
