import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Catalog")
struct CatalogTests {
    static let published = ["databases-in-depth", "japanese-for-beginners", "swift-fundamentals", "terminal-mastery"]

    @Test("Learners see the published courses, instructors also their draft", arguments: TestDatabase.all)
    func visibility(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let learner = try await server.get("/api/v1/courses", token: try await server.token(DemoAccounts.learner))
            #expect(learner.status == .ok)
            let page = try learner.decode(CatalogPage.self)
            #expect(page.items.map(\.course.slug).sorted() == Self.published)
            #expect(page.nextCursor == nil)
            #expect(page.items.allSatisfy { $0.course.status == .published })
            // Ownership (a purchase, or a free course) and instructor name come with each entry.
            let owned = Dictionary(uniqueKeysWithValues: page.items.map { ($0.course.slug, $0.owned) })
            #expect(owned == ["terminal-mastery": true, "databases-in-depth": false, "swift-fundamentals": true, "japanese-for-beginners": true])
            #expect(page.items.allSatisfy { $0.instructorName == "Grace Instructor" })
            let money = try #require((learner.json as? [String: Any])?["items"] as? [[String: Any]])
            #expect(money.compactMap { ($0["course"] as? [String: Any])?["price"] as? String }.sorted() == ["0.00", "0.00", "29.00", "49.00"])

            let instructor = try await server.get("/api/v1/courses", token: try await server.token(DemoAccounts.instructor))
            #expect(try instructor.decode(CatalogPage.self).items.map(\.course.slug).sorted() == (Self.published + ["advanced-concurrency"]).sorted())
        }
    }

    @Test("Cursor pagination walks every course once, for every sort", arguments: TestDatabase.all)
    func pagination(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.instructor)
            for sort in ["title", "newest", "price"] {
                var seen: [CatalogEntry] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let path = "/api/v1/courses?limit=2&sort=\(sort)" + (cursor.map { "&cursor=\(query($0))" } ?? "")
                    let response = try await server.get(path, token: token)
                    try #require(response.status == .ok, "\(path): \(response.text)")
                    let page = try response.decode(CatalogPage.self)
                    #expect(page.items.count <= 2)
                    seen += page.items
                    cursor = page.nextCursor
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(pages == 3, "sort=\(sort)")
                #expect(seen.count == 5, "sort=\(sort)")
                #expect(Set(seen.map(\.course.id)).count == seen.count, "duplicates with sort=\(sort)")
                let courses = seen.map(\.course)
                switch sort {
                case "title":
                    #expect(courses.map(\.title) == courses.map(\.title).sorted())
                    #expect(courses.first?.slug == "advanced-concurrency")
                case "newest":
                    #expect(courses.map(\.createdAt) == courses.map(\.createdAt).sorted(by: >))
                    #expect(courses.first?.slug == "advanced-concurrency")
                default:
                    #expect(courses.map(\.price) == courses.map(\.price).sorted())
                    #expect(courses.last?.slug == "advanced-concurrency")
                }
            }
        }
    }

    @Test("Search is case-insensitive and takes %, _ and ' literally", arguments: TestDatabase.all)
    func search(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            // A course whose title holds the LIKE metacharacters.
            _ = try await CatalogBuilder(db: server.sql, now: Date()).build([
                .init(title: "100% Pure_Swift's Guide", slug: "pure-swift", description: nil, status: .published, price: 5,
                      instructorID: server.demo.instructorID, quizPassPercent: nil, chapters: []),
            ])
            func titles(_ q: String) async throws -> [String] {
                let response = try await server.get("/api/v1/courses?q=\(query(q))", token: token)
                try #require(response.status == .ok, "q=\(q): \(response.status) \(response.text)")
                return try response.decode(CatalogPage.self).items.map(\.course.title).sorted()
            }
            #expect(try await titles("swift") == ["100% Pure_Swift's Guide", "Swift Fundamentals"])
            #expect(try await titles("SWIFT FUND") == ["Swift Fundamentals"])
            #expect(try await titles("tErMiNaL") == ["Terminal Mastery"])
            #expect(try await titles("日本語") == ["日本語 入門 — Japanese for Beginners 🎌"])
            #expect(try await titles("%") == ["100% Pure_Swift's Guide"])
            #expect(try await titles("_") == ["100% Pure_Swift's Guide"])
            #expect(try await titles("'") == ["100% Pure_Swift's Guide"])
            #expect(try await titles("0%") == ["100% Pure_Swift's Guide"])
            #expect(try await titles("Swift_Fundamentals").isEmpty)  // `_` is not "any character"
            #expect(try await titles("Swift%Fundamentals").isEmpty)  // `%` is not "anything"
            #expect(try await titles("\\").isEmpty)
            #expect(try await titles("no such course").isEmpty)
            #expect(try await titles("   ").count == 5)  // blank means no filter
        }
    }

    @Test("ETag and If-None-Match give 304", arguments: TestDatabase.all)
    func conditionalRequests(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let first = try await server.get("/api/v1/courses", token: token)
            let etag = try #require(first.headers.first(name: .eTag))
            let again = try await server.get("/api/v1/courses", token: token, headers: ["If-None-Match": etag])
            #expect(again.status == .notModified)
            #expect(again.body.isEmpty)
            #expect(again.headers.first(name: .eTag) == etag)
            let stale = try await server.get("/api/v1/courses", token: token, headers: ["If-None-Match": "\"0000\""])
            #expect(stale.status == .ok)
            #expect(stale.body == first.body)

            let outline = try await server.get("/api/v1/courses/swift-fundamentals", token: token)
            let outlineTag = try #require(outline.headers.first(name: .eTag))
            #expect(try await server.get("/api/v1/courses/swift-fundamentals", token: token, headers: ["If-None-Match": outlineTag]).status == .notModified)

            // A change to the catalog changes the tag.
            try await server.sql.raw("UPDATE courses SET title = 'Swift Fundamentals, 2nd edition' WHERE slug = 'swift-fundamentals'").run()
            #expect(try await server.get("/api/v1/courses", token: token, headers: ["If-None-Match": etag]).status == .ok)
        }
    }

    @Test("Bad limits, sorts and cursors are refused", arguments: TestDatabase.all)
    func badParameters(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            for limit in ["0", "101", "-1"] {
                expectError(try await server.get("/api/v1/courses?limit=\(limit)", token: token), .unprocessableEntity, "validation_failed")
            }
            let notANumber = try await server.get("/api/v1/courses?limit=ten", token: token)
            #expect([400, 422].contains(notANumber.status.code), "\(notANumber.status) \(notANumber.text)")
            expectError(try await server.get("/api/v1/courses?sort=popular", token: token), .unprocessableEntity, "validation_failed")
            expectError(try await server.get("/api/v1/courses?cursor=garbage", token: token), .badRequest, "bad_request")
            expectError(try await server.get("/api/v1/courses?cursor=\(query("!!!%%%"))", token: token), .badRequest, "bad_request")

            // A cursor belongs to the sort it was issued for.
            let page = try await server.get("/api/v1/courses?limit=1&sort=title", token: token).decode(CatalogPage.self)
            let cursor = try #require(page.nextCursor)
            expectError(try await server.get("/api/v1/courses?limit=1&sort=price&cursor=\(query(cursor))", token: token), .badRequest, "bad_request")
            #expect(try await server.get("/api/v1/courses?limit=1&sort=title&cursor=\(query(cursor))", token: token).status == .ok)
        }
    }
}
