import Foundation

extension KeyedDecodingContainer {
    /// A whole number from a request: read as a number and converted exactly, so
    /// 256.5 is refused (naming the field), never rounded.
    public func decodeWholeIfPresent(forKey key: Key) throws -> Int? {
        try decodeIfPresent(Double.self, forKey: key).map { try Self.whole($0, at: codingPath + [key]) }
    }

    /// A list of whole numbers, each converted exactly.
    public func decodeWholesIfPresent(forKey key: Key) throws -> [Int]? {
        try decodeIfPresent([Double].self, forKey: key).map { numbers in try numbers.map { try Self.whole($0, at: codingPath + [key]) } }
    }

    private static func whole(_ number: Double, at path: [CodingKey]) throws -> Int {
        guard let whole = Int(exactly: number) else {
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: path, debugDescription: "\(number) is not a whole number"))
        }
        return whole
    }
}
