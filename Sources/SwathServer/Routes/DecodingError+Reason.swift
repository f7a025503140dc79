import Foundation

extension DecodingError {
    /// One line naming the field and what was wrong, for a 400 (JSONDecoder's own
    /// text for `"chipSize": 256.5` is "The given data was not valid JSON").
    var reason: String {
        func field(_ path: [CodingKey]) -> String {
            path.isEmpty ? "the body" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath)): expected \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath)): expected \(Self.describe(type)), got null"
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])): missing"
        case .dataCorrupted(let context):
            if context.debugDescription.contains("does not fit") || context.debugDescription.contains("Parsed JSON number") {
                return "\(field(context.codingPath)): expected a whole number in range"
            }
            return "\(field(context.codingPath)): not valid JSON here"
        @unknown default:
            return "the body is not what was expected"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default: return "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
