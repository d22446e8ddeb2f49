import FluentKit
import SQLKit
import Vapor

extension Request {
    /// A transaction that writes.
    ///
    /// On SQLite, Fluent's plain (deferred) `BEGIN` lets two connections (one per event loop) both
    /// read and then both try to write; SQLite then answers one of them "database is locked" at
    /// once, since waiting could deadlock. So write transactions take turns within the server
    /// (waiting without holding a thread) and begin `IMMEDIATE`, taking the write lock before
    /// reading. PostgreSQL uses Fluent's transaction unchanged (learners are serialised there by
    /// `AccountStatus.lock`).
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard SQLFlavor(sql) == .sqlite else { return try await db.transaction(body) }
        let turn = application.sqliteWriteTurn
        await turn.acquire()
        do {
            let result = try await db.withConnection { connection in
                let sql = connection.sql
                try await sql.raw("BEGIN IMMEDIATE TRANSACTION").run()
                do {
                    let result = try await body(connection)
                    try await sql.raw("COMMIT TRANSACTION").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK TRANSACTION").run()
                    throw error
                }
            }
            await turn.release()
            return result
        } catch {
            await turn.release()
            throw error
        }
    }
}

/// A first-come, first-served turn for SQLite write transactions.
actor WriteTurn {
    private var taken = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard taken else {
            taken = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            taken = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension Application {
    private struct WriteTurnKey: StorageKey { typealias Value = WriteTurn }

    /// Set once by `configure`, before the server accepts requests.
    var sqliteWriteTurn: WriteTurn {
        get { storage[WriteTurnKey.self]! }
        set { storage[WriteTurnKey.self] = newValue }
    }
}
