import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Logging
import SwathLabels
import SwathMap

/// Turns every failure into the API's JSON error shape: domain errors keep
/// their status, undecodable bodies are 400, too-large bodies 413, and
/// anything unexpected is a 500 whose details go to the log, not the client.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as LabelingError {
            throw APIError(error)
        } catch let error as MapTileError {
            switch error {
            case .badRequest(let reason): throw APIError(status: .badRequest, code: "bad_request", reason: reason)
            case .imageryGone: throw APIError(status: .gone, code: "imagery_gone", reason: error.description)
            case .busy(let seconds):
                throw APIError(status: .serviceUnavailable, code: "busy", reason: error.description, retryAfter: seconds)
            }
        } catch let error as DecodingError {
            throw APIError(status: .badRequest, code: "bad_request", reason: "malformed request body: \(Self.describe(error))")
        } catch let error as HTTPError {
            let reason = error.status == .contentTooLarge ? "request body is larger than \(context.maxUploadSize) bytes"
                : (error.body ?? error.status.reasonPhrase)
            throw APIError(status: error.status, code: Self.code(error.status), reason: reason)
        } catch let error as NIOTooManyBytesError {
            throw APIError(status: .contentTooLarge, code: "payload_too_large",
                           reason: "request body is larger than \(error.maxBytes ?? context.maxUploadSize) bytes")
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError(status: .internalServerError, code: "internal_error", reason: "the server could not complete the request")
        }
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: return "bad_request"
        case .unauthorized: return "unauthorized"
        case .forbidden: return "forbidden"
        case .notFound: return "not_found"
        case .methodNotAllowed: return "method_not_allowed"
        case .conflict: return "conflict"
        case .contentTooLarge: return "payload_too_large"
        default: return "http_\(status.code)"
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
