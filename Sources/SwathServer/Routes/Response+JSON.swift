import Foundation
import HTTPTypes
import Hummingbird
import SwathGeo

extension Response {
    /// `value` as JSON with the API's coders.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONCoders.encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}

extension Response {
    /// A JSON document written by `JSONValue`'s own serializer (the hot label routes).
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: value.serialized)))
    }
}

extension Parameters {
    /// A numeric id from the path; 404 when it is not a number (no such object).
    func id(_ name: String = "id") throws -> Int64 {
        guard let text = self.get(name), let id = Int64(text), id > 0 else {
            throw APIError(status: .notFound, code: "not_found", reason: "'\(self.get(name) ?? "")' is not an id")
        }
        return id
    }
}
