import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Sync feed and push")
struct SyncTests {
    /// Pulls until `has_more` is false; returns the changes, the raw pages and the last cursor.
    /// Pulls every page from `cursor`. With `settled`, first waits until every change written so
    /// far is final (see `TestServer.waitForSettledFeed`), as a client pulling after the writers.
    static func pullAll(_ server: TestServer, token: String, from cursor: String? = nil, limit: Int = 7, settled: Bool = true) async throws
        -> (changes: [SyncChange], pages: [TestResponse], cursor: String)
    {
        if settled { try await server.waitForSettledFeed() }
        var changes: [SyncChange] = []
        var pages: [TestResponse] = []
        var cursor = cursor
        while pages.count < 200 {
            let path = "/api/v1/sync/changes?limit=\(limit)" + (cursor.map { "&cursor=\(query($0))" } ?? "")
            let response = try await server.get(path, token: token)
            try #require(response.status == .ok, "\(path): \(response.status) \(response.text)")
            let page = try response.decode(SyncChangesPage.self)
            #expect(page.changes.count <= limit)
            pages.append(response)
            changes += page.changes
            cursor = page.cursor
            if !page.hasMore { break }
        }
        return (changes, pages, try #require(cursor))
    }

    static func upserts(_ changes: [SyncChange], _ entity: SyncEntity) -> [SyncChange] {
        changes.filter { $0.entity == entity && $0.op == .upsert }
    }

    @Test("A full pull pages through everything the learner may see, and nothing else", arguments: TestDatabase.all)
    func fullPull(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let (changes, pages, _) = try await Self.pullAll(server, token: token)
            #expect(pages.count > 3, "limit=7 should need several pages")
            #expect(changes.allSatisfy { $0.op == .upsert || $0.data == nil })

            let courses = Self.upserts(changes, .course).compactMap { if case .course(let c)? = $0.data { c } else { nil } }
            #expect(Set(courses.map(\.slug)) == Set(CatalogTests.published))
            let draft = try await server.courseID("advanced-concurrency")
            let draftLessons = try await server.lessonIDs(ofCourse: "advanced-concurrency")
            #expect(!changes.contains { $0.op == .upsert && ($0.id == draft || draftLessons.contains($0.id)) }, "draft content in the feed")
            #expect(Set(Self.upserts(changes, .chapter).map(\.id)).count == 6)
            #expect(Set(Self.upserts(changes, .lesson).map(\.id)).count == 16)

            // Content only for lessons the learner may open: both free courses, the owned course,
            // and the free preview of the paid one.
            var entitled = Set<UUID>()
            for slug in ["swift-fundamentals", "japanese-for-beginners", "terminal-mastery"] {
                entitled.formUnion(try await server.lessonIDs(ofCourse: slug))
            }
            entitled.insert(try await server.lessonID("Why relational?"))
            let content = Self.upserts(changes, .lessonContent)
            #expect(Set(content.map(\.id)) == entitled)
            for change in content {
                guard case .lessonContent(let lesson)? = change.data else { Issue.record("bad payload"); continue }
                #expect(lesson.lesson.id == change.id)
                if lesson.lesson.type == .quiz { #expect(lesson.questions?.isEmpty == false) }
            }
            // No answer key in any lesson content of any page.
            for page in pages {
                let raw = ((page.json as? [String: Any])?["changes"] as? [[String: Any]]) ?? []
                for change in raw where change["entity"] as? String == "lesson_content" {
                    #expect(!allKeys(in: change["data"]).contains("correct"), "answer key in \(change)")
                }
            }

            // The learner's own records.
            let progress = Self.upserts(changes, .progress).compactMap { if case .progress(let p)? = $0.data { p } else { nil } }
            #expect(progress.count == 2 && progress.allSatisfy { $0.userID == server.demo.learnerID })
            let purchases = Self.upserts(changes, .purchase).compactMap { if case .purchase(let p)? = $0.data { p } else { nil } }
            #expect(purchases.map(\.courseID) == [try await server.courseID("terminal-mastery")])
            #expect(Self.upserts(changes, .userBadge).count == 1)
            #expect(Self.upserts(changes, .badge).count == 6)
            #expect(Self.upserts(changes, .quizResult).isEmpty)
        }
    }

    @Test("A pull from a saved cursor returns only what changed since", arguments: TestDatabase.all)
    func incrementalPull(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let (_, _, cursor) = try await Self.pullAll(server, token: token, limit: 500)
            let empty = try await server.get("/api/v1/sync/changes?cursor=\(query(cursor))", token: token).decode(SyncChangesPage.self)
            #expect(empty.changes.isEmpty && !empty.hasMore && !empty.cursor.isEmpty)

            let lesson = try await server.lessonID("Installing the toolchain")
            let put = try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: lesson, progressSeconds: 400))
            let row = try put.decode(ProgressUpsertResponse.self).progress
            // Another learner's work is not part of this learner's feed.
            _ = try await server.createUser("other@demo.lms")
            let other = try await server.token("other@demo.lms")
            let otherLesson = try await server.lessonID("Welcome to Swift")
            #expect(try await server.put("/api/v1/progress", token: other, body: ProgressUpsert(lessonID: otherLesson, progressSeconds: 5)).status == .ok)

