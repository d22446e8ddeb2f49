import FluentKit
import Foundation
import LMSKit
import SQLKit
import PostgresNIO

extension FluentKit.Database {
    /// The same connection as SQLKit sees it. Both drivers the server configures (PostgreSQL and
    /// SQLite) are SQL databases, so this cannot fail once `configure` has run.
    package var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { preconditionFailure("the server only configures SQL databases") }
        return sql
    }
}

/// SQL fragments that differ between PostgreSQL and SQLite, so queries stay one string each.
struct Dialect: Sendable {
    let flavor: SQLFlavor

    init(_ database: any SQLDatabase) { flavor = SQLFlavor(database) }

    /// A bound JSON document for a JSONB column (PostgreSQL wants a cast; SQLite stores text).
    func json(_ text: String) -> SQLQueryString {
        flavor == .postgres ? "CAST(\(bind: text) AS JSONB)" : "\(bind: text)"
    }

    /// A bound amount for a DECIMAL(10, 2) column, given as exact text.
    func money(_ amount: Decimal) -> SQLQueryString {
        let text = MoneyText.format(amount)
        return flavor == .postgres ? "CAST(\(bind: text) AS DECIMAL(10, 2))" : "\(bind: text)"
    }

    /// Case-insensitive LIKE.
    var ilike: String { flavor == .postgres ? "ILIKE" : "LIKE" }
}

extension SQLRow {
    func value<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try decode(column: column, as: T.self)
    }

    func optional<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }

    /// A JSON column selected as text.
    func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        let text = try decode(column: column, as: String.self)
        return try LMSJSON.makeDecoder().decode(T.self, from: Data(text.utf8))
    }
}

/// Escapes `%`, `_` and `\` so a search term matches literally inside LIKE '%…%'.
func likePattern(containing term: String) -> String {
    var escaped = ""
    for ch in term {
        if ch == "%" || ch == "_" || ch == "\\" { escaped.append("\\") }
        escaped.append(ch)
    }
    return "%" + escaped + "%"
}

extension Encodable {
    func jsonText() throws -> String {
        String(decoding: try LMSJSON.encode(self), as: UTF8.self)
    }
}

extension SQLDatabase {
    /// The rows of a query written with SQLKit's interpolation, run on PostgreSQL through
    /// PostgresNIO so that they can be read by column position (`PostgresCellReader`): reading a
    /// cell by name through SQLKit costs a lookup and a generic decode, which dominated the
    /// feed's full pulls. Binds must be PostgreSQL-encodable values (numbers, text, UUIDs, arrays).
    func postgresRows(_ query: SQLQueryString, on database: any PostgresDatabase) async throws -> [PostgresRow] {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        var bindings = PostgresBindings(capacity: serializer.binds.count)
        for bind in serializer.binds {
            guard let value = bind as? any PostgresThrowingDynamicTypeEncodable else {
                throw PostgresRowShapeError(column: bindings.count)
            }
            try bindings.append(value)
        }
        let statement = PostgresQuery(unsafeSQL: serializer.sql, binds: bindings)
        let logger = database.logger
        // Collected on the connection's event loop: iterating the async row sequence costs a task
        // switch per batch of rows.
        return try await database.withConnection { connection -> EventLoopFuture<[PostgresRow]> in
            connection.query(statement, logger: logger).map { $0.rows }
        }.get()
    }
}
