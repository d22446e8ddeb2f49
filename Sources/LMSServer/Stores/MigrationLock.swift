import Fluent
import Foundation
import SQLKit
import Vapor

/// Migrations run by one process at a time: a PostgreSQL advisory lock, held on a connection of
/// its own while the migrator works, so replicas starting together (or two `migrate` runs) end
/// with one schema instead of racing to create the same tables. SQLite serves one machine and
/// takes its own file lock per transaction.
enum MigrationLock {
    /// Any fixed number: the lock's name among the database's advisory locks.
    static let key: Int64 = 0x6C6D_735F_6D69_6772 // "lms_migr"

    static func around<T: Sendable>(_ app: Application, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let sql = app.db.sql
        guard SQLFlavor(sql) == .postgres else { return try await body() }
        return try await app.db.withConnection { connection in
            let locked = connection.sql
            try await locked.raw("SELECT pg_advisory_lock(\(bind: key))").run()
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
