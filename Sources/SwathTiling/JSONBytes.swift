import Foundation

/// JSON text appended byte by byte, written the way Foundation's JSONEncoder
/// writes it (no spaces, doubles as their shortest round-trip form with a
/// trailing ".0" dropped, slashes unescaped), for files too large to build
/// as one value: the index's features and the journal's lines.
struct JSONBytes {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func number(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Throws for NaN and infinities, which JSON cannot hold (as JSONEncoder does).
    mutating func number(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    mutating func string(_ value: String) throws {
        // Tile names and paths never need escaping; anything else is left to JSONEncoder.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 < 0x80 }) {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let array = try encoder.encode([value])
            bytes.append(contentsOf: array.dropFirst().dropLast())
        }
    }

    mutating func numbers(_ values: [Double]) throws {
        raw("[")
        for (position, value) in values.enumerated() {
            if position > 0 { raw(",") }
            try number(value)
        }
        raw("]")
    }
}
