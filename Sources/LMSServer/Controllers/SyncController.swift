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
        let page = try await SyncFeed(db: req.sql, viewer: viewer).page(after: cursor, limit: limit)
        req.application.serverMetrics.pulled(changes: page.changes.count)
        return json(body: try await Self.encode(page))
    }

    /// A big page is written in two halves at once, one per core; a small one at once.
    static func encode(_ page: SyncChangesPage) async throws -> Data {
        let changes = page.changes
        guard changes.count >= 1000 else { return try JSONWriter.encode(page) }
        let middle = changes.count / 2
        async let first = JSONWriter.encodeChanges(changes[..<middle])
        let second = try JSONWriter.encodeChanges(changes[middle...])
        return JSONWriter.encode(page, changes: [try await first, second])
    }

    /// Applies mutations in order, each exactly once. A mutation already applied returns its
    /// stored result (`duplicate`); one the server refuses is `rejected` with the reason and does
    /// not stop the others. Badges are evaluated once for the whole batch (see `SyncPush`).
    func push(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let body = try req.decodeBody(SyncPushRequest.self)
        guard body.mutations.count <= Self.maxMutationsPerPush else {
            throw APIFailure.validation("Send at most \(Self.maxMutationsPerPush) mutations per push")
        }
        let results = try await req.writeTransaction { db in
            try await SyncPush(db: db.sql, viewer: viewer).apply(body.mutations, clientID: body.clientID, now: Date())
        }
        let metrics = req.application.serverMetrics
        for (status, count) in Dictionary(grouping: results, by: \.status.rawValue).mapValues(\.count) {
            metrics.pushed(status: status, count: count)
        }
        return json(body: try JSONWriter.encode(SyncPushResponse(results: results)))
    }
}
