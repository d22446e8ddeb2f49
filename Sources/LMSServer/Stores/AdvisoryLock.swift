import Fluent
import Foundation
import SQLKit
import Vapor

/// One process at a time across replicas: a PostgreSQL advisory lock, held on a connection of
/// its own while `body` runs. SQLite serves a single machine (and takes its own file lock per
/// transaction), so there `body` just runs.
enum AdvisoryLock {
    /// Migrations: replicas starting together (or two `migrate` runs) end with one schema
    /// instead of racing to create the same tables.
    case migrations
    /// Backups, pruning and restores: one a day however many replicas wake for the slot.
    case backups

    /// Any fixed numbers: the locks' names among the database's advisory locks.
    var key: Int64 {
        switch self {
        case .migrations: 0x6C6D_735F_6D69_6772 // "lms_migr"
        case .backups: 0x6C6D_735F_6261_636B // "lms_back"
        }
    }

    /// Runs `body` holding the lock, waiting for it first.
    func around<T: Sendable>(_ app: Application, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await holding(app, wait: true, body)!
    }

    /// Runs `body` holding the lock; nil, without running it, when another process holds it.
    func ifFree<T: Sendable>(_ app: Application, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await holding(app, wait: false, body)
    }

    private func holding<T: Sendable>(
        _ app: Application, wait: Bool, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T? {
        guard SQLFlavor(app.db.sql) == .postgres else { return try await body() }
        let key = key
        return try await app.db.withConnection { connection in
            let locked = connection.sql
            if wait {
                try await locked.raw("SELECT pg_advisory_lock(\(bind: key))").run()
            } else {
                let row = try await locked.raw("SELECT pg_try_advisory_lock(\(bind: key)) AS locked").first()
                guard try row?.decode(column: "locked", as: Bool.self) == true else { return nil }
            }
            do {
                let result = try await body()
                try await locked.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                return result
            } catch {
                _ = try? await locked.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                throw error
            }
        }
    }
}
