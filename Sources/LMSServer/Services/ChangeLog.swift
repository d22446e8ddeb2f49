import Foundation
import LMSKit
import SQLKit

/// Appends to the sync change log. Each record usually keeps only its latest row (older rows for
/// the same record and audience are removed), so a full pull is about one pass over the log.
///
/// Writers never wait for each other: on PostgreSQL each row carries the id of the transaction
/// that wrote it, and the feed serves only rows of transactions older than every transaction
/// still running (see `SyncFeed`), so a transaction left open can never commit a change below a
/// cursor a client already holds. Always call it inside the transaction that makes the change.
/// (Two writers recording the same record at once may both keep their row; the feed then sends
/// the record's current state twice, which clients apply idempotently.)
struct ChangeLog {
    let db: any SQLDatabase

    /// - Parameter userID: the one user the change is for, or nil for catalog records anyone may see.
    func record(_ entity: SyncEntity, id: UUID, userID: UUID?, deleted: Bool = false, at now: Date = Date()) async throws {
        try await record(entity, ids: [id], userID: userID, deleted: deleted, at: now)
    }

    func record(_ entity: SyncEntity, ids: [UUID], userID: UUID?, deleted: Bool = false, at now: Date = Date()) async throws {
        guard !ids.isEmpty else { return }
        let audience: SQLQueryString = userID.map { "user_id = \(bind: $0)" } ?? "user_id IS NULL"
        let op = deleted ? "delete" : "upsert"
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            try await db.raw("""
                DELETE FROM sync_changes WHERE entity = \(bind: entity.rawValue) AND entity_id IN (\(binds: Array(chunk))) AND \(audience)
                """).run()
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
