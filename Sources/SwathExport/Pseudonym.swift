import Crypto
import Foundation

/// Annotators appear in exports as opaque pseudonyms: HMAC-SHA256 of their
/// id under a key drawn fresh for each export, so ids cannot be recovered by
/// trying them all, and pseudonyms from two exports cannot be joined.
struct Pseudonym: Sendable {
    private let key: [UInt8]

    init() {
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Under the operator's secret: the shards of one export, on any machines,
    /// must give each annotator the same pseudonym.
    init(secret: String) {
        key = Array(SHA256.hash(data: Data("swath-export-pseudonyms:\(secret)".utf8)))
    }

    func annotator(_ id: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(String(id).utf8), using: SymmetricKey(data: key))
        return "annotator-" + code.prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
