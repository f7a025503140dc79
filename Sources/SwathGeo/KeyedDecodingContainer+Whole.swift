import Foundation

extension KeyedDecodingContainer {
    /// A whole number from a request, converted exactly: read as an integer first (so an id above 2⁵³ keeps
    /// every digit), else as a number that must be whole (256.0 is 256; 256.5 is refused naming the field,
    /// never rounded); anything else is the decoder's own error, naming the field.
    public func decodeWholeIfPresent(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let whole = try? decode(Int.self, forKey: key) { return whole }
        return try Self.whole(try decode(Double.self, forKey: key), at: codingPath + [key])
    }

    /// A list of whole numbers, each converted exactly.
    public func decodeWholesIfPresent(forKey key: Key) throws -> [Int]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let wholes = try? decode([Int].self, forKey: key) { return wholes }
        return try decode([Double].self, forKey: key).map { try Self.whole($0, at: codingPath + [key]) }
    }

    private static func whole(_ number: Double, at path: [CodingKey]) throws -> Int {
        guard let whole = Int(exactly: number) else {
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: path, debugDescription: "\(number) is not a whole number"))
        }
        return whole
    }
}
