import Crypto
import Foundation

/// One value of a copied row, as both stores give it back: compared and
/// hashed the same way whichever store it came from.
enum CellValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// Feeds the value into a checksum unambiguously: a tag, then a fixed-size or length-prefixed body.
    func hash(into hasher: inout SHA256) {
        switch self {
        case .null: hasher.update(data: [0])
        case .integer(let value): hasher.update(data: [1] + Self.bytes(UInt64(bitPattern: value)))
        // Bit patterns, not text: a double must come back exactly.
        case .real(let value): hasher.update(data: [2] + Self.bytes(value.bitPattern))
        case .text(let value): hasher.update(data: [3] + Self.bytes(UInt64(value.utf8.count)) + Array(value.utf8))
        case .blob(let value): hasher.update(data: [4] + Self.bytes(UInt64(value.count)) + value)
        }
    }

    private static func bytes(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
