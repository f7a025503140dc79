/// Why a map tile request failed. Texts name the parameter or scene and the
/// reason; none carries a scene's file name, which can name the customer.
public enum MapTileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter of the request (z/x/y, bands, stretch) is unusable: 400.
    case badRequest(String)
    /// The scene's imagery cannot be read any more (moved, deleted, corrupt): 410.
    case imageryGone(sceneId: Int64, reason: String)
    /// Every place in the render queue is taken: 503, try again after this many seconds.
    case busy(retryAfterSeconds: Int)

    public var description: String {
        switch self {
        case .badRequest(let reason): return reason
        case .imageryGone(let id, let reason): return "the imagery of scene \(id) can no longer be read (\(reason))"
        case .busy(let seconds): return "the map renderer is busy; try again in \(seconds) s"
        }
    }
}
