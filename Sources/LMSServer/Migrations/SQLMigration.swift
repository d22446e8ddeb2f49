import FluentKit
import SQLKit

/// The SQL dialects the server runs on.
enum SQLFlavor: Sendable {
    case postgres, sqlite

    init(_ database: any SQLDatabase) {
        self = database.dialect.name == "sqlite" ? .sqlite : .postgres
    }
}

/// A migration written as SQL statements rather than Fluent's schema builder.
///
/// The seed's schema must be reproduced exactly on PostgreSQL (`gen_random_uuid()` defaults,
/// `DECIMAL(10, 2)`, `TIMESTAMPTZ`, named indexes, ON DELETE actions), which the schema builder
/// cannot express; so each migration states its PostgreSQL DDL and derives the SQLite form.
protocol SQLMigration: AsyncMigration {
    var postgresUp: [String] { get }
    var postgresDown: [String] { get }
    /// SQLite statements; by default a mechanical translation of the PostgreSQL ones.
    var sqliteUp: [String] { get }
    var sqliteDown: [String] { get }
}

extension SQLMigration {
    var sqliteUp: [String] { postgresUp.map(SQLiteTranslation.translate) }
    var sqliteDown: [String] { postgresDown.map(SQLiteTranslation.translate) }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        for statement in SQLFlavor(sql) == .postgres ? postgresUp : sqliteUp {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for statement in SQLFlavor(sql) == .postgres ? postgresDown : sqliteDown {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }
}

/// Turns the seed's PostgreSQL DDL into SQLite DDL with the same tables, columns and constraints.
///
/// Types keep their names where SQLite accepts them (it has type affinity, not types), except:
/// - `DECIMAL(10, 2)` becomes `TEXT`: SQLite would store money as a binary float; we keep the
///   exact text "49.00";
/// - `JSONB` becomes `TEXT` (SQLite's JSON functions read text);
/// - `DEFAULT gen_random_uuid()` is dropped: the server always supplies ids;
/// - `NOW()` becomes `CURRENT_TIMESTAMP` (the server supplies timestamps too).
enum SQLiteTranslation {
    static func translate(_ statement: String) -> String {
        var s = statement
        s = s.replacingOccurrences(of: " DEFAULT gen_random_uuid()", with: "")
        s = s.replacingOccurrences(of: "DEFAULT NOW()", with: "DEFAULT CURRENT_TIMESTAMP")
        s = s.replacingOccurrences(of: "DECIMAL(10, 2)", with: "TEXT")
        s = s.replacingOccurrences(of: "JSONB", with: "TEXT")
        s = s.replacingOccurrences(of: "BIGSERIAL PRIMARY KEY", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
        return s
    }
}
