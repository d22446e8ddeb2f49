import Foundation
import LMSKit
import SQLKit
import Vapor

/// The sync feed (pull) and batch push of offline work.
struct SyncController {
    static let maxMutationsPerPush = 500

    func boot(_ routes: any RoutesBuilder) {
        routes.get("sync", "changes", use: changes)
        routes.on(.POST, "sync", "push", body: .collect(maxSize: "8mb"), use: push)
    }

    func changes(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let limit = try req.query.get(Int?.self, at: "limit") ?? 500
        guard (1...5000).contains(limit) else { throw APIFailure.validation("limit must be between 1 and 5000") }
        let cursor = try req.query.get(String?.self, at: "cursor")
        return try json(try await SyncFeed(db: req.sql, viewer: viewer).page(after: cursor, limit: limit))
    }

    /// Applies mutations in order, each exactly once. A mutation already applied returns its
    /// stored result (`duplicate`); one the server refuses is `rejected` with the reason and does
    /// not stop the others. Badges are evaluated once for the whole batch.
    func push(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let body = try req.decodeBody(SyncPushRequest.self)
        guard body.mutations.count <= Self.maxMutationsPerPush else {
            throw APIFailure.validation("Send at most \(Self.maxMutationsPerPush) mutations per push")
        }
        let results = try await req.writeTransaction { db -> [MutationResult] in
            let sql = db as! any SQLDatabase
            let service = LearningService(db: sql, viewer: viewer)
            try await service.lockLearner()
            let now = Date()
            let store = AppliedMutationStore(db: sql)
            var results: [MutationResult] = []
            var lastApplied: Int?
            for mutation in body.mutations {
                if let stored = try await store.result(id: mutation.id) {
                    guard stored.userID == viewer.userID else {
                        results.append(MutationResult(
                            id: mutation.id, status: .rejected,
                            error: APIErrorBody(code: .conflict, message: "This mutation id is already used")))
                        continue
                    }
                    var replay = stored.result
                    replay.status = .duplicate
                    results.append(replay)
                    continue
                }
                var result: MutationResult
                do {
                    switch mutation.kind {
                    case .progressUpsert(let update):
                        result = MutationResult(id: mutation.id, status: .applied, progress: try await service.upsertProgress(update, now: now))
                    case .quizSubmit(let lessonID, let submission):
                        let outcome = try await service.submitQuiz(lessonID: lessonID, submission, now: now)
                        result = MutationResult(id: mutation.id, status: .applied, quizResult: outcome.result)
                    case .unknown(let type, _):
                        throw APIFailure.validation("Unknown mutation type '\(type)'")
                    }
                    lastApplied = results.count
                } catch let failure as APIFailure where failure.status.code < 500 {
                    result = MutationResult(
                        id: mutation.id, status: .rejected,
                        error: APIErrorBody(code: failure.code, message: failure.message, details: failure.details))
                }
                try await store.save(result, userID: viewer.userID, clientID: body.clientID, type: mutation.typeName, at: now)
                results.append(result)
            }
            if let lastApplied {
                let awarded = try await service.awardBadges(now: now)
                if !awarded.isEmpty {
                    results[lastApplied].awardedBadges = awarded
                    try await store.save(results[lastApplied], userID: viewer.userID, clientID: body.clientID, type: nil, at: now)
                }
            }
            return results
        }
        return try json(SyncPushResponse(results: results))
    }
}

/// Results of applied mutations, kept so replays get the same answer.
struct AppliedMutationStore {
    let db: any SQLDatabase

    func result(id: UUID) async throws -> (userID: UUID, result: MutationResult)? {
        guard let row = try await db.raw("""
            SELECT user_id, CAST(result AS TEXT) AS result FROM applied_mutations WHERE id = \(bind: id)
            """).first() else { return nil }
        return (try row.value("user_id"), try row.json("result", as: MutationResult.self))
    }

    /// Inserts, or (with `type: nil`) updates the stored result of a mutation saved earlier in the batch.
    func save(_ result: MutationResult, userID: UUID, clientID: UUID, type: String?, at now: Date) async throws {
        let dialect = Dialect(db)
        let text = try result.jsonText()
        if let type {
            try await db.raw("""
                INSERT INTO applied_mutations (id, user_id, client_id, type, result, applied_at)
                VALUES (\(bind: result.id), \(bind: userID), \(bind: clientID), \(bind: type), \(dialect.json(text)), \(bind: now))
                """).run()
        } else {
            try await db.raw("UPDATE applied_mutations SET result = \(dialect.json(text)) WHERE id = \(bind: result.id)").run()
        }
    }
}

