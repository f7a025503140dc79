import Foundation

/// A CF time coordinate's meaning ("hours since 1900-01-01 00:00:00.0"): the
/// length of its unit and its epoch, so each value becomes a date. Calendars
/// that agree with the Gregorian one over the satellite era (standard,
/// gregorian, proleptic_gregorian) only; a 365-day or 360-day model calendar
/// is refused rather than read a few days off.
public struct CFTime: Sendable, Equatable {
    public let secondsPerUnit: Double
    public let epoch: Date

    public init(units: String, calendar: String? = nil) throws {
        if let calendar, !["standard", "gregorian", "proleptic_gregorian", ""].contains(calendar.lowercased()) {
            throw SpreadError("time calendar '\(calendar)' is not supported (standard, gregorian or proleptic_gregorian)")
        }
        // GRIB's valid time through GDAL: seconds since the Unix epoch.
        if units.trimmingCharacters(in: .whitespaces).lowercased() == "sec utc" {
            (secondsPerUnit, epoch) = (1, Date(timeIntervalSince1970: 0))
            return
        }
        let parts = units.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3, parts[1].lowercased() == "since", let seconds = Self.unitSeconds[parts[0].lowercased()] else {
            throw SpreadError("time units '\(units)' are not '<seconds|minutes|hours|days> since <date>'")
        }
        guard let epoch = Self.date(String(parts[2])) else {
            throw SpreadError("time units '\(units)': '\(parts[2])' is not a date (yyyy-mm-dd[ hh:mm:ss][Z])")
        }
        (secondsPerUnit, self.epoch) = (seconds, epoch)
    }

    public func date(_ value: Double) -> Date { epoch.addingTimeInterval(value * secondsPerUnit) }

    static let unitSeconds: [String: Double] = [
        "seconds": 1, "second": 1, "secs": 1, "sec": 1, "s": 1,
        "minutes": 60, "minute": 60, "mins": 60, "min": 60,
        "hours": 3600, "hour": 3600, "hrs": 3600, "hr": 3600, "h": 3600,
        "days": 86_400, "day": 86_400, "d": 86_400,
    ]

    /// "1900-01-01", "1900-1-1 00:00:00.0", "1970-01-01T00:00:00Z", "2020-01-01 00:00:00 UTC": UTC only.
    static func date(_ text: String) -> Date? {
        // ISO 8601's "T" between the day and the time (only there: "UTC" keeps its T).
        let spaced = text.count > 10 && text.dropFirst(10).first == "T" ? String(text.prefix(10)) + " " + text.dropFirst(11) : text
        var fields = spaced.split(separator: " ").map(String.init)
        if fields.count > 1, let zone = fields.last, ["Z", "UTC", "GMT", "+00:00", "+0000", "00:00"].contains(zone) { fields.removeLast() }
        guard let day = fields.first, fields.count <= 2 else { return nil }
        var time = fields.count == 2 ? fields[1] : "0:0:0"
        if time.hasSuffix("Z") { time.removeLast() }
        let ymd = day.split(separator: "-").compactMap { Int($0) }
        let hms = time.split(separator: ":").map(String.init)
        guard ymd.count == 3, (1...12).contains(ymd[1]), (1...31).contains(ymd[2]), (1...3).contains(hms.count),
              let hour = Int(hms[0]), let minute = hms.count > 1 ? Int(hms[1]) : 0,
              let second = hms.count > 2 ? Double(hms[2]) : 0 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        let components = DateComponents(year: ymd[0], month: ymd[1], day: ymd[2], hour: hour, minute: minute)
        return calendar.date(from: components)?.addingTimeInterval(second)
    }
}
