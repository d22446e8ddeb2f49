import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Security")
struct SecurityTests {
    @Test("One learner never sees another's progress, attempts or purchases", arguments: TestDatabase.all)
    func crossUser(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let alice = try await server.token(DemoAccounts.learner)
            let quiz = try await server.unlockSwiftQuiz(token: alice)
            let attemptID = UUID()
            let aliceAttempt = try await server.post(
                "/api/v1/lessons/\(quiz)/quiz/attempts", token: alice,
                body: QuizSubmission(clientAttemptID: attemptID, answers: try await server.correctAnswers(quiz: quiz)))
            let aliceResult = try aliceAttempt.decode(QuizAttemptResponse.self).result
            let alicePurchase = try await server.post(
                "/api/v1/purchases", token: alice, body: CheckoutRequest(courseID: try await server.courseID("databases-in-depth")))
                .decode(CheckoutResponse.self).purchase

            let bob = try await server.createUser("bob@demo.lms")
            let bobToken = try await server.token("bob@demo.lms")
            let progress = try await server.get("/api/v1/progress", token: bobToken).decode(ItemList<UserProgress>.self)
            #expect(progress.items.isEmpty)
            #expect(try await server.get("/api/v1/purchases", token: bobToken).decode(ItemList<Purchase>.self).items.isEmpty)
            #expect(try await server.get("/api/v1/me/badges", token: bobToken).decode(ItemList<EarnedBadge>.self).items.isEmpty)
            #expect(try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: bobToken).decode(ItemList<QuizResult>.self).items.isEmpty)
            let me = try await server.get("/api/v1/me", token: bobToken).decode(MeResponse.self)
            #expect(me.user.id == bob.id)

            // Guessing Alice's client_attempt_id gives Bob his own attempt (or a refusal), never hers.
            _ = try await server.unlockSwiftQuiz(token: bobToken)
            let guess = try await server.post(
                "/api/v1/lessons/\(quiz)/quiz/attempts", token: bobToken, body: QuizSubmission(clientAttemptID: attemptID, answers: []))
            #expect(guess.status == .created, "\(guess.text)")
            let bobResult = try guess.decode(QuizAttemptResponse.self)
            #expect(bobResult.result.id != aliceResult.id && bobResult.result.userID == bob.id && !bobResult.replayed)

            // Bob's sync feed holds none of Alice's records.
            let (changes, _, _) = try await SyncTests.pullAll(server, token: bobToken, limit: 500)
            var aliceIDs: Set<UUID> = [aliceResult.id, alicePurchase.id]
            aliceIDs.formUnion(try await server.get("/api/v1/progress", token: alice).decode(ItemList<UserProgress>.self).items.map(\.id))
            #expect(!changes.contains { aliceIDs.contains($0.id) })
            for change in changes {
                switch change.data {
                case .progress(let p)?: #expect(p.userID == bob.id)
                case .quizResult(let r)?: #expect(r.userID == bob.id)
                case .purchase(let p)?: #expect(p.userID == bob.id)
                case .userBadge(let b)?: #expect(b.userID == bob.id)
                default: break
                }
            }
            // And Alice's lists are intact.
            #expect(try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: alice).decode(ItemList<QuizResult>.self).items.map(\.id) == [aliceResult.id])
        }
    }

    @Test("An admin of another tenant cannot reach the demo tenant", arguments: TestDatabase.all)
    func crossTenant(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let other = try await server.createTenant(slug: "other-org", adminEmail: "admin@other.org")
            let token = try await server.token("admin@other.org")
            let demoGroup = try await server.demoGroupID()
            let demoLearner = server.demo.learnerID

            let users = try await server.get("/api/v1/admin/users", token: token).decode(ItemList<User>.self).items
            #expect(users.map(\.id) == [other.adminID])
            #expect(try await server.get("/api/v1/admin/groups", token: token).decode(ItemList<LMSKit.Group>.self).items.isEmpty)
            let tenant = try await server.get("/api/v1/admin/tenant", token: token).decode(Tenant.self)
            #expect(tenant.id == other.tenantID)

            expectError(try await server.patch("/api/v1/admin/users/\(demoLearner)", token: token, body: UpdateUserRequest(status: .suspended)), .notFound, "not_found")
            expectError(try await server.delete("/api/v1/admin/users/\(demoLearner)", token: token), .notFound, "not_found")
            expectError(try await server.delete("/api/v1/admin/groups/\(demoGroup)", token: token), .notFound, "not_found")
            expectError(try await server.request(.PUT, "/api/v1/admin/groups/\(demoGroup)/members/\(other.adminID)", token: token), .notFound, "not_found")
            expectError(try await server.delete("/api/v1/admin/groups/\(demoGroup)/members/\(demoLearner)", token: token), .notFound, "not_found")
            let created = try await server.post("/api/v1/admin/groups", token: token, body: CreateGroupRequest(name: "Other cohort"))
            let ownGroup = try created.decode(LMSKit.Group.self)
            #expect(ownGroup.tenantID == other.tenantID)
            expectError(try await server.request(.PUT, "/api/v1/admin/groups/\(ownGroup.id)/members/\(demoLearner)", token: token), .notFound, "not_found")

            // The demo tenant is untouched, and its admin cannot reach the other tenant either.
            let demoAdmin = try await server.token(DemoAccounts.admin)
            let demoUsers = try await server.get("/api/v1/admin/users", token: demoAdmin).decode(ItemList<User>.self).items
            #expect(demoUsers.count == 3 && demoUsers.allSatisfy { $0.status == .active })
            #expect(try await server.get("/api/v1/admin/groups", token: demoAdmin).decode(ItemList<LMSKit.Group>.self).items.map(\.name) == ["Cohort 2026"])
            expectError(try await server.delete("/api/v1/admin/groups/\(ownGroup.id)", token: demoAdmin), .notFound, "not_found")
            expectError(try await server.patch("/api/v1/admin/users/\(other.adminID)", token: demoAdmin, body: UpdateUserRequest(role: .learner)), .notFound, "not_found")
            let me = try await server.get("/api/v1/me", token: try await server.token(DemoAccounts.learner)).decode(MeResponse.self)
            #expect(me.groups.map(\.id) == [demoGroup])
        }
    }

    @Test("The instructor outline has answer keys and drift, for the instructor only", arguments: TestDatabase.all)
    func instructorOutline(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let instructor = try await server.token(DemoAccounts.instructor)
            let path = "/api/v1/instructor/courses/swift-fundamentals/outline"
            let response = try await server.get(path, token: instructor)
            #expect(response.status == .ok)
            let outline = try response.decode(InstructorOutline.self)
            #expect(outline.course.slug == "swift-fundamentals")
            #expect(outline.chapters.flatMap(\.lessons).count == 6)
            #expect(outline.structure.drift.isEmpty)
            #expect(outline.structure.lessonsCount == 6 && outline.structure.chaptersCount == 2)
            let questions = outline.chapters.flatMap(\.lessons).flatMap(\.questions)
            #expect(questions.count == 4)
            #expect(questions.allSatisfy { $0.options.contains(where: \.isCorrect) })
            #expect(outline.chapters.flatMap(\.lessons).first { $0.lesson.title == "Hello, world" }?.body?.contains("main.swift") == true)

            // Counters that disagree with the outline are reported.
            try await server.sql.raw("UPDATE courses SET lessons_count = 99, duration = 1 WHERE slug = 'swift-fundamentals'").run()
            let drifted = try await server.get(path, token: instructor).decode(InstructorOutline.self)
            let drift = Dictionary(uniqueKeysWithValues: drifted.structure.drift.map { ($0.field, $0) })
            #expect(drift["lessons_count"]?.stored == 99 && drift["lessons_count"]?.computed == 6)
            #expect(drift["duration"]?.stored == 1 && drift["duration"]?.computed == 2100)
            #expect(drift["chapters_count"] == nil)

            // Drafts for their instructor and platform admins; 404 for learners and a tenant's
            // admin (existence not revealed).
            #expect(try await server.get("/api/v1/instructor/courses/advanced-concurrency/outline", token: instructor).status == .ok)
            _ = try await server.createPlatformAdmin("root@platform.lms")
            #expect(try await server.get(path, token: try await server.token("root@platform.lms")).status == .ok)
            expectError(try await server.get(path, token: try await server.token(DemoAccounts.admin)), .notFound, "not_found")
            let learner = try await server.token(DemoAccounts.learner)
            expectError(try await server.get(path, token: learner), .notFound, "not_found")
            expectError(try await server.get("/api/v1/instructor/courses/advanced-concurrency/outline", token: learner), .notFound, "not_found")
            // Another instructor is not this course's instructor.
            _ = try await server.createUser("teacher2@demo.lms", role: .instructor)
            expectError(try await server.get(path, token: try await server.token("teacher2@demo.lms")), .notFound, "not_found")
        }
    }

    static let hostile = [
        "' OR 1=1 --", "' OR '1'='1", "%", "_", "%%", "\"; DROP TABLE users; --", "'; DROP TABLE courses; --", "Robert'); DROP TABLE groups;--",
        "\\", "\\'", "日本語 🎌 ñ é", "\u{0}", "a\u{202E}b", String(repeating: "x", count: 300),
    ]

    @Test("SQL metacharacters in input are plain data", arguments: TestDatabase.all)
    func sqlMetacharacters(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let learner = try await server.token(DemoAccounts.learner)
            let admin = try await server.token(DemoAccounts.admin)
            for text in Self.hostile {
                // PostgreSQL cannot store NUL in text: refusing it as invalid input is fine too.
                func refusedNUL(_ response: TestResponse) -> Bool {
                    text.contains("\u{0}") && response.status == .unprocessableEntity && response.errorCode == "validation_failed"
                }
                let login = try await server.post("/api/v1/auth/login", body: LoginRequest(email: text, password: text))
                #expect(login.status == .unauthorized || refusedNUL(login), "login with \(text.debugDescription): \(login.status) \(login.text)")
                let search = try await server.get("/api/v1/courses?q=\(query(text))", token: learner)
                // The schema's maxLength for q is 200.
                let tooLong = text.count > 200 && search.status == .unprocessableEntity && search.errorCode == "validation_failed"
                #expect(search.status == .ok || refusedNUL(search) || tooLong, "q=\(text.debugDescription): \(search.status) \(search.text)")
                let slug = try await server.get("/api/v1/courses/\(query(text))", token: learner)
                #expect(slug.status == .notFound || refusedNUL(slug), "slug \(text.debugDescription): \(slug.status)")
                let outline = try await server.get("/api/v1/instructor/courses/\(query(text))/outline", token: admin)
                #expect(outline.status == .notFound || refusedNUL(outline), "outline \(text.debugDescription): \(outline.status)")
                // Rate limiting must not stop this loop: a good login resets it.
                _ = try await server.login(DemoAccounts.learner)
            }
            #expect(try await server.get("/api/v1/courses?q=\(query("' OR 1=1 --"))", token: learner).decode(CatalogPage.self).items.isEmpty)

            // Group names are stored exactly as given.
            var created: [String] = []
            for text in Self.hostile where text != "\u{0}" && text.count <= 255 {
                let response = try await server.post("/api/v1/admin/groups", token: admin, body: CreateGroupRequest(name: "g " + text, description: text))
                #expect(response.status == .created, "group \(text.debugDescription): \(response.status) \(response.text)")
                if response.status == .created {
                    let group = try response.decode(LMSKit.Group.self)
                    #expect(group.name == "g " + text && group.description == text)
                    created.append(group.name)
                }
            }
            let nul = try await server.post("/api/v1/admin/groups", token: admin, body: CreateGroupRequest(name: "nul\u{0}byte"))
            #expect([201, 422].contains(nul.status.code), "NUL in a group name: \(nul.status) \(nul.text)")
            let groups = try await server.get("/api/v1/admin/groups", token: admin).decode(ItemList<LMSKit.Group>.self).items.map(\.name)
            #expect(Set(created).isSubset(of: Set(groups)))

            // Everything is still there.
            #expect(try await server.get("/api/v1/courses", token: learner).decode(CatalogPage.self).items.count == 4)
            #expect(try await server.get("/api/v1/admin/users", token: admin).decode(ItemList<User>.self).items.count == 3)
            #expect(try await server.count("users") == 3)
            #expect(try await server.count("courses") == 5)
            _ = try await server.login(DemoAccounts.instructor)
        }
    }
}
