import Foundation

/// One file of a chip as the pull API serves it.
public struct ChipFile: Sendable {
    public var etag: String
    public var contentType: String
    /// The file's bytes; nil when the caller's If-None-Match already names
    /// this version (nothing was rendered or read).
    public var data: Data?
}
