import Foundation
import LMSKit
import SQLKit

/// Results of applied mutations, kept so replays get the same answer.
struct AppliedMutationStore {
    let db: any SQLDatabase

    func results(ids: [UUID]) async throws -> [UUID: (userID: UUID, result: MutationResult)] {
        var found: [UUID: (userID: UUID, result: MutationResult)] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for row in try await db.raw("""
                SELECT id, user_id, CAST(result AS TEXT) AS result FROM applied_mutations WHERE id IN (\(binds: chunk))
                """).all() {
                found[try row.value("id")] = (try row.value("user_id"), try row.json("result", as: MutationResult.self))
            }
        }
        return found
    }

    func insert(_ results: [(result: MutationResult, type: String)], userID: UUID, clientID: UUID, at now: Date) async throws {
        let dialect = Dialect(db)
        for start in stride(from: 0, to: results.count, by: 100) {
            var query: SQLQueryString = "INSERT INTO applied_mutations (id, user_id, client_id, type, result, applied_at) VALUES"
            for (index, entry) in results[start..<min(start + 100, results.count)].enumerated() {
                query += index == 0 ? " " : ", "
                query += """
                    (\(bind: entry.result.id), \(bind: userID), \(bind: clientID), \(bind: entry.type),
                     \(dialect.json(String(decoding: try JSONWriter.encode(entry.result), as: UTF8.self))), \(bind: now))
                    """
            }
            try await db.raw(query).run()
        }
    }
}
