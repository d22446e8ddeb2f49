import Fluent
import Foundation
import SQLKit
import Vapor

/// What backups ask the database: its version and size, whether it is empty, and a consistent
/// copy of a SQLite file.
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
