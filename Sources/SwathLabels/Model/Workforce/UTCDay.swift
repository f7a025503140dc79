import Foundation

/// Calendar days in UTC, as pay statements and periods name them (yyyy-MM-dd).
public enum UTCDay {
    /// The day a time falls on.
    public static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    /// 00:00 UTC of the Monday of the ISO week a time falls in: the weeks of quality and standing reports.
    public static func weekStart(_ date: Date) -> Date {
        calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
    }

    /// 00:00 UTC of the day a time falls in.
    public static func dayStart(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }

    /// The start (00:00 UTC) of a day written yyyy-MM-dd; nil for anything else.
    public static func start(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        guard let date = formatter.date(from: text), string(date) == text else { return nil }
        return date
    }
}
