import Foundation
import Hummingbird
import SwathLabels

extension Request {
    /// The JSON body as `Body`, read up to `limit` bytes, with a 400 that names the
    /// field and what was wrong with it (`pay.perLabel: expected a whole number in range`).
    func decodeBody<Body: Decodable>(as type: Body.Type, limit: Int = 1 << 20) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw LabelingError.invalid("the body is larger than \(limit) bytes")
        }
        do {
            return try JSONCoders.decoder.decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw LabelingError.invalid(error.reason)
        }
    }
}
