import Foundation
import SwathGeo

/// The parameters of `/search` (GET query or POST body) and of a collection's
/// `/items`, checked: every wrong value is a `StacError` naming the parameter.
/// Filters: `bbox` (4 or 6 numbers; west > east crosses the antimeridian) or
/// `intersects` (a GeoJSON geometry), never both; `datetime`; `ids`;
/// `collections`; and the Query extension on `swath:split` (`eq`, `neq`, `in`).
public struct StacSearchRequest: Sendable, Equatable {
    public var limit = StacSearchRequest.defaultLimit
    public var bbox: [Double]?
    /// The GeoJSON geometry, as text (parsed per search, never shared between threads).
    public var intersects: String?
    public var datetime: StacDatetime?
    public var ids: [String]?
    public var collections: [String]?
    /// Splits the items must be in (the Query extension on `swath:split`).
    public var splits: Set<String>?
    /// Where the previous page stopped (an opaque `token`).
    public var token: StacPageToken?

    public static let defaultLimit = 10
    /// Larger limits are served as this many: clients ask for "all" with 10000 and more.
    public static let maximumLimit = 10_000
    /// The splits an item may be in.
    static let splitNames: Set<String> = ["train", "validation", "test"]

    public init() {}

    /// From a GET query (`bbox=1,2,3,4`, `ids=a,b`, `intersects=<JSON>`, `query=<JSON>`…).
    public static func fromQuery(_ query: [String: String]) throws -> StacSearchRequest {
        var request = StacSearchRequest()
        if let text = query["limit"] { request.limit = try limit(Int(text.trimmingCharacters(in: .whitespaces)), text) }
        if let text = query["bbox"] {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.allSatisfy({ $0 != nil }) else {
                throw StacError(parameter: "bbox", reason: "give 4 or 6 comma-separated numbers, as 100.0,0.0,105.0,1.0")
            }
            request.bbox = try bbox(parts.compactMap { $0 })
        }
        if let text = query["intersects"] { request.intersects = try geometry(try parse(text, "intersects")) }
        if let text = query["datetime"] { request.datetime = try StacDatetime.parse(text) }
        if let text = query["ids"] { request.ids = try list(text, "ids") }
        if let text = query["collections"] { request.collections = try list(text, "collections") }
        if let text = query["query"] { request.splits = try splits(try parse(text, "query")) }
        if let text = query["token"] { request.token = try StacPageToken(text) }
        try request.checkExclusive()
        return request
    }

    /// From a POST body (a JSON object; unknown members are ignored, as STAC servers do).
    public static func fromJSON(_ body: JSONValue) throws -> StacSearchRequest {
        guard case .object(let fields) = body else { throw StacError(parameter: "body", reason: "must be a JSON object") }
        var request = StacSearchRequest()
        if let value = fields["limit"], value != .null {
            guard case .number(let number) = value else { throw StacError(parameter: "limit", reason: "must be a whole number") }
            request.limit = try limit(Int(exactly: number), "\(number)")
        }
        if let value = fields["bbox"], value != .null {
            guard case .array(let items) = value else { throw StacError(parameter: "bbox", reason: "must be an array of 4 or 6 numbers") }
            let numbers = items.compactMap { item -> Double? in if case .number(let n) = item { return n } else { return nil } }
            guard numbers.count == items.count else { throw StacError(parameter: "bbox", reason: "must be an array of 4 or 6 numbers") }
            request.bbox = try bbox(numbers)
        }
        if let value = fields["intersects"], value != .null { request.intersects = try geometry(value) }
        if let value = fields["datetime"], value != .null {
            guard case .string(let text) = value else { throw StacError(parameter: "datetime", reason: "must be a string") }
            request.datetime = try StacDatetime.parse(text)
        }
        if let value = fields["ids"], value != .null { request.ids = try strings(value, "ids") }
        if let value = fields["collections"], value != .null { request.collections = try strings(value, "collections") }
        if let value = fields["query"], value != .null { request.splits = try splits(value) }
        if let value = fields["token"], value != .null {
            guard case .string(let text) = value else { throw StacError(parameter: "token", reason: "must be a string") }
            request.token = try StacPageToken(text)
        }
        try request.checkExclusive()
        return request
    }

