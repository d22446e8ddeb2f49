import Foundation
import Logging

/// Writes each log record as one JSON line (level, time, message, metadata), the Swift analogue of
/// Pino. Secrets are redacted at every level: SQL binds (which hold emails, password hashes and
/// token hashes at `debug` and `trace`), and anything shaped like a bcrypt hash, a JWT or a
/// bearer credential wherever it appears.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let output: @Sendable (Data) -> Void

    public init(label: String, output: @escaping @Sendable (Data) -> Void = { FileHandle.standardError.write($0) }) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var record: [String: Any] = [
            "level": event.level.rawValue,
            "time": ISO8601Millis.now(),
            "msg": LogRedaction.scrub("\(event.message)"),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            // Vapor's request id metadata key is "request-id"; snake_case matches the rest.
            record[key == "request-id" ? "request_id" : key] = LogRedaction.isSecret(key: key) ? LogRedaction.redacted(value) : Self.plain(value)
        }
        guard var line = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        output(line)
    }

    private static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): LogRedaction.scrub(s)
        case .stringConvertible(let c): LogRedaction.scrub("\(c)")
        case .array(let items): items.map(plain)
        case .dictionary(let dict): dict.mapValues(plain)
        }
    }
}

/// What the log never shows.
enum LogRedaction {
    static let marker = "[redacted]"

    /// Metadata that carries values of queries or credentials: SQLKit's `binds`, PostgresNIO's
    /// `psql_*` payloads, anything named like a secret.
    static func isSecret(key: String) -> Bool {
        let key = key.lowercased()
        return key.contains("bind") || key.contains("password") || key.contains("token") || key.contains("secret")
            || key.contains("authorization") || key.hasPrefix("psql_message") || key.hasPrefix("psql_data")
    }

    /// Keeps the shape (how many binds) and nothing of the values.
    static func redacted(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .array(let items): items.map { _ in marker }
        default: marker
        }
    }

    /// Replaces bcrypt hashes (`$2b$…`), JWTs (`eyJ….….…`) and `Bearer …` credentials in free text.
    static func scrub(_ text: String) -> String {
        guard text.contains("$2") || text.contains("eyJ") || text.contains("Bearer ") else { return text }
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in words.indices {
            let word = words[index]
            if word.contains("$2a$") || word.contains("$2b$") || word.contains("$2y$") || word.contains("eyJ") {
                words[index] = marker
            } else if word == "Bearer", index + 1 < words.count {
                words[index + 1] = marker
            }
        }
        return words.joined(separator: " ")
    }
}

enum ISO8601Millis {
    static func now() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var seconds = tv.tv_sec
        var tm = tm()
        gmtime_r(&seconds, &tm)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
            tm.tm_min, tm.tm_sec, Int(tv.tv_usec / 1000))
    }
}
