import Foundation

/// Where backups go and how long they stay, read from the environment (see the README's
/// "Backups" section). The secret key is kept out of `description` so it never reaches a log.
public struct BackupSettings: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    /// Key prefix without a trailing slash; may be empty.
    public var prefix: String
    /// Path-style endpoint of an S3-compatible service (R2, MinIO); nil means AWS itself.
    public var endpoint: URL?
    public var region: String
    public var accessKeyID: String
    public var secretAccessKey: String
    public var retentionDays: Int
    /// When `serve` makes the daily backup (UTC); nil leaves scheduling to cron or systemd.
    public var dailyAt: DailyTime?
    /// `LMS_PG_DUMP`: the pg_dump to use instead of the first on the PATH.
    public var pgDumpPath: String?

    public var description: String {
        "s3://\(bucket)/\(prefix) at \(endpoint?.absoluteString ?? "AWS \(region)"), keeping \(retentionDays) days"
    }

    /// The settings, or nil when `LMS_BACKUP_URL` is not set (backups are off).
    public static func fromEnvironment(_ environment: [String: String]) throws -> BackupSettings? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let url = value("LMS_BACKUP_URL") else {
            for name in ["LMS_BACKUP_AT", "LMS_BACKUP_ENDPOINT"] where value(name) != nil {
                throw ConfigurationError(message: "\(name) is set but LMS_BACKUP_URL is not: say where backups go, as s3://BUCKET/PREFIX")
            }
            return nil
        }
        let (bucket, prefix) = try parse(url: url)
        var endpoint: URL?
        if let text = value("LMS_BACKUP_ENDPOINT") {
            guard let parsed = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text),
                  let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil
            else { throw ConfigurationError(message: "LMS_BACKUP_ENDPOINT must be an http(s) URL such as https://ACCOUNT.r2.cloudflarestorage.com, not '\(text)'") }
            endpoint = parsed
        }
        guard let key = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw ConfigurationError(message: "LMS_BACKUP_URL is set but AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is not: backups need the bucket's credentials")
        }
        var days = 7
        if let text = value("LMS_BACKUP_RETENTION_DAYS") {
            guard let parsed = Int(text), parsed >= 1 else {
                throw ConfigurationError(message: "LMS_BACKUP_RETENTION_DAYS must be a whole number of days, at least 1, not '\(text)'")
            }
            days = parsed
        }
        var dailyAt: DailyTime?
        if let text = value("LMS_BACKUP_AT") {
            guard let parsed = DailyTime(text) else {
                throw ConfigurationError(message: "LMS_BACKUP_AT must be a time of day in UTC such as 02:00, not '\(text)'")
            }
            dailyAt = parsed
        }
        return BackupSettings(
            bucket: bucket, prefix: prefix, endpoint: endpoint,
            region: value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? (endpoint == nil ? "us-east-1" : "auto"),
            accessKeyID: key, secretAccessKey: secret, retentionDays: days, dailyAt: dailyAt, pgDumpPath: value("LMS_PG_DUMP"))
    }

    static func parse(url: String) throws -> (bucket: String, prefix: String) {
        guard url.hasPrefix("s3://") else {
            throw ConfigurationError(message: "LMS_BACKUP_URL must look like s3://BUCKET/PREFIX, not '\(url)'")
        }
        let rest = url.dropFirst("s3://".count)
        let bucket = String(rest.prefix { $0 != "/" })
        let prefix = rest.dropFirst(bucket.count).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        // S3's bucket naming rules, which R2 shares.
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
        guard (3...63).contains(bucket.count), bucket.allSatisfy(allowed.contains),
              bucket.first?.isLetter == true || bucket.first?.isNumber == true
        else { throw ConfigurationError(message: "LMS_BACKUP_URL names the bucket '\(bucket)', which is not a valid bucket name (3 to 63 lower-case letters, digits, dots and hyphens)") }
        return (bucket, prefix)
    }
}

/// A time of day in UTC, `HH:MM` or `HH:MM:SS`.
public struct DailyTime: Sendable, Equatable {
    public var secondsAfterMidnight: Int

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        let hour = parts[0]!, minute = parts[1]!, second = parts.count == 3 ? parts[2]! : 0
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        secondsAfterMidnight = hour * 3600 + minute * 60 + second
    }

    /// The first moment at this time of day strictly after `date`.
    public func next(after date: Date) -> Date {
        let day = (date.timeIntervalSince1970 / 86400).rounded(.down) * 86400
        let today = Date(timeIntervalSince1970: day + Double(secondsAfterMidnight))
        return today > date ? today : today.addingTimeInterval(86400)
    }
}
