import Foundation
import Hummingbird
import SwathLabels

/// Per-request state: the authenticated user, and JSON coders that speak
/// ISO 8601 dates. Bodies over 10 MB are refused with 413.
public struct SwathRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` for every /api/v1 route.
    public var user: User?

    public init(source: Source) {
        coreContext = .init(source: source)
        user = nil
    }

    public var maxUploadSize: Int { 10 * 1024 * 1024 }

    public var requestDecoder: JSONDecoder { JSONCoders.decoder }
    public var responseEncoder: JSONEncoder { JSONCoders.encoder }

    /// The caller; every authenticated route has one.
    func caller() throws -> User {
        guard let user else { throw LabelingError.unauthenticated("missing bearer token") }
        return user
    }
}
