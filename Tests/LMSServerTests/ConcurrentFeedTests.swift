import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing
import Vapor

@testable import LMSServer

/// The change log under concurrent writers, on PostgreSQL (SQLite has one writer at a time).
@Suite("Change log under concurrent writers")
struct ConcurrentFeedTests {
    @Test("A writer never waits for another learner's open transaction", arguments: TestDatabase.postgresOnly)
    func writersDoNotQueue(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let other = try await server.createUser("other@demo.lms")
            let logged = AsyncStream.makeStream(of: Void.self)
            let release = AsyncStream.makeStream(of: Void.self)
            let open = Task {
                try await server.app.db.transaction { db in
                    try await ChangeLog(db: db as! any SQLDatabase).record(.progress, id: UUID(), userID: server.demo.learnerID)
                    logged.continuation.yield()
                    for await _ in release.stream { break }
                }
            }
            for await _ in logged.stream { break }
            let start = ContinuousClock.now
            let second = Task {
                try await server.app.db.transaction { db in
                    try await ChangeLog(db: db as! any SQLDatabase).record(.progress, id: UUID(), userID: other.id)
                }
            }
            // With writers taking turns, the second would wait for the first until it is released.
            let finished = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await second.value) != nil }
                group.addTask { try? await Task.sleep(for: .seconds(5)); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            release.continuation.yield()
            try await open.value
            _ = try? await second.value
            #expect(finished, "the second writer waited \(ContinuousClock.now - start) for the first's open transaction")
        }
    }

    @Test("Many writers committing in any order while a client pulls: every change is pulled", arguments: TestDatabase.postgresOnly)
    func nothingSkipped(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let learner = server.demo.learnerID
            let (_, _, start) = try await SyncTests.pullAll(server, token: token, limit: 500)
            let written = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        var ids: [UUID] = []
                        for _ in 0..<12 {
                            let id = UUID()
                            try await server.app.db.transaction { db in
                                try await ChangeLog(db: db as! any SQLDatabase).record(.progress, id: id, userID: learner)
                                // Held open a while: later transactions commit first.
                                try await Task.sleep(for: .milliseconds(Int.random(in: 0...25)))
                            }
                            ids.append(id)
                        }
                        return ids
                    }
                }
                let reader = Task {
                    var seen: Set<UUID> = []
                    var position = start
                    for _ in 0..<60 {
                        let (changes, _, next) = try await SyncTests.pullAll(server, token: token, from: position, limit: 5, settled: false)
                        seen.formUnion(changes.map(\.id))
                        position = next
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    return (seen, position)
                }
                var all: [UUID] = []
                for try await ids in group { all += ids }
                let (seen, position) = try await reader.value
                let (rest, _, _) = try await SyncTests.pullAll(server, token: token, from: position, limit: 500)
                return (all, seen.union(rest.map(\.id)))
            }
            let missing = Set(written.0).subtracting(written.1)
            #expect(written.0.count == 72)
            #expect(missing.isEmpty, "\(missing.count) committed change(s) were never pulled")
        }
    }

    @Test("A pull reads no other learner's rows: EXPLAIN over a log of 200,000 other changes", arguments: TestDatabase.postgresOnly)
    func pullIgnoresOtherLearners(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let (_, _, cursorText) = try await SyncTests.pullAll(server, token: token, limit: 500)
            try await server.sql.raw("""
                INSERT INTO sync_changes (entity, entity_id, user_id, op, changed_at)
                SELECT 'progress', gen_random_uuid(), gen_random_uuid(), 'upsert', NOW() FROM generate_series(1, 200000)
                """).run()
            try await server.sql.raw("ANALYZE sync_changes").run()
            let viewer = Principal(userID: server.demo.learnerID, role: .learner, tenantID: server.demo.tenantID)
            let cursor = try #require(SyncCursor(text: cursorText))
            for (name, after) in [("incremental", cursor), ("full", SyncCursor(epoch: cursor.epoch, xid: 0, seq: 0))] {
                let plan = try await server.sql.raw("EXPLAIN (ANALYZE, FORMAT JSON) " + ChangeLog(db: server.sql).rowsQuery(after: after, limit: 500, viewerID: viewer.userID)).first()
                let text = try #require(try plan?.decode(column: "QUERY PLAN", as: String.self))
                let nodes = Self.nodes(try JSONSerialization.jsonObject(with: Data(text.utf8)))
                #expect(!nodes.contains { ($0["Node Type"] as? String) == "Seq Scan" }, "\(name) pull: \(text)")
                let touched = nodes.reduce(0) { total, node in
                    total + ["Actual Rows", "Rows Removed by Filter", "Rows Removed by Index Recheck"]
                        .reduce(0) { $0 + ((node[$1] as? Int) ?? 0) }
                }
                #expect(touched < 2_000, "\(name) pull touched \(touched) rows: \(text)")
            }
            // And the API agrees: nothing new for this learner.
            let page = try await server.get("/api/v1/sync/changes?cursor=\(query(cursorText))", token: token).decode(SyncChangesPage.self)
            #expect(page.changes.isEmpty && !page.hasMore)
        }
    }

    /// Every node of an EXPLAIN (FORMAT JSON) plan.
    static func nodes(_ json: Any) -> [[String: Any]] {
        if let array = json as? [Any] { return array.flatMap(nodes) }
        guard let object = json as? [String: Any] else { return [] }
        if let plan = object["Plan"] { return nodes(plan) }
        return [object] + ((object["Plans"] as? [Any]) ?? []).flatMap(nodes)
    }
}

@Suite("Big sync pages")
struct BigPageTests {
    @Test("A page of thousands of changes, loaded and written in two halves, equals the same changes in small pages", arguments: TestDatabase.all)
    func halvesAgree(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            _ = try await CatalogBuilder(db: server.sql, now: Date()).build((0..<12).map { index in
                .init(title: "Big \(index)", slug: "big-\(index)", description: "Course \(index)", status: .published,
                      price: index.isMultiple(of: 2) ? 0 : 10, instructorID: server.demo.instructorID, quizPassPercent: nil,
                      chapters: (0..<10).map(SyntheticSeeder.chapter))
            })
            let token = try await server.token(DemoAccounts.learner)
            let (small, smallPages, _) = try await SyncTests.pullAll(server, token: token, limit: 300)
            let (big, bigPages, _) = try await SyncTests.pullAll(server, token: token, limit: 5000)
            #expect(smallPages.count > 4 && bigPages.count == 1)
            #expect(big.count > 1_500)
            #expect(big == small)
            // The quizzes' content came with its questions, the paid courses' lessons without links.
            #expect(big.contains { if case .lessonContent(let content) = $0.data { content.questions?.count == 3 } else { false } })
            #expect(big.contains { if case .lesson(let lesson) = $0.data { !lesson.isFree && lesson.videoURL == nil } else { false } })
        }
    }
}
