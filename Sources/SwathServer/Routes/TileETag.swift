import Crypto
import Foundation
import SwathMap

/// A map tile's ETag: HMAC-SHA256, under the server's secret, of what the
/// tile is drawn from — the scene (id, registration time, whether its
/// overviews are used), the tile address (a map tile's or a grid tile's), the bands and the canonical
/// stretch. Never the scene's path or URI: an unkeyed hash of those could be
/// tested against guessed customer paths, and the tag would change when a
/// file moves although the tile does not.
struct TileETag: Sendable {
    /// Bytes rather than a SymmetricKey, which is not Sendable; making the key per tag costs nothing next to a tile.
    private let secret: [UInt8]

    init(secret: [UInt8]) {
        self.secret = secret
    }

    /// `usesOverviews`: the scene is drawn from overviews Swath built, whose
    /// coarse levels differ a little from the file's own pixels.
    func tag(sceneId: Int64, registeredAt: Date, usesOverviews: Bool, tile: some CustomStringConvertible, bands: [Int], stretch: Stretch) -> String {
        let fields = [
            "scene=\(sceneId)", "registered=\(registeredAt.timeIntervalSince1970)", "overviews=\(usesOverviews)",
            "tile=\(tile)", "bands=\(bands.map(String.init).joined(separator: ","))", "stretch=\(stretch)",
        ]
        let code = HMAC<SHA256>.authenticationCode(for: Data(fields.joined(separator: ";").utf8), using: SymmetricKey(data: secret))
        // 128 bits tell tiles apart as well as 256, in half the header.
        return "\"" + code.prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }
}
