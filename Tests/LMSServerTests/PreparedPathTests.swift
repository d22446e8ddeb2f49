import Foundation
import LMSTestSupport
import LMSKit
import FluentPostgresDriver
import SQLKit
import Testing

@testable import LMSServer

/// PostgreSQL serves the catalog and outlines through named prepared statements read by column
/// position; SQLite (and this test) through SQLKit. Both must give every viewer the same answer.
@Suite("PostgreSQL prepared paths agree with the portable SQL")
struct PreparedPathTests {
    @Test("Outlines: every course, every user, also archived and deleted courses", arguments: TestDatabase.postgresOnly)
    func outlines(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            try await Self.addEdgeCases(server)
            let store = CourseStore(db: server.sql)
            let slugs = try await server.sql.raw("SELECT slug FROM courses").all().map { try $0.decode(column: "slug", as: String.self) }
            let viewers = try await Self.viewers(server)
            #expect(viewers.count >= 4)
            var compared = 0
            for viewer in viewers {
                for slug in slugs + ["no-such-course"] {
                    let portable = try await store.outline(slug: slug, viewer: viewer)
                    // The response written straight from the rows is, byte for byte, what the
                    // models encode to.
                    let written = try await PostgresOutlineQuery(database: try #require(server.sql as? any PostgresDatabase), logger: server.app.logger)
                        .outlineResponse(slug: slug, viewer: viewer)
                    let encoded = try await store.portableOutlineResponseBody(slug: slug, viewer: viewer)
                    #expect(written == encoded, "\(slug) for \(viewer.role): \(written.map { String(decoding: $0, as: UTF8.self) } ?? "nil")")
                    if let course = portable?.outline.course {
                        #expect(try await store.outline(of: course) == store.portableOutline(of: course))
                    }
                    if portable != nil { compared += 1 }
                }
            }
            // Some courses are hidden from some viewers; the rest were compared in full.
            #expect(compared > slugs.count && compared < slugs.count * viewers.count)
        }
    }

    @Test("Catalog pages: every sort, search and cursor, for every user", arguments: TestDatabase.postgresOnly)
    func catalog(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            try await Self.addEdgeCases(server)
            let store = CourseStore(db: server.sql)
            for viewer in try await Self.viewers(server) {
                for sort in [CourseStore.CatalogSort.title, .newest, .price] {
                    for search in [nil, "", "swift", "SWIFT", "日本", "%", "_", "\\", "no match at all"] {
                        var cursor: UUID?
                        var pages = 0
                        repeat {
                            let prepared = try await store.catalogPage(viewer: viewer, search: search, sort: sort, after: cursor, limit: 2)
                            let portable = try await store.portableCatalogPage(viewer: viewer, search: search, sort: sort, after: cursor, limit: 2)
                            #expect(prepared.entries == portable.entries, "\(sort) \(search ?? "nil") page \(pages) for \(viewer.role)")
                            #expect(prepared.hasMore == portable.hasMore)
                            cursor = portable.hasMore ? portable.entries.last?.course.id : nil
                            pages += 1
                        } while cursor != nil && pages < 20
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
