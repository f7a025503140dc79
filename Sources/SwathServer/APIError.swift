import Foundation
import HTTPTypes
import Hummingbird
import SwathLabels

/// Every error the API returns: JSON `{error, reason}` (plus the refused
/// features for invalid geometry) with the status that fits.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var reason: String
    var features: [FeatureProblem]?
    /// Seconds for `Retry-After` (503s: the caller may come back).
    var retryAfter: Int?

    init(status: HTTPResponse.Status, code: String, reason: String, features: [FeatureProblem]? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.reason = reason
        self.features = features
        self.retryAfter = retryAfter
    }

    init(_ error: LabelingError) {
        switch error {
        case .unauthenticated(let reason): self.init(status: .unauthorized, code: "unauthorized", reason: reason)
        case .forbidden(let reason): self.init(status: .forbidden, code: "forbidden", reason: reason)
        case .notFound(let reason): self.init(status: .notFound, code: "not_found", reason: reason)
        case .conflict(let reason): self.init(status: .conflict, code: "conflict", reason: reason)
        case .invalid(let reason): self.init(status: .badRequest, code: "bad_request", reason: reason)
        case .busy(let reason, let seconds):
            self.init(status: .serviceUnavailable, code: "busy", reason: reason, retryAfter: seconds)
        case .tooMany(let reason, let seconds):
            self.init(status: .tooManyRequests, code: "too_many", reason: reason, retryAfter: seconds)
        case .invalidFeatures(let problems):
            self.init(status: .unprocessableContent, code: "invalid_geometry",
                      reason: "\(problems.count) feature(s) refused; nothing was saved", features: problems)
        }
    }

    private struct Body: Encodable {
        var error: String
        var reason: String
        var features: [FeatureProblem]?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONCoders.encoder.encode(Body(error: code, reason: reason, features: features))
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
