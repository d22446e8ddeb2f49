import Foundation
import LMSKit
import PostgresNIO
import SQLKit

/// The sync change log: appended to by every write, read by the feed. Each record usually keeps only its latest row (older rows for
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

    /// The log rows after the cursor in (transaction, sequence) order, one more than `limit`
    /// (to tell whether more follow), from two streams that share the cursor: catalog rows and
    /// the viewer's own. Each is an index range scan, so a pull never reads another learner's rows.
    func rows(after: SyncCursor, limit: Int, viewerID: UUID) async throws -> [(xid: Int64, seq: Int64, entity: String, id: UUID)] {
        if let database = db as? any PostgresDatabase {
            return try await db.postgresRows(rowsQuery(after: after, limit: limit, viewerID: viewerID), on: database).map { row in
                var cells = PostgresCellReader(row)
                return (try cells.next(Int64.self), try cells.next(Int64.self), try cells.next(String.self), try cells.next(UUID.self))
            }
        }
        return try await db.raw(rowsQuery(after: after, limit: limit, viewerID: viewerID)).all().map { row in
            (try row.value("xid"), try row.value("seq"), try row.value("entity"), try row.value("entity_id"))
        }
    }

    /// The query of `rows`; on PostgreSQL it serves only rows below the horizon (see `SyncFeed`).
    func rowsQuery(after: SyncCursor, limit: Int, viewerID: UUID) -> SQLQueryString {
        let horizon: SQLQueryString = SQLFlavor(db) == .postgres
            ? " AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint" : ""
        func stream(_ audience: SQLQueryString) -> SQLQueryString {
            """
            SELECT xid, seq, entity, entity_id FROM sync_changes
            WHERE \(audience) AND (xid, seq) > (\(bind: after.xid), \(bind: after.seq))\(horizon)
            ORDER BY xid, seq LIMIT \(bind: limit + 1)
            """
        }
        return """
            SELECT xid, seq, entity, entity_id FROM (\(stream("user_id IS NULL"))) AS catalog
            UNION ALL
            SELECT xid, seq, entity, entity_id FROM (\(stream("user_id = \(bind: viewerID)"))) AS own
            ORDER BY xid, seq LIMIT \(bind: limit + 1)
            """
    }

    /// The highest sequence number ever given out: no valid cursor points past it.
    func newestSequence() async throws -> Int64 {
        try await db.raw("SELECT COALESCE(MAX(seq), 0) AS newest FROM sync_changes").first().map { try $0.value("newest", as: Int64.self) } ?? 0
    }

    func epoch() async throws -> UUID {
        guard let row = try await db.raw("SELECT epoch FROM sync_state WHERE id = 1").first() else {
            throw APIFailure(status: .internalServerError, code: .internalError, message: "The sync state is missing")
        }
        return try row.value("epoch")
    }
}
