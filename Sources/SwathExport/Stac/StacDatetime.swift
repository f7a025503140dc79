import Foundation

/// The `datetime` of a STAC search: one RFC 3339 instant, or an interval
/// `start/end` with `..` (or nothing) for an open end — never both ends
/// open, never a start after its end. RFC 3339 strictly: four-digit years,
/// a `T` (or `t`), seconds with an optional `.` fraction, and `Z` or
/// `±HH:MM`; no ISO 8601 shortcuts (dates alone, `+0100`, `,` fractions).
public struct StacDatetime: Sendable, Equatable {
    /// Seconds since 1970; nil for an open end.
    public var start: Double?
    public var end: Double?

    public func contains(_ time: Double) -> Bool {
        (start.map { time >= $0 } ?? true) && (end.map { time <= $0 } ?? true)
    }

    public static func parse(_ text: String) throws -> StacDatetime {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            let instant = try instant(parts[0])
            return StacDatetime(start: instant, end: instant)
        case 2:
            let start = try openOrInstant(parts[0]), end = try openOrInstant(parts[1])
            guard start != nil || end != nil else { throw refusal(text, "an interval needs at least one end") }
            if let start, let end, start > end { throw refusal(text, "the interval starts after it ends") }
            return StacDatetime(start: start, end: end)
        default:
            throw refusal(text, "give one instant or one interval start/end")
        }
    }

    private static func openOrInstant(_ text: String) throws -> Double? {
        text.isEmpty || text == ".." ? nil : try instant(text)
    }

    /// Seconds since 1970 of an RFC 3339 date-time.
    public static func instant(_ text: String) throws -> Double {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) throws -> Int {
            guard range.upperBound <= bytes.count, range.allSatisfy({ (48...57).contains(bytes[$0]) }) else {
                throw refusal(text, "is not an RFC 3339 date-time such as 2020-07-23T00:00:00Z")
            }
            return range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) }
        }
        func expect(_ index: Int, _ characters: String) throws {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else {
                throw refusal(text, "is not an RFC 3339 date-time such as 2020-07-23T00:00:00Z")
            }
        }
        let year = try digits(0..<4)
        try expect(4, "-")
        let month = try digits(5..<7)
        try expect(7, "-")
        let day = try digits(8..<10)
        try expect(10, "Tt")
        let hour = try digits(11..<13)
        try expect(13, ":")
        let minute = try digits(14..<16)
        try expect(16, ":")
        let second = try digits(17..<19)
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            let first = index + 1
            index = first
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard index > first else { throw refusal(text, "has a '.' with no fraction of a second after it") }
            fraction = Double("0." + String(decoding: bytes[first..<index], as: UTF8.self)) ?? 0
        }
        guard index < bytes.count else { throw refusal(text, "has no time zone (Z or ±HH:MM)") }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            let hours = try digits(index + 1..<index + 3)
            try expect(index + 3, ":")
            let minutes = try digits(index + 4..<index + 6)
            guard hours <= 23, minutes <= 59 else { throw refusal(text, "has a time zone offset out of range") }
            offset = sign * (hours * 3600 + minutes * 60)
            index += 6
        default:
            throw refusal(text, "has no time zone (Z or ±HH:MM)")
        }
        guard index == bytes.count else { throw refusal(text, "has something after its time zone") }
        guard (1...12).contains(month), (1...daysIn(month, of: year)).contains(day), hour <= 23, minute <= 59, second <= 60 else {
            throw refusal(text, "names a date or time that does not exist")
        }
        let days = daysFrom1970(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's civil algorithm).
    private static func daysFrom1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func refusal(_ text: String, _ reason: String) -> StacError {
        StacError(parameter: "datetime", reason: "'\(text.prefix(80))' \(reason)")
    }
}
