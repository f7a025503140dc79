import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Minimal JSON calls to the Swath API for setting a benchmark up.
struct API {
    let http: HTTPClient
    let base: String

    func request(_ method: HTTPMethod, _ path: String, token: String, json: Any? = nil) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        return request
    }

    /// Sends one request and returns its JSON; fails loudly on a non-2xx status.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, token: String, json: Any? = nil) async throws -> Any? {
        let response = try await http.execute(try request(method, path, token: token, json: json), timeout: .seconds(600))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw BenchError("\(method) \(path): \(response.status.code) \(String(buffer: body))")
        }
        return body.readableBytes == 0 ? nil : try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
