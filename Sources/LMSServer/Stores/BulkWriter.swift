import Foundation
import LMSKit
import SQLKit

/// One value of a bulk insert, with the cast its column needs on PostgreSQL.
enum SeedValue: Sendable {
    case uuid(UUID)
    case text(String)
    case int(Int)
    case bool(Bool)
    case date(Date)
    case money(Decimal)
    case json(String)
    case null

    static func optional(_ value: UUID?) -> SeedValue { value.map(SeedValue.uuid) ?? .null }
    static func optional(_ value: String?) -> SeedValue { value.map(SeedValue.text) ?? .null }
    static func optional(_ value: Date?) -> SeedValue { value.map(SeedValue.date) ?? .null }
}

/// Multi-row INSERTs in chunks that stay under both databases' bind limits, so seeding a
/// 100,000-lesson catalog takes seconds rather than minutes.
struct BulkWriter {
    let db: any SQLDatabase

    func insert(into table: String, columns: [String], rows: [[SeedValue]]) async throws {
        guard !rows.isEmpty else { return }
        let dialect = Dialect(db)
        let rowsPerStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(start + rowsPerStatement, rows.count)
            var query: SQLQueryString = "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns.joined(separator: ", "))) VALUES "
            for index in start..<end {
                query += index == start ? "(" : ", ("
                for (column, value) in rows[index].enumerated() {
                    if column > 0 { query += ", " }
                    switch value {
                    case .uuid(let v): query += "\(bind: v)"
                    case .text(let v): query += "\(bind: v)"
                    case .int(let v): query += "\(bind: v)"
                    case .bool(let v): query += "\(bind: v)"
                    case .date(let v): query += "\(bind: v)"
                    case .money(let v): query += dialect.money(v)
                    case .json(let v): query += dialect.json(v)
                    case .null: query += "NULL"
                    }
                }
                query += ")"
            }
            try await db.raw(query).run()
            start = end
        }
    }

    /// Change-log rows for records created in bulk, in the order given.
    func logChanges(_ entity: SyncEntity, ids: [UUID], userID: UUID?, at now: Date) async throws {
        try await insert(
            into: "sync_changes", columns: ["entity", "entity_id", "user_id", "op", "changed_at"],
            rows: ids.map { [.text(entity.rawValue), .uuid($0), .optional(userID), .text("upsert"), .date(now)] })
    }
}
