import Foundation

/// What an export job stores: the request's options, and a key for the
/// annotators' pseudonyms drawn when the job was queued, so that a worker
/// taking the job over from one that died names annotators as the first did.
public struct ExportJobParameters: Codable, Sendable {
    public var request: ExportRequest
    public var pseudonymSecret: String

    public init(request: ExportRequest) {
        self.request = request
        var generator = SystemRandomNumberGenerator()
        pseudonymSecret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    public func json() throws -> String {
        try StoredJSON.text(self)
    }

    public init(json: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(json.utf8))
    }
}
