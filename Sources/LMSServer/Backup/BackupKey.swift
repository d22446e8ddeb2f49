import Foundation
import LMSKit

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

    /// `20261202T020304Z`: ISO 8601's basic form, to the second (also SigV4's request time).
    /// Written and read without Foundation's calendars, which load ICU's data into memory.
    static func format(_ date: Date) -> String {
        ISO8601.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))).filter { $0 != "-" && $0 != ":" }
    }

    static func parse(_ text: String) -> Date? {
        let c = Array(text)
        guard c.count == 16, c[8] == "T", c[15] == "Z", c[0..<8].allSatisfy(\.isASCII), c[9..<15].allSatisfy(\.isASCII) else { return nil }
        let extended = String(c[0..<4]) + "-" + String(c[4..<6]) + "-" + String(c[6..<8]) + "T"
            + String(c[9..<11]) + ":" + String(c[11..<13]) + ":" + String(c[13..<15]) + "Z"
        return ISO8601.parse(extended)
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
