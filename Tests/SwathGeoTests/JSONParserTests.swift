import Foundation
import Testing
import SwathGeo

/// The hand-written parser against Foundation's JSONSerialization on the same text.
@Suite struct JSONParserTests {
    static let documents = [
        #"{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":{"class":"cropland","n":-1.5e-3},"geometry":{"type":"Polygon","coordinates":[[[-121.8,38.8],[-121.7,38.8],[-121.7,38.9],[-121.8,38.8]]]}}]}"#,
        #"[1, -0, 0.5, 1E+2, 2e-2, 12345678901234567890, true, false, null, "", "a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20ac\ud83d\ude00", {}, []]"#,
        "  {\"nested\": {\"deeper\": [[[[]]]]}, \"unicode\": \"cafè ☕\"}  ",
    ]

    @Test(arguments: documents)
    func agreesWithJSONSerialization(_ text: String) throws {
        let ours = try JSONParser.parse(text)
        let reference = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(ours == Self.convert(reference))
    }

    @Test(arguments: ["", "{", "{\"a\" 1}", "[01]", "[1.]", "\"\\x\"", "[\"\\ud800\"]", "nul", "[1] 2", "\"a\u{01}b\""])
    func refusesWhatJSONSerializationRefuses(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil)
    }

    @Test func trailingCommasAreRefusedAsRFC8259Says() {
        // Foundation is lenient here; a strict reader is the safer one for an API.
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("[1,]") }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("{\"a\": 1,}") }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    static func convert(_ value: Any) -> JSONValue {
        switch value {
        case let flag as Bool where type(of: value) == Bool.self: return .bool(flag)
        case let number as NSNumber where String(cString: number.objCType) == "c": return .bool(number.boolValue)
        case let number as NSNumber: return .number(number.doubleValue)
        case let text as String: return .string(text)
        case let array as [Any]: return .array(array.map(convert))
        case let object as [String: Any]: return .object(object.mapValues(convert))
        default: return .null
        }
    }
}

@Suite struct JSONSerializationTests {
    @Test(arguments: JSONParserTests.documents)
    func writtenJSONReadsBackTheSameInFoundation(_ text: String) throws {
        let value = try JSONParser.parse(text)
        let written = value.serialized
        let reread = try JSONSerialization.jsonObject(with: Data(written), options: [.fragmentsAllowed])
        #expect(JSONParserTests.convert(reread) == value)
        #expect(try JSONParser.parse(written) == value)
    }

    @Test func numbersRoundTripExactly() throws {
        for number in [0.1, -121.84785768976634, 38.84313440995407, 1e-300, 123456789012345.0, 5e15] {
            #expect(try JSONParser.parse(JSONValue.number(number).serialized) == .number(number))
        }
        #expect(String(decoding: JSONValue.number(.nan).serialized, as: UTF8.self) == "null")
        #expect(String(decoding: JSONValue.string("a\"\n\u{01}é").serialized, as: UTF8.self) == #""a\"\n\u0001é""#)
    }
}

@Suite struct GeoJSONGeometryJSONTests {
    @Test(arguments: [false, true])
    func handBuiltJSONEqualsTheEncodableForm(_ multi: Bool) throws {
        let square = MultiPolygon.rectangle(minX: 1, minY: 2, maxX: 3.5, maxY: 4)
        let shape = multi ? MultiPolygon(square.polygons + square.map { Point(x: $0.x + 10, y: $0.y) }.polygons, isMulti: true) : square
        let geometry = GeoJSONGeometry(shape)
        #expect(geometry.type == (multi ? "MultiPolygon" : "Polygon"))
        #expect(geometry.json == (try JSONParser.parse(Array(JSONEncoder().encode(geometry)))))
    }
}
