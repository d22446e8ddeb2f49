import Crypto
import Foundation
import SQLKit

/// Failed sign-ins counted in the database, so every replica sees the same counts: a guessing
/// run spread over several servers is limited as one. Keys are stored as SHA-256 hashes (no email
/// or address at rest), each with a fixed window from its first failure; rows whose window has
/// passed are pruned as new failures come, so the table holds at most one window's failures.
struct LoginThrottleStore {
    let db: any SQLDatabase
    let limit: Int
    let window: TimeInterval

    /// A throttle key: the first a sign-in checks is the account's (`limit` failures), the others
    /// the client's (four times as many, over all accounts).
    struct Key {
        let text: String
        let allowed: Int
    }

    func keys(email: String, client: String) -> [Key] {
        let account = email.trimmingCharacters(in: .whitespaces).lowercased()
        return [Key(text: "account|" + client + "|" + account, allowed: limit), Key(text: "client|" + client, allowed: limit * 4)]
    }

    /// Seconds to wait before trying again, or nil when the client may try now.
    func retryAfter(_ keys: [Key], now: Date = Date()) async throws -> Int? {
        let hashes = keys.map { Self.hash($0.text) }
        let rows = try await db.raw("""
            SELECT key_hash, failures, window_started_at FROM login_failures
            WHERE key_hash IN (\(binds: hashes)) AND window_started_at > \(bind: now.addingTimeInterval(-window))
            """).all()
        var wait: Int?
        for row in rows {
            let hash = try row.decode(column: "key_hash", as: String.self)
            guard let key = keys.first(where: { Self.hash($0.text) == hash }),
                  try row.decode(column: "failures", as: Int.self) >= key.allowed else { continue }
            let started = try row.decode(column: "window_started_at", as: Date.self)
            // Clamped: a database that stores times to the second can put the start a moment after now.
            let remaining = min(window, window - now.timeIntervalSince(started))
            wait = max(wait ?? 0, max(1, Int(remaining.rounded(.up))))
        }
        return wait
    }

    func recordFailure(_ keys: [Key], now: Date = Date()) async throws {
        let cutoff = now.addingTimeInterval(-window)
        for key in keys {
            try await db.raw("""
                INSERT INTO login_failures (key_hash, failures, window_started_at) VALUES (\(bind: Self.hash(key.text)), 1, \(bind: now))
                ON CONFLICT (key_hash) DO UPDATE SET
                  failures = CASE WHEN login_failures.window_started_at <= \(bind: cutoff) THEN 1 ELSE login_failures.failures + 1 END,
                  window_started_at = CASE WHEN login_failures.window_started_at <= \(bind: cutoff) THEN \(bind: now)
                                           ELSE login_failures.window_started_at END
                """).run()
        }
        try await db.raw("""
            DELETE FROM login_failures WHERE key_hash IN (
              SELECT key_hash FROM login_failures WHERE window_started_at <= \(bind: cutoff) LIMIT 100)
            """).run()
    }

    /// Signing in clears the account's count, not the client's: one's own account cannot reset a guessing run.
    func recordSuccess(_ keys: [Key]) async throws {
        guard let account = keys.first else { return }
        try await db.raw("DELETE FROM login_failures WHERE key_hash = \(bind: Self.hash(account.text))").run()
    }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
