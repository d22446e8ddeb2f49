import Foundation
import LMSKit
import SQLKit

/// Appends to the sync change log. Each record keeps only its latest row (older rows for the
/// same record and audience are removed), so a full pull is one pass over the log and a client's
/// cursor can never point past a change it has not seen: the newer row has a higher sequence.
///
/// Writers take turns, each until its transaction ends: PostgreSQL numbers a row when it is
/// inserted, not when it commits, so without turns a transaction left open could commit a lower
/// number after a reader's cursor had passed it, and that change would never be pulled. Always
/// call it inside the transaction that makes the change. (SQLite has one writer at a time.)
struct ChangeLog {
    let db: any SQLDatabase

    /// - Parameter userID: the one user the change is for, or nil for catalog records anyone may see.
    func record(_ entity: SyncEntity, id: UUID, userID: UUID?, deleted: Bool = false, at now: Date = Date()) async throws {
        try await record(entity, ids: [id], userID: userID, deleted: deleted, at: now)
    }

    func record(_ entity: SyncEntity, ids: [UUID], userID: UUID?, deleted: Bool = false, at now: Date = Date()) async throws {
        guard !ids.isEmpty else { return }
        if SQLFlavor(db) == .postgres {
            // Conflicts with itself and with other writers, never with readers of the feed.
            try await db.raw("LOCK TABLE sync_changes IN SHARE ROW EXCLUSIVE MODE").run()
        }
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let audience: SQLQueryString = userID.map { "user_id = \(bind: $0)" } ?? "user_id IS NULL"
            try await db.raw("""
                DELETE FROM sync_changes WHERE entity = \(bind: entity.rawValue) AND entity_id IN (\(binds: chunk)) AND \(audience)
                """).run()
            let op = deleted ? "delete" : "upsert"
            var insert: SQLQueryString = "INSERT INTO sync_changes (entity, entity_id, user_id, op, changed_at) VALUES "
            for (index, id) in chunk.enumerated() {
                if index > 0 { insert += ", " }
                insert += "(\(bind: entity.rawValue), \(bind: id), \(bind: userID), \(bind: op), \(bind: now))"
            }
            try await db.raw(insert).run()
        }
    }

    func epoch() async throws -> UUID {
        guard let row = try await db.raw("SELECT epoch FROM sync_state WHERE id = 1").first() else {
            throw APIFailure(status: .internalServerError, code: .internalError, message: "The sync state is missing")
        }
        return try row.value("epoch")
    }
}