    private func checkExclusive() throws {
        if bbox != nil, intersects != nil { throw StacError(parameter: "bbox", reason: "give bbox or intersects, not both") }
    }

    private static func limit(_ value: Int?, _ text: String) throws -> Int {
        guard let value, value >= 1 else { throw StacError(parameter: "limit", reason: "must be a whole number of 1 or more, got '\(text.prefix(40))'") }
        return min(value, maximumLimit)
    }

    private static func bbox(_ numbers: [Double]) throws -> [Double] {
        guard numbers.count == 4 || numbers.count == 6 else {
            throw StacError(parameter: "bbox", reason: "give 4 numbers (west, south, east, north) or 6 (with heights), got \(numbers.count)")
        }
        let (west, south, east, north) = numbers.count == 4 ? (numbers[0], numbers[1], numbers[2], numbers[3])
                                                            : (numbers[0], numbers[1], numbers[3], numbers[4])
        guard [west, east].allSatisfy({ (-180...180).contains($0) }), [south, north].allSatisfy({ (-90...90).contains($0) }) else {
            throw StacError(parameter: "bbox", reason: "longitudes must be −180…180 and latitudes −90…90")
        }
        guard south <= north else { throw StacError(parameter: "bbox", reason: "its south (\(south)) is north of its north (\(north))") }
        return [west, south, east, north]
    }

    private static func geometry(_ value: JSONValue) throws -> String {
        guard case .object(let fields) = value, case .string? = fields["type"] else {
            throw StacError(parameter: "intersects", reason: "must be a GeoJSON geometry object")
        }
        let text = String(decoding: value.serialized, as: UTF8.self)
        do { _ = try SearchGeometry(geoJSON: text) } catch let error as GeoError {
            throw StacError(parameter: "intersects", reason: error.reason)
        }
        return text
    }

    private static func parse(_ text: String, _ parameter: String) throws -> JSONValue {
        do { return try JSONParser.parse(text) } catch {
            throw StacError(parameter: parameter, reason: "is not JSON")
        }
    }

    private static func list(_ text: String, _ parameter: String) throws -> [String] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty, items.count <= 1000 else { throw StacError(parameter: parameter, reason: "give 1 to 1000 comma-separated values") }
        return items
    }

    private static func strings(_ value: JSONValue, _ parameter: String) throws -> [String] {
        if case .string(let text) = value { return try list(text, parameter) }
        guard case .array(let items) = value, items.count <= 1000 else {
            throw StacError(parameter: parameter, reason: "must be an array of at most 1000 strings")
        }
        return try items.map { item in
            guard case .string(let text) = item else { throw StacError(parameter: parameter, reason: "must be an array of strings") }
            return text
        }
    }

    /// `{"swath:split": {"eq": "train"}}`, `{"neq": …}` or `{"in": ["train", "test"]}`; other properties are refused.
    private static func splits(_ value: JSONValue) throws -> Set<String> {
        guard case .object(let properties) = value else { throw StacError(parameter: "query", reason: "must be a JSON object") }
        var allowed = splitNames
        for (property, condition) in properties {
            guard property == "swath:split" else {
                throw StacError(parameter: "query", reason: "'\(property.prefix(60))' cannot be queried (only swath:split)")
            }
            guard case .object(let operators) = condition, !operators.isEmpty else {
                throw StacError(parameter: "query", reason: "swath:split needs an operator: eq, neq or in")
            }
            for (name, operand) in operators {
                let values: Set<String>
                switch (name, operand) {
                case ("eq", .string(let split)), ("neq", .string(let split)): values = [split]
                case ("in", .array(let items)):
                    values = Set(items.compactMap { if case .string(let split) = $0 { return split } else { return nil } })
                    guard values.count == items.count else { throw StacError(parameter: "query", reason: "in takes an array of split names") }
                default:
                    throw StacError(parameter: "query", reason: "swath:split takes eq, neq (a split name) or in (an array of them)")
                }
                guard values.isSubset(of: splitNames) else {
                    throw StacError(parameter: "query", reason: "splits are train, validation and test")
                }
                allowed = name == "neq" ? allowed.subtracting(values) : allowed.intersection(values)
            }
        }
        return allowed
    }
}
