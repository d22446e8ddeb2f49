import Foundation

/// Counts and amounts as a person writes them: "1 lesson", "2 lessons", "all done".
public enum Words {
    /// `count` and the noun, singular for one (`plural` defaults to the noun and an "s").
    public static func count(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// What is left to watch or read: "12m left", or "all done" when nothing is.
    public static func left(seconds: Int) -> String {
        seconds > 0 ? "\(DurationText.format(seconds: seconds)) left" : "all done"
    }

    /// Bytes on disk, in the file sizes a person reads ("0 bytes", "372 KB", "58.1 MB").
    public static func bytes(_ count: Int64) -> String {
        guard count >= 1000 else { return Words.count(Int(count), "byte") }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(count) / 1000
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return (value < 10 ? String(format: "%.1f", value) : "\(Int(value.rounded()))") + " " + units[unit]
    }

    /// A moment as the learner reads dates: their locale's medium date and short time, on their
    /// clock ("4 Dec 2026 at 14:11"). ISO-8601 is for machines (`--json`).
    public static func moment(_ date: Date, timeZone: TimeZone, locale: Locale) -> String {
        localized(date, time: .short, timeZone: timeZone, locale: locale)
    }

    /// A day as the learner reads dates ("4 Dec 2026").
    public static func day(_ date: Date, timeZone: TimeZone, locale: Locale) -> String {
        localized(date, time: .none, timeZone: timeZone, locale: locale)
    }

    private static func localized(_ date: Date, time: DateFormatter.Style, timeZone: TimeZone, locale: Locale) -> String {
        let formatter = DateFormatter()
        formatter.dateStyle = .medium
        formatter.timeStyle = time
        formatter.timeZone = timeZone
        formatter.locale = locale
        return formatter.string(from: date)
    }
}
