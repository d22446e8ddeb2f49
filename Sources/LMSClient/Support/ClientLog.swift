import Foundation
import LMSKit
import Logging
import Synchronization

/// lms's log: a line per event in `$XDG_STATE_HOME/lms/lms.log` for bug reports, and with
/// `--verbose` on standard error too. The file is rotated at `limit` bytes (one older file kept).
/// Tokens never reach it: anything shaped like a bearer token or a JWT is masked on the way in.
public final class ClientLog: Sendable {
    public let file: URL
    let limit: Int
    let echo: Bool
    private let lock = Mutex<Void>(())

    public init(file: URL, echoToStandardError: Bool = false, limit: Int = 1 << 20) {
        self.file = file
        self.limit = limit
        echo = echoToStandardError
    }

    /// A handler for swift-log that writes here.
    public func handler(label: String, level: Logger.Level) -> some LogHandler {
        Handler(label: label, log: self, logLevel: level)
    }

    func write(_ line: String) {
        let masked = Self.redact(line)
        if echo { FileHandle.standardError.write(Data(("lms: " + masked + "\n").utf8)) }
        lock.withLock { _ in
            // Logging must never stop lms: a log that cannot be written is skipped.
            let manager = FileManager.default
            try? manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            if let size = (try? manager.attributesOfItem(atPath: file.path))?[.size] as? Int, size >= limit {
                let older = file.appendingPathExtension("1")
                try? manager.removeItem(at: older)
                try? manager.moveItem(at: file, to: older)
            }
            if !manager.fileExists(atPath: file.path) { manager.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) }
            guard let handle = try? FileHandle(forWritingTo: file) else { return }
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data((masked + "\n").utf8))
        }
    }

    /// Masks bearer credentials and JWTs (three base64url parts, the first `eyJ`).
    static func redact(_ text: String) -> String {
        var result = text.replacingOccurrences(of: #"(?i)bearer\s+[A-Za-z0-9._~+/=-]+"#, with: "Bearer [redacted]", options: .regularExpression)
        result = result.replacingOccurrences(of: #"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"#, with: "[redacted]", options: .regularExpression)
        return result
    }

    struct Handler: LogHandler {
        let label: String
        let log: ClientLog
        var logLevel: Logger.Level
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let all = metadata.merging(extra ?? [:]) { $1 }
            let fields = all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
            log.write("\(ISO8601.format(Date())) \(level) \(label): \(message)\(fields.isEmpty ? "" : " " + fields)")
        }
    }
}
