import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing

@testable import LMSServer

/// The outline decides who may open a course in Swift (`CourseVisibility`, from one query that
/// finds the course whatever its status) and caches its chapters; `CourseStore.outline(slug:)`
/// states the same rule in SQL. Both must give every viewer the same answer, cached or not.
@Suite("Outline and catalog rules agree for every viewer")
struct OutlineVisibilityTests {
    @Test("Outlines: every course, every user, also archived and deleted courses, from the cache and not", arguments: TestDatabase.all)
    func outlines(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            try await Self.addEdgeCases(server)
            let store = CourseStore(db: server.sql)
            let cache = OutlineCache(byteBudget: 1 << 20)
            let slugs = try await server.sql.raw("SELECT slug FROM courses").all().map { try $0.decode(column: "slug", as: String.self) }
            let viewers = try await Self.viewers(server)
            #expect(viewers.count >= 4)
            var compared = 0
            for viewer in viewers {
                for slug in slugs + ["no-such-course"] {
                    var expected: Data?
                    if let (outline, purchased) = try await store.outline(slug: slug, viewer: viewer) {
                        let owns = CourseVisibility.ownsContent(outline.course, purchased: purchased, viewer: viewer)
                        expected = JSONWriter.encode(CourseOutlineResponse(
                            outline: owns ? outline : outline.withoutPaidContentLinks, owned: outline.course.isFree || purchased))
                        compared += 1
                    }
                    for attempt in ["first", "cached"] {
                        let served = try await store.outlineResponseBody(slug: slug, viewer: viewer, cache: cache)
                        #expect(served == expected, "\(slug) for \(viewer.role), \(attempt): \(served.map { String(decoding: $0, as: UTF8.self) } ?? "nil")")
                    }
                }
            }
            // Some courses are hidden from some viewers; the rest were compared in full.
            #expect(compared > slugs.count && compared < slugs.count * viewers.count)
        }
    }

    @Test("Catalog pages: every sort and search, paged two at a time, equal one big page", arguments: TestDatabase.all)
    func catalog(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            try await Self.addEdgeCases(server)
            let store = CourseStore(db: server.sql)
            for viewer in try await Self.viewers(server) {
                for sort in [CourseStore.CatalogSort.title, .newest, .price] {
                    for search in [nil, "", "swift", "SWIFT", "日本", "%", "_", "\\", "no match at all"] {
                        let whole = try await store.catalogPage(viewer: viewer, search: search, sort: sort, after: nil, limit: 100)
                        #expect(!whole.hasMore)
                        var paged: [CatalogEntry] = []
                        var cursor: UUID?
                        repeat {
                            let page = try await store.catalogPage(viewer: viewer, search: search, sort: sort, after: cursor, limit: 2)
                            paged += page.entries
                            cursor = page.hasMore ? page.entries.last?.course.id : nil
                        } while cursor != nil && paged.count < 100
                        #expect(paged == whole.entries, "\(sort) \(search ?? "nil") for \(viewer.role)")
                    }
                }
            }
        }
    }

    /// An archived course bought by the learner's tenant, an archived one nobody bought, a
    /// soft-deleted one, a chapter with no lessons, and titles that need LIKE escapes.
    static func addEdgeCases(_ server: TestServer) async throws {
        let sql = server.sql
        let instructor = server.demo.instructorID
        let now = Date()
        func course(_ slug: String, title: String, status: String, price: String, deleted: Bool = false) async throws -> UUID {
            let id = UUID()
            try await sql.raw("""
                INSERT INTO courses (id, title, slug, status, price, instructor_id, duration, chapters_count, lessons_count, created_at, updated_at, deleted_at)
                VALUES (\(bind: id), \(bind: title), \(bind: slug), \(bind: status), CAST(\(bind: price) AS DECIMAL(10, 2)), \(bind: instructor), 0, 1, 0, \(bind: now), \(bind: now), \(bind: deleted ? now : nil as Date?))
                """).run()
            return id
        }
        let archivedOwned = try await course("archived-owned", title: "100% _Archived_ \\ owned", status: "archived", price: "15.00")
        _ = try await course("archived-unowned", title: "Archived, not bought", status: "archived", price: "15.00")
        _ = try await course("deleted-course", title: "Swift deleted", status: "published", price: "0.00", deleted: true)
        let empty = try await course("empty-chapter", title: "Swift with an empty chapter", status: "published", price: "5.00")
        try await sql.raw("""
            INSERT INTO chapters (id, course_id, title, position, created_at, updated_at)
            VALUES (\(bind: UUID()), \(bind: empty), 'Nothing yet', 1, \(bind: now), \(bind: now))
            """).run()
        try await sql.raw("""
            INSERT INTO purchases (id, user_id, course_id, tenant_id, amount, currency, status, purchased_at, created_at, updated_at)
            VALUES (\(bind: UUID()), \(bind: server.demo.adminID), \(bind: archivedOwned), \(bind: server.demo.tenantID), CAST('15.00' AS DECIMAL(10, 2)), 'USD', 'completed', \(bind: now), \(bind: now), \(bind: now))
            """).run()
    }

    /// Every user as the server would see them, plus a learner outside any tenant.
    static func viewers(_ server: TestServer) async throws -> [Principal] {
        let now = Date()
        try await server.sql.raw("""
            INSERT INTO users (id, email, password_hash, first_name, last_name, role, status, created_at, updated_at)
            VALUES (\(bind: UUID()), 'loner@example.com', 'x', 'Lone', 'Learner', 'learner', 'active', \(bind: now), \(bind: now))
            """).run()
        _ = try await server.createPlatformAdmin("root@platform.lms")
        return try await server.sql.raw("SELECT id, role, tenant_id FROM users").all().map { row in
            Principal(
                userID: try row.decode(column: "id", as: UUID.self), role: UserRole(rawValue: try row.decode(column: "role", as: String.self)),
                tenantID: try row.decode(column: "tenant_id", as: UUID?.self))
        }
    }
}
