import Foundation

/// Where a page of search results stopped: the release and the position of
/// the next chip in it, as an opaque base64url string.
public struct StacPageToken: Sendable, Equatable {
    public var releaseId: Int64
    public var position: Int

    public init(releaseId: Int64, position: Int) {
        self.releaseId = releaseId
        self.position = position
    }

    public init(_ text: String) throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 64, let data = Data(base64Encoded: base64),
              let parts = String(data: data, encoding: .utf8)?.split(separator: ":"), parts.count == 2, parts[0] == "r" + parts[0].dropFirst(),
              let release = Int64(parts[0].dropFirst()), let position = Int(parts[1]), release > 0, position >= 0 else {
            throw StacError(parameter: "token", reason: "is not a page token this server gave")
        }
        self.init(releaseId: release, position: position)
    }

    public var text: String {
        Data("r\(releaseId):\(position)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
