import Foundation

/// Calendar days in UTC, as pay statements and periods name them (yyyy-MM-dd).
public enum UTCDay {
    /// The day a time falls on.
    public static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
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
