import Foundation
import Hummingbird
import NIOCore

/// A request body written to a private temporary file as it arrives, so a
/// large upload never sits whole in memory; refused with 413 once it passes
/// `limit`, with what was written removed.
struct UploadStaging {
    let path: String

    static func stage(_ body: RequestBody, limit: Int) async throws -> UploadStaging {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swath-upload-\(UUID().uuidString)").path
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw APIError(status: .internalServerError, code: "internal_error", reason: "the server could not stage the upload")
        }
        let staged = UploadStaging(path: path)
        do {
            defer { close(descriptor) }
            var written = 0
            for try await buffer in body {
                written += buffer.readableBytes
                guard written <= limit else {
                    throw APIError(status: .contentTooLarge, code: "payload_too_large", reason: "the upload is larger than \(limit) bytes")
                }
                try buffer.withUnsafeReadableBytes { bytes in try writeAll(bytes, to: descriptor) }
            }
            guard written > 0 else { throw APIError(status: .badRequest, code: "bad_request", reason: "the upload is empty") }
        } catch {
            staged.remove()
            throw error
        }
        return staged
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, base + offset, bytes.count - offset)
            guard count > 0 else {
                throw APIError(status: .internalServerError, code: "internal_error", reason: "the server could not stage the upload")
            }
            offset += count
        }
    }

    func remove() {
        unlink(path)
    }
}
