import FluentKit
import Logging
import SQLKit

/// pgvector is part of the specified stack (for future embedding features). Where the extension
/// is not installed the server says so once and works on without it; SQLite has no such thing.
struct EnablePGVector: AsyncMigration {
    let name = "000_enable_pgvector"
    let logger: Logger

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        guard SQLFlavor(sql) == .postgres else { return }
        let available = try await sql.raw("SELECT 1 AS present FROM pg_available_extensions WHERE name = 'vector'").first()
        if available == nil {
            logger.warning("pgvector is not installed on this PostgreSQL server; continuing without the vector extension")
            return
        }
        try await sql.raw("CREATE EXTENSION IF NOT EXISTS vector").run()
    }

    func revert(on database: any Database) async throws {
        // The extension may predate us or be shared with other schemas: leave it in place.
    }
}
