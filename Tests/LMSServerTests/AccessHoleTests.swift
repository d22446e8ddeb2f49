import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing
import Vapor

@testable import LMSServer

/// Holes an operator's probing found: each test here fails on the server before its fix.
@Suite("Access holes")
struct AccessHoleTests {
    @Test("Paid lessons carry no content link for learners who do not own them, in the outline and the feed", arguments: TestDatabase.all)
    func paidLinks(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            func outlineLessons() async throws -> [String: Lesson] {
                let outline = try await server.get("/api/v1/courses/databases-in-depth", token: token).decode(CourseOutlineResponse.self)
                return Dictionary(uniqueKeysWithValues: outline.outline.chapters.flatMap(\.lessons).map { ($0.title, $0) })
            }
            var lessons = try await outlineLessons()
            #expect(lessons["Why relational?"]?.videoURL != nil, "a free lesson keeps its link")
            #expect(lessons["Indexes"]?.videoURL == nil && lessons["Indexes"]?.videoID == nil)
            // Twice: the second answer comes from the outline cache on PostgreSQL.
            #expect(try await outlineLessons()["Indexes"]?.videoURL == nil)
            let instructor = try await server.token(DemoAccounts.instructor)
            let taught = try await server.get("/api/v1/courses/databases-in-depth", token: instructor).decode(CourseOutlineResponse.self)
            #expect(taught.outline.chapters.flatMap(\.lessons).first { $0.title == "Indexes" }?.videoURL != nil)

            let indexes = try await server.lessonID("Indexes")
            let (changes, _, cursor) = try await SyncTests.pullAll(server, token: token, limit: 200)
            func feedLesson(_ changes: [SyncChange]) -> Lesson? {
                changes.compactMap { change -> Lesson? in
                    if case .lesson(let lesson) = change.data, lesson.id == indexes { return lesson }
                    return nil
                }.last
            }
            let sent = try #require(feedLesson(changes))
            #expect(sent.videoURL == nil, "the feed gave a paid lesson's link to a learner who has not bought it")

            // Bought: the outline and the next pull carry the link.
            let session = try await FailClosedTests.pendingCheckout(server)
            #expect(try await server.postWebhook(StripeTestSigner.checkoutCompleted(session: session)).status == .ok)
            lessons = try await outlineLessons()
            #expect(lessons["Indexes"]?.videoURL == "https://videos.demo.lms/db/indexes.mp4")
            let (after, _, _) = try await SyncTests.pullAll(server, token: token, from: cursor, limit: 200)
            #expect(feedLesson(after)?.videoURL == "https://videos.demo.lms/db/indexes.mp4")
        }
    }

    @Test("A suspended tenant's or user's sessions stop: no refresh, no feed, no push, no checkout, no outline", arguments: TestDatabase.all)
    func suspensionStopsSessions(_ database: TestDatabase) async throws {
        for suspend: SQLQueryString in [
            "UPDATE tenants SET status = 'suspended'", "UPDATE users SET status = 'suspended' WHERE email = 'learner@demo.lms'",
            "UPDATE users SET deleted_at = CURRENT_TIMESTAMP WHERE email = 'learner@demo.lms'",
        ] {
            try await withTestServer(database) { server in
                let tokens = try await server.login(DemoAccounts.learner)
                let token = tokens.accessToken
                try await server.sql.raw(suspend).run()
                expectError(
                    try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: tokens.refreshToken)),
                    .forbidden, "account_inactive")
                expectError(try await server.get("/api/v1/sync/changes", token: token), .forbidden, "account_inactive")
                let push = SyncPushRequest(clientID: UUID(), mutations: [
                    SyncMutation(id: UUID(), createdAt: Date(), kind: .progressUpsert(ProgressUpsert(lessonID: try await server.lessonID("Welcome to Swift"))))
                ])
                expectError(try await server.post("/api/v1/sync/push", token: token, body: push), .forbidden, "account_inactive")
                expectError(
                    try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: try await server.courseID("databases-in-depth"))),
                    .forbidden, "account_inactive")
                expectError(try await server.get("/api/v1/courses/terminal-mastery", token: token), .forbidden, "account_inactive")
                expectError(try await server.get("/api/v1/lessons/\(try await server.lessonID("Welcome to Swift"))", token: token), .forbidden, "account_inactive")
            }
        }
    }

    @Test("A tenant's admin sees courses as a learner; only a platform admin reads every draft and answer key", arguments: TestDatabase.all)
    func tenantAdminScope(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let tenantAdmin = try await server.token(DemoAccounts.admin)
            let draft = "/api/v1/instructor/courses/advanced-concurrency/outline"
            expectError(try await server.get(draft, token: tenantAdmin), .notFound, "not_found")
            expectError(try await server.get("/api/v1/courses/advanced-concurrency", token: tenantAdmin), .notFound, "not_found")
            let catalog = try await server.get("/api/v1/courses?limit=100", token: tenantAdmin).decode(CatalogPage.self)
            #expect(!catalog.items.contains { $0.course.status == .draft })
            let (changes, _, _) = try await SyncTests.pullAll(server, token: tenantAdmin, limit: 200)
            #expect(!changes.contains { if case .course(let course) = $0.data { course.status == .draft } else { false } })

            _ = try await server.createPlatformAdmin("root@platform.lms")
            let platform = try await server.token("root@platform.lms")
            #expect(try await server.get(draft, token: platform).status == .ok)
            // Tenant administration stays with the tenant's admins.
            #expect(try await server.get("/api/v1/admin/purchases", token: tenantAdmin).status == .ok)
            let purchases = try await server.get("/api/v1/admin/purchases", token: tenantAdmin).decode(ItemList<Purchase>.self).items
            #expect(purchases.contains { $0.userID == server.demo.learnerID })
        }
    }

    @Test("An admin cannot suspend or demote themselves; unknown roles are 422", arguments: TestDatabase.all)
    func adminSelfLockout(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let admin = try await server.login(DemoAccounts.admin)
            let me = "/api/v1/admin/users/\(admin.user.id)"
            expectError(try await server.patch(me, token: admin.accessToken, body: UpdateUserRequest(status: .suspended)), .conflict, "conflict")
            expectError(try await server.patch(me, token: admin.accessToken, body: UpdateUserRequest(role: .learner)), .conflict, "conflict")
            #expect(try await server.patch(me, token: admin.accessToken, body: UpdateUserRequest(role: .admin, status: .active)).status == .ok)
            let teacher = CreateUserRequest(email: "x@demo.lms", password: "long-enough", firstName: "X", lastName: "Y", role: UserRole(rawValue: "teacher"))
            expectError(try await server.post("/api/v1/admin/users", token: admin.accessToken, body: teacher), .unprocessableEntity, "validation_failed")
            #expect(try await server.count("users", where: "email = 'x@demo.lms'") == 0)
        }
    }

    @Test("Token responses are never stored; no response may be sniffed", arguments: TestDatabase.all)
    func cachingAndSniffing(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let login = try await server.post("/api/v1/auth/login", body: LoginRequest(email: DemoAccounts.learner, password: DemoAccounts.password))
            #expect(login.headers.first(name: .cacheControl) == "no-store")
            let tokens = try login.decode(TokenResponse.self)
            let refresh = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: tokens.refreshToken))
            #expect(refresh.headers.first(name: .cacheControl) == "no-store")
            for response in [login, refresh, try await server.get("/healthz"), try await server.get("/api/v1/courses"), try await server.get("/nowhere")] {
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(response.path)")
            }
        }
    }

    @Test("At LOG_LEVEL=trace the log holds no token, hash, password or email", arguments: TestDatabase.all)
    func traceLogIsRedacted(_ database: TestDatabase) async throws {
        try await withTestServer(database, settings: { $0.logLevel = .trace }) { server in
            let tokens = try await server.login(DemoAccounts.learner)
            _ = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: tokens.refreshToken))
            _ = try await server.get("/api/v1/sync/changes", token: tokens.accessToken)
            _ = try await server.post("/api/v1/auth/login", body: LoginRequest(email: "nobody@demo.lms", password: "wrong-password"))
            let log = server.logs.text
            #expect(log.contains("\"binds\""), "the SQL is logged at trace, with its binds redacted")
            for secret in [DemoAccounts.learner, "nobody@demo.lms", "wrong-password", tokens.refreshToken, TokenService.hash(tokens.refreshToken)] {
                #expect(!log.contains(secret), "the log holds \(secret.prefix(16))")
            }
            #expect(!log.contains("$2b$") && !log.contains("eyJ"))
        }
    }
}
