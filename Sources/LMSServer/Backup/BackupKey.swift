import Foundation

/// A backup's object key, `PREFIX/lms-YYYYMMDDTHHMMSSZ.EXT`: the time in the key (UTC, to the
/// second) is what retention judges, so renaming or copying an object never changes its age.
public struct BackupKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var prefix: String
    public var time: Date
    /// `dump` (pg_dump's custom format) or `sqlite`.
    public var fileExtension: String

    public init(prefix: String, time: Date, fileExtension: String) {
        self.prefix = prefix
        self.time = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
        self.fileExtension = fileExtension
    }

    public var name: String { "lms-\(Self.format(time)).\(fileExtension)" }
    public var description: String { prefix.isEmpty ? name : "\(prefix)/\(name)" }

    /// Where an upload waits until its checksum is attached: never listed as a backup.
    var incoming: String { prefix.isEmpty ? "incoming/\(name)" : "\(prefix)/incoming/\(name)" }

    /// What every backup key under `prefix` starts with, for listing.
    static func listingPrefix(_ prefix: String) -> String { prefix.isEmpty ? "lms-" : "\(prefix)/lms-" }
    static func incomingPrefix(_ prefix: String) -> String { prefix.isEmpty ? "incoming/" : "\(prefix)/incoming/" }

    /// Parses a key of this form under `prefix`; anything else is not a backup.
    public init?(key: String, prefix: String) {
        let start = Self.listingPrefix(prefix)
        guard key.hasPrefix(start) else { return nil }
        let rest = key.dropFirst(start.count)
        guard rest.count > 17, let dot = rest.firstIndex(of: "."), rest.distance(from: rest.startIndex, to: dot) == 16,
              let time = Self.parse(String(rest[..<dot]))
        else { return nil }
        let ext = String(rest[rest.index(after: dot)...])
        guard !ext.isEmpty, ext.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        self.init(prefix: prefix, time: time, fileExtension: ext)
    }

    public static func < (a: BackupKey, b: BackupKey) -> Bool {
        (a.time, a.fileExtension) < (b.time, b.fileExtension)
    }

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func parse(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: digits[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return date
    }
}

/// Which backups retention lets go: everything at least `days` old by the time in its key,
/// except the newest verified backup, whatever its age, so a bucket never empties by itself.
public enum RetentionPolicy {
    public static func expired(_ keys: [BackupKey], verifiedNewest: BackupKey?, days: Int, now: Date) -> [BackupKey] {
        let cutoff = now.addingTimeInterval(-Double(days) * 86400)
        return keys.filter { $0.time <= cutoff && $0 != verifiedNewest }.sorted()
    }
}
