import Foundation
import SQLKit

/// What `/readyz` and `/metrics` read from the database about itself.
struct DatabaseStatusStore {
    let db: any SQLDatabase

    /// The names among `known` that the database has not applied.
    func pendingMigrations(known: [String]) async throws -> [String] {
        let applied = Set(try await db.raw("SELECT name FROM _fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) })
        return known.filter { !applied.contains($0) }
    }

    /// A process's connections to PostgreSQL (by the `application_name` it connects with), and
    /// how many are running a query right now, this one included. nil on SQLite.
    func connections(of applicationName: String) async throws -> (open: Int, inUse: Int)? {
        guard SQLFlavor(db) == .postgres else { return nil }
        let row = try await db.raw("""
            SELECT COUNT(*) AS open, COUNT(*) FILTER (WHERE state = 'active') AS in_use
            FROM pg_stat_activity WHERE application_name = \(bind: applicationName)
            """).first()
        guard let row else { return nil }
        return (try row.decode(column: "open", as: Int.self), try row.decode(column: "in_use", as: Int.self))
    }
}
