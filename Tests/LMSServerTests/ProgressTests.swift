import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Progress and badges")
struct ProgressTests {
    @Test("Upserts merge: seconds grow, completion stays, the earliest completion wins", arguments: TestDatabase.all)
    func merge(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let lesson = try await server.lessonID("Installing the toolchain")  // seeded with 140 s, not completed
            func upsert(_ update: ProgressUpsert) async throws -> ProgressUpsertResponse {
                let response = try await server.put("/api/v1/progress", token: token, body: update)
                try #require(response.status == .ok, "\(response.status) \(response.text)")
                return try response.decode(ProgressUpsertResponse.self)
            }
            let day = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
            let early = day.addingTimeInterval(-3 * 3600), later = day.addingTimeInterval(-3600)

            var row = try await upsert(ProgressUpsert(lessonID: lesson, progressSeconds: 100)).progress
            #expect(row.progressSeconds == 140 && !row.completed && row.completedAt == nil)
            let id = row.id
            row = try await upsert(ProgressUpsert(lessonID: lesson, progressSeconds: 200)).progress
            #expect(row.progressSeconds == 200)
            row = try await upsert(ProgressUpsert(lessonID: lesson, progressSeconds: 50, completed: true, completedAt: later)).progress
            #expect(row.completed && row.progressSeconds == 200 && row.completedAt == later)
            row = try await upsert(ProgressUpsert(lessonID: lesson, progressSeconds: 0, completed: false)).progress
            #expect(row.completed && row.progressSeconds == 200 && row.completedAt == later)
            row = try await upsert(ProgressUpsert(lessonID: lesson, completed: true, completedAt: early)).progress
            #expect(row.completedAt == early)
            row = try await upsert(ProgressUpsert(lessonID: lesson, completed: true, completedAt: day)).progress
            #expect(row.completedAt == early)
            // A completion "in the future" is taken as now.
            let next = try await server.lessonID("Hello, world")
            let future = try await upsert(ProgressUpsert(lessonID: next, completed: true, completedAt: Date().addingTimeInterval(86_400))).progress
            #expect(try #require(future.completedAt) <= Date().addingTimeInterval(5))

            // Still one row per lesson, with a stable id.
            let list = try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self)
            #expect(list.items.filter { $0.lessonID == lesson }.map(\.id) == [id])
        }
    }

    @Test("Locked lessons and bad input are refused", arguments: TestDatabase.all)
    func refused(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let hello = try await server.lessonID("Hello, world")
            expectError(
                try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: hello, progressSeconds: 5)),
                .forbidden, "lesson_locked")
            expectError(
                try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: try await server.lessonID("Indexes"), completed: true)),
                .forbidden, "purchase_required")
            expectError(
                try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: try await server.lessonID("Welcome to Swift"), progressSeconds: -1)),
                .unprocessableEntity, "validation_failed", messageContains: "progress_seconds")
            expectError(
                try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: UUID(), progressSeconds: 1)),
                .notFound, "not_found")
            let drafted = try await server.lessonID("Isolation domains")
            expectError(try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: drafted)), .notFound, "not_found")
            // Nothing was written.
            let list = try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self)
            #expect(list.items.count == 2)
        }
    }

    @Test("GET /progress filters by course", arguments: TestDatabase.all)
    func listByCourse(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            try await server.complete([try await server.lessonID("あいうえお")], token: token)
            let swift = try await server.courseID("swift-fundamentals")
            let japanese = try await server.courseID("japanese-for-beginners")

            let all = try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self)
            #expect(all.items.count == 3)
            let swiftRows = try await server.get("/api/v1/progress?course_id=\(swift)", token: token).decode(ItemList<UserProgress>.self)
            #expect(swiftRows.items.count == 2 && swiftRows.items.allSatisfy { $0.courseID == swift })
            let japaneseRows = try await server.get("/api/v1/progress?course_id=\(japanese.uuidString.lowercased())", token: token)
                .decode(ItemList<UserProgress>.self)
            #expect(japaneseRows.items.map(\.courseID) == [japanese])
            #expect(try await server.get("/api/v1/progress?course_id=\(UUID())", token: token).decode(ItemList<UserProgress>.self).items.isEmpty)
            let bad = try await server.get("/api/v1/progress?course_id=nope", token: token)
            #expect([400, 422].contains(bad.status.code), "\(bad.status) \(bad.text)")
            #expect(all.items.allSatisfy { $0.userID == server.demo.learnerID })
        }
    }

    @Test("Completing a course awards its badge exactly once", arguments: TestDatabase.all)
    func courseBadge(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let badges = try await server.get("/api/v1/badges", token: token).decode(ItemList<Badge>.self).items
            let names = Dictionary(uniqueKeysWithValues: badges.map { ($0.id, $0.name) })
            #expect(Set(names.values) == ["First Steps", "Quiz Whiz", "Perfectionist", "Swift Graduate", "Three Day Streak", "Explorer"])
            func earned() async throws -> [String] {
                try await server.get("/api/v1/me/badges", token: token).decode(ItemList<EarnedBadge>.self).items.map(\.badge.name).sorted()
            }
            #expect(try await earned() == ["First Steps"])

            let lessons = try await server.lessonIDs(ofCourse: "swift-fundamentals")
            #expect(lessons.count == 6)
            var awarded: [String] = []
            for (index, lesson) in lessons.enumerated() {
                let awardedNow: [UserBadge]
                if index == lessons.count - 1 {
                    // The last lesson is the quiz: marking it complete is refused, passing it completes it.
                    let refused = try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: lesson, completed: true))
                    #expect(refused.status == .unprocessableEntity, "\(refused.text)")
                    let submission = QuizSubmission(clientAttemptID: UUID(), answers: try await server.correctAnswers(quiz: lesson))
                    let response = try await server.post("/api/v1/lessons/\(lesson)/quiz/attempts", token: token, body: submission)
                    try #require(response.status == .created, "quiz: \(response.text)")
                    awardedNow = try response.decode(QuizAttemptResponse.self).awardedBadges
                } else {
                    let response = try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: lesson, progressSeconds: 30, completed: true))
                    try #require(response.status == .ok, "lesson \(index): \(response.text)")
                    awardedNow = try response.decode(ProgressUpsertResponse.self).awardedBadges
                }
                let names = awardedNow.compactMap { names[$0.badgeID] }
                if index < lessons.count - 1 { #expect(!names.contains("Swift Graduate"), "awarded before the last lesson") }
                awarded += names
            }
            #expect(awarded.filter { $0 == "Swift Graduate" }.count == 1)
            #expect(!awarded.contains("First Steps"))

            // Sending everything again awards nothing more.
            for lesson in lessons.dropLast() {
                let again = try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: lesson, progressSeconds: 30, completed: true))
                #expect(try again.decode(ProgressUpsertResponse.self).awardedBadges.isEmpty)
            }
            let mine = try await server.get("/api/v1/me/badges", token: token).decode(ItemList<EarnedBadge>.self).items
            #expect(mine.filter { $0.badge.name == "Swift Graduate" }.count == 1)
            #expect(mine.allSatisfy { $0.award.userID == server.demo.learnerID })
            #expect(try await earned().contains("First Steps"))
        }
    }
}