            let (changes, _, next) = try await Self.pullAll(server, token: token, from: cursor)
            #expect(changes.count == 1)
            let change = try #require(changes.first)
            #expect(change.entity == .progress && change.id == row.id)
            if case .progress(let progress)? = change.data { #expect(progress.progressSeconds == 400) } else { Issue.record("not a progress payload") }
            #expect(try await Self.pullAll(server, token: token, from: next).changes.isEmpty)
        }
    }

    @Test("Unknown and foreign cursors are 410 cursor_expired", arguments: TestDatabase.all)
    func expiredCursors(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let (_, _, cursor) = try await Self.pullAll(server, token: token, limit: 500)
            func base64URL(_ text: String) -> String { Data(text.utf8).base64URLEncoded }
            let decoded = try #require(Data(base64URL: cursor))
            let parts = String(decoding: decoded, as: UTF8.self).split(separator: ".")
            let (epoch, seq) = (try #require(parts.first), try #require(parts.last))
            for bad in ["garbage", "%%%", base64URL("not-a-uuid.1"), base64URL("\(epoch).-1"), base64URL("\(epoch)")] {
                expectError(try await server.get("/api/v1/sync/changes?cursor=\(query(bad))", token: token), .gone, "cursor_expired")
            }
            // A cursor of this database, but beyond its newest change.
            expectError(
                try await server.get("/api/v1/sync/changes?cursor=\(base64URL("\(epoch).999999"))", token: token), .gone, "cursor_expired")
            // A cursor from another database: same position, another epoch (every database
            // draws its own when it is migrated).
            let foreign = base64URL("\(UUID().uuidString).\(seq)")
            expectError(try await server.get("/api/v1/sync/changes?cursor=\(query(foreign))", token: token), .gone, "cursor_expired")
            for limit in ["0", "5001"] {
                expectError(try await server.get("/api/v1/sync/changes?limit=\(limit)", token: token), .unprocessableEntity, "validation_failed")
            }
        }
    }

    static func progressMutation(_ lesson: UUID, seconds: Int = 60, completed: Bool = true, id: UUID = UUID()) -> SyncMutation {
        SyncMutation(id: id, createdAt: Date(), kind: .progressUpsert(ProgressUpsert(lessonID: lesson, progressSeconds: seconds, completed: completed)))
    }

    /// PostgreSQL hands out sequence numbers when rows are inserted, not when they commit: a
    /// transaction holding a change open while a later one commits would leave a gap that a
    /// cursor passes, and the first change would never reach the client. (SQLite has one writer
    /// at a time.)
    @Test("A change committed after a later one's is still pulled", arguments: TestDatabase.postgresOnly)
    func changesCommittedOutOfOrder(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let learner = server.demo.learnerID
            let (_, _, start) = try await Self.pullAll(server, token: token)
            let first = UUID(), second = UUID()
            let firstLogged = AsyncStream.makeStream(of: Void.self)
            let release = AsyncStream.makeStream(of: Void.self)
            let firstTransaction = Task {
                try await server.app.db.transaction { db in
                    try await ChangeLog(db: db as! any SQLDatabase).record(.progress, id: first, userID: learner)
                    firstLogged.continuation.yield()
                    for await _ in release.stream { break }
                }
            }
            for await _ in firstLogged.stream { break }
            let secondTransaction = Task {
                try await server.app.db.transaction { db in
                    try await ChangeLog(db: db as! any SQLDatabase).record(.progress, id: second, userID: learner)
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            // Pulled while the first is still open: whatever this sees, its cursor must not pass
            // the first change.
            let (during, _, middle) = try await Self.pullAll(server, token: token, from: start, settled: false)
            release.continuation.yield()
            try await firstTransaction.value
            try await secondTransaction.value
            let (after, _, _) = try await Self.pullAll(server, token: token, from: middle)
            let pulled = Set((during + after).map(\.id))
            #expect(pulled.contains(first), "the change whose transaction committed last was skipped")
            #expect(pulled.contains(second))
        }
    }

    @Test("Push applies mutations in order, exactly once", arguments: TestDatabase.all)
    func push(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let quiz = try await server.lessonID("Check your understanding")
            let answers = try await server.correctAnswers(quiz: quiz)
            let lessons = [
                try await server.lessonID("Installing the toolchain"), try await server.lessonID("Hello, world"),
                try await server.lessonID("Constants and variables"), try await server.lessonID("Optionals explained"),
            ]
            // Each mutation depends on the one before (sequencing), the quiz on all of them.
            let batch = SyncPushRequest(
                clientID: UUID(),
                mutations: lessons.map { Self.progressMutation($0) }
                    + [SyncMutation(id: UUID(), createdAt: Date(), kind: .quizSubmit(lessonID: quiz, QuizSubmission(clientAttemptID: UUID(), answers: answers)))])
            let response = try await server.post("/api/v1/sync/push", token: token, body: batch)
            #expect(response.status == .ok, "\(response.text)")
            let results = try response.decode(SyncPushResponse.self).results
            #expect(results.map(\.id) == batch.mutations.map(\.id))
            #expect(results.allSatisfy { $0.status == .applied }, "\(response.text)")
            #expect(results.prefix(4).compactMap(\.progress?.lessonID) == lessons)
            let quizResult = try #require(results.last?.quizResult)
            #expect(quizResult.passed && quizResult.score == 5 && quizResult.attemptNumber == 1)
            #expect(!results.flatMap(\.awardedBadges).isEmpty)

            // The same batch again: stored results, marked duplicate, nothing new.
            let progressBefore = try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self).items
            let replay = try await server.post("/api/v1/sync/push", token: token, body: batch).decode(SyncPushResponse.self).results
            #expect(replay.allSatisfy { $0.status == .duplicate })
            #expect(replay.map(\.id) == results.map(\.id))
            #expect(replay.map(\.progress?.id) == results.map(\.progress?.id))
            #expect(replay.last?.quizResult?.id == quizResult.id)
            #expect(replay.map(\.awardedBadges) == results.map(\.awardedBadges))
            #expect(try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: token).decode(ItemList<QuizResult>.self).items.count == 1)
            #expect(try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self).items == progressBefore)
            let badges = try await server.get("/api/v1/me/badges", token: token).decode(ItemList<EarnedBadge>.self).items
            #expect(Set(badges.map(\.badge.id)).count == badges.count)
        }
    }

    @Test("Refused mutations are rejected with a reason and do not block the rest", arguments: TestDatabase.all)
    func rejections(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let hello = try await server.lessonID("Hello, world")
            let installing = try await server.lessonID("Installing the toolchain")
            let unknownType = try LMSJSON.makeDecoder().decode(
                SyncMutation.self, from: Data(#"{"id":"\#(UUID())","created_at":"2026-01-14T09:30:00Z","type":"note.create","payload":{"text":"hi"}}"#.utf8))
            let batch = SyncPushRequest(clientID: UUID(), mutations: [
                Self.progressMutation(hello),  // locked: "Installing the toolchain" is not completed yet
                unknownType,
                Self.progressMutation(installing),
                Self.progressMutation(try await server.lessonID("Indexes")),  // not bought
                Self.progressMutation(installing, seconds: -5),
            ])
            let results = try await server.post("/api/v1/sync/push", token: token, body: batch).decode(SyncPushResponse.self).results
            #expect(results.map(\.status) == [.rejected, .rejected, .applied, .rejected, .rejected])
            #expect(results[0].error?.code == .lessonLocked)
            #expect(results[0].error?.message.contains("Installing the toolchain") == true)
            #expect(results[0].progress == nil)
            #expect(results[1].error?.code == .validationFailed && results[1].error?.message.contains("note.create") == true)
            #expect(results[2].progress?.completed == true)
            #expect(results[3].error?.code == .purchaseRequired)
            #expect(results[4].error?.code == .validationFailed)
            // The lesson that was locked is still not touched.
            let progress = try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self).items
            #expect(!progress.contains { $0.lessonID == hello })
        }
    }

    @Test("A mutation id used by another user is rejected without leaking", arguments: TestDatabase.all)
    func foreignMutationID(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let learner = try await server.token(DemoAccounts.learner)
            _ = try await server.createUser("b@demo.lms")
            let other = try await server.token("b@demo.lms")
            let lesson = try await server.lessonID("Welcome to Swift")
            let mutation = Self.progressMutation(lesson, seconds: 123)
            let mine = try await server.post("/api/v1/sync/push", token: learner, body: SyncPushRequest(clientID: UUID(), mutations: [mutation]))
                .decode(SyncPushResponse.self).results
            #expect(mine.first?.status == .applied)

            let response = try await server.post("/api/v1/sync/push", token: other, body: SyncPushRequest(clientID: UUID(), mutations: [mutation]))
            let theirs = try response.decode(SyncPushResponse.self).results
            #expect(theirs.first?.status == .rejected)
            #expect(theirs.first?.error?.code == .conflict)
            #expect(theirs.first?.progress == nil)
            #expect(!response.text.lowercased().contains(server.demo.learnerID.uuidString.lowercased()))
            #expect(try await server.get("/api/v1/progress", token: other).decode(ItemList<UserProgress>.self).items.isEmpty)
        }
    }
}
