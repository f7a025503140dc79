import Hummingbird
import SwathLabels

/// Bearer-token authentication for the API: the token's hash must belong
/// to a user with a live token; otherwise 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = SwathRequestContext
    let service: LabelingService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw LabelingError.unauthenticated("missing 'Authorization: Bearer <token>' header")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw LabelingError.unauthenticated("the Authorization header must be 'Bearer <token>'")
        }
        var context = context
        context.user = try await service.authenticate(token: String(parts[1]).trimmingCharacters(in: .whitespaces))
        return try await next(request, context)
    }
}
