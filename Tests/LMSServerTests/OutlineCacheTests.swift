import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing

@testable import LMSServer

/// PostgreSQL serves outlines from memory while the course's structure version is unchanged. The
/// version is raised by triggers, so every way of changing chapters and lessons, the API's or raw
/// SQL, must show in the very next outline.
@Suite("Outline cache")
struct OutlineCacheTests {
    static let slug = "swift-fundamentals"

    @Test("Every kind of change to chapters and lessons shows in the next outline", arguments: TestDatabase.postgresOnly)
    func changesShowAtOnce(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let courseID = try await server.courseID(Self.slug)
            let cache = server.app.outlineCache
            let first = try await Self.outline(server, token)
            #expect(cache.count == 1)
            #expect(try await Self.outline(server, token) == first, "served again, unchanged")

            // Each step changes the rows behind the cached outline; the next outline must be the
            // one the portable SQL builds from the database as it is now.
            let lessonID = try #require(try await server.lessonIDs(ofCourse: Self.slug).first)
            let chapterID = try await server.sql.raw("SELECT id FROM chapters WHERE course_id = \(bind: courseID) ORDER BY position LIMIT 1")
                .first().map { try $0.decode(column: "id", as: UUID.self) }
            let otherCourse = try await server.courseID("terminal-mastery")
            let otherChapter = try await server.sql.raw("SELECT id FROM chapters WHERE course_id = \(bind: otherCourse) LIMIT 1")
                .first().map { try $0.decode(column: "id", as: UUID.self) }
            let steps: [(String, SQLQueryString)] = [
                ("lesson renamed", "UPDATE lessons SET title = 'Renamed by SQL' WHERE id = \(bind: lessonID)"),
                ("chapter renamed", "UPDATE chapters SET title = 'Chapter renamed' WHERE id = \(bind: chapterID)"),
                ("lesson added", """
                    INSERT INTO lessons (id, chapter_id, title, type, duration, position, is_free, requires_previous, created_at, updated_at)
                    VALUES (\(bind: UUID()), \(bind: chapterID), 'Added by SQL', 'text', 60, 99, FALSE, FALSE, NOW(), NOW())
                    """),
                ("chapter added", """
                    INSERT INTO chapters (id, course_id, title, position, created_at, updated_at)
                    VALUES (\(bind: UUID()), \(bind: courseID), 'Chapter added', 99, NOW(), NOW())
                    """),
                ("lesson moved to another course", "UPDATE lessons SET chapter_id = \(bind: otherChapter) WHERE id = \(bind: lessonID)"),
                ("lesson deleted", "DELETE FROM lessons WHERE title = 'Added by SQL'"),
                ("chapter deleted with its lessons", "DELETE FROM chapters WHERE id = \(bind: chapterID)"),
                ("every lesson truncated", "TRUNCATE lessons CASCADE"),
            ]
            var previous = first
            for (step, statement) in steps {
                let otherBefore = try await Self.outline(server, token, slug: "terminal-mastery")
                try await server.sql.raw(statement).run()
                let outline = try await Self.outline(server, token)
                #expect(outline == (try await Self.portable(server, token)), "\(step)")
                #expect(outline != previous, "\(step) changed the outline")
                if step == "lesson moved to another course" {
                    #expect(try await Self.outline(server, token, slug: "terminal-mastery") != otherBefore, "the other course gained it")
                }
                previous = outline
            }
        }
    }

    @Test("A change to the course row itself, or to the viewer's purchase, needs no new version", arguments: TestDatabase.postgresOnly)
    func courseAndOwnershipAreRead(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            _ = try await Self.outline(server, token)
            try await server.sql.raw("UPDATE courses SET title = 'Retitled' WHERE slug = \(bind: Self.slug)").run()
            #expect(try await Self.outline(server, token) == (try await Self.portable(server, token)))
            #expect(String(decoding: try await Self.outline(server, token), as: UTF8.self).contains("Retitled"))
            try await server.sql.raw("UPDATE courses SET status = 'draft' WHERE slug = \(bind: Self.slug)").run()
            #expect(try await server.get("/api/v1/courses/\(Self.slug)", token: token).status == .notFound)
        }
    }

    @Test("With no budget nothing is kept, and outlines are still right", arguments: TestDatabase.postgresOnly)
    func turnedOff(_ database: TestDatabase) async throws {
        try await withTestServer(database, settings: { $0.outlineCacheBytes = 0 }) { server in
            let token = try await server.token(DemoAccounts.learner)
            let outline = try await Self.outline(server, token)
            #expect(outline == (try await Self.portable(server, token)))
            #expect(server.app.outlineCache.count == 0)
        }
    }

    @Test("The cache never holds more than its budget, and a stale version is never served")
    func budget() {
        let cache = OutlineCache(byteBudget: 100)
        let ids = (0..<10).map { _ in UUID() }
        for (index, id) in ids.enumerated() {
            cache.store(Data(repeating: UInt8(index), count: 30), of: key(id), version: 1)
        }
        #expect(cache.count == 3)
        let kept = ids.filter { cache.chapters(of: key($0), version: 1) != nil }
        #expect(kept.count == 3)
        #expect(kept.allSatisfy { cache.chapters(of: key($0), version: 2) == nil })
        cache.store(Data(count: 101), of: key(UUID()), version: 1)
        #expect(cache.count == 3, "an outline larger than the budget is not kept")
        cache.store(Data([1]), of: key(kept[0]), version: 2)
        #expect(cache.chapters(of: key(kept[0]), version: 1) == nil)
        #expect(cache.chapters(of: key(kept[0]), version: 2) == Data([1]))
    }

    /// The outline's body as the API serves it.
    static func outline(_ server: TestServer, _ token: String, slug: String = slug) async throws -> Data {
        let response = try await server.get("/api/v1/courses/\(slug)", token: token)
        try #require(response.status == .ok, "\(response.text)")
        return response.body
    }

    /// The same outline built by SQLKit from the database as it is now, never cached.
    static func portable(_ server: TestServer, _ token: String) async throws -> Data {
        let viewer = try await server.app.tokens.verify(token)
        let found = try #require(try await CourseStore(db: server.sql).outline(slug: slug, viewer: viewer))
        return JSONWriter.encode(CourseOutlineResponse(outline: found.outline, owned: found.outline.course.isFree || found.purchased))
    }
}

private func key(_ courseID: UUID) -> OutlineCache.Key {
    OutlineCache.Key(courseID: courseID, withPaidLinks: true)
}
