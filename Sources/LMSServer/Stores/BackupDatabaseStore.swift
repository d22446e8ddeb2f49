import Fluent
import Foundation
import SQLKit
import Vapor

/// What backups ask the database: its version, whether it is empty, a consistent copy of a
/// SQLite file, and the lock that lets one process back up at a time.
struct BackupDatabaseStore {
    let db: any SQLDatabase

    /// PostgreSQL's major version (16 for 16.4).
    func serverMajorVersion() async throws -> Int {
        let row = try await db.raw("SHOW server_version_num").first()
        guard let text = try row?.decode(column: "server_version_num", as: String.self), let number = Int(text) else {
            throw BackupFailure("the database server did not say its version")
        }
        return number / 10000
    }

    /// The database's size on disk (PostgreSQL), which its compressed dump stays below.
    func databaseBytes() async throws -> Int64 {
        let row = try await db.raw("SELECT pg_database_size(current_database()) AS bytes").first()
        return try row?.decode(column: "bytes", as: Int64.self) ?? 0
    }

    /// The tables, views and sequences outside PostgreSQL's own schemas, or SQLite's tables.
    func userRelations() async throws -> [String] {
        let rows: [any SQLRow]
        if SQLFlavor(db) == .postgres {
            rows = try await db.raw("""
                SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
                ORDER BY 1
                """).all()
        } else {
            rows = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
        }
        return try rows.map { try $0.decode(column: "name", as: String.self) }
    }

    /// A transactionally consistent copy of the SQLite database at `path`, taken while the
    /// server keeps serving.
    func copySQLite(to path: String) async throws {
        try await db.raw("VACUUM INTO \(literal: path)").run()
    }
}

/// One backup at a time across replicas: a PostgreSQL advisory lock held on a connection of its
/// own for the run. SQLite serves a single machine and needs none.
enum BackupLock {
    /// Any fixed number: the lock's name among the database's advisory locks.
    static let key: Int64 = 0x6C6D_735F_6261_636B // "lms_back"

    /// Runs `body` holding the lock; nil, without running it, when another process holds it.
    static func ifFree<T: Sendable>(_ app: Application, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        guard SQLFlavor(app.db.sql) == .postgres else { return try await body() }
        return try await app.db.withConnection { connection in
            let locked = connection.sql
            let row = try await locked.raw("SELECT pg_try_advisory_lock(\(bind: key)) AS locked").first()
            guard try row?.decode(column: "locked", as: Bool.self) == true else { return nil }
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
