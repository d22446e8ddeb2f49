import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

/// One learner's devices write at the same time: nothing may fail with "database is locked",
/// be stored twice or be awarded twice (SQLite's single writer, PostgreSQL's row lock).
@Suite("Concurrent writes")
struct ConcurrencyTests {
    @Test("Simultaneous submissions of one attempt store it once; simultaneous upserts all succeed", arguments: TestDatabase.all)
    func simultaneousWrites(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let quiz = try await server.unlockSwiftQuiz(token: token)
            let submission = QuizSubmission(clientAttemptID: UUID(), answers: try await server.correctAnswers(quiz: quiz))
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: submission).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .ok }.count == 7, "\(statuses)")
            #expect(try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: token).decode(ItemList<QuizResult>.self).items.count == 1)

            // The quiz lesson completes by passing its quiz, not through progress.
            let lessons = try await server.lessonIDs(ofCourse: "swift-fundamentals").filter { $0 != quiz }
            let upserts = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for (index, lesson) in (lessons + lessons).enumerated() {
                    group.addTask {
                        try await server.put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: lesson, progressSeconds: index, completed: true)).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(upserts.allSatisfy { $0 == .ok }, "\(upserts)")
            let progress = try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self).items
            #expect(progress.count == lessons.count + 1)
            let badges = try await server.get("/api/v1/me/badges", token: token).decode(ItemList<EarnedBadge>.self).items
            #expect(Set(badges.map(\.badge.id)).count == badges.count, "a badge was awarded twice")
        }
    }

    @Test("The same batch pushed from two devices at once is applied once", arguments: TestDatabase.all)
    func simultaneousPushes(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let quiz = try await server.unlockSwiftQuiz(token: token)
            let answers = try await server.correctAnswers(quiz: quiz)
            let batch = SyncPushRequest(clientID: UUID(), mutations: [
                SyncTests.progressMutation(try await server.lessonID("What a shell does")),
                SyncTests.progressMutation(try await server.lessonID("Pipes and redirection")),
                SyncMutation(id: UUID(), createdAt: Date(), kind: .quizSubmit(lessonID: quiz, QuizSubmission(clientAttemptID: UUID(), answers: answers))),
            ])
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<4 { group.addTask { try await server.post("/api/v1/sync/push", token: token, body: batch) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == .ok }, "\(responses.map(\.status))")
            let results = try responses.map { try $0.decode(SyncPushResponse.self).results }
            #expect(results.filter { $0.allSatisfy { $0.status == .applied } }.count == 1)
            #expect(results.filter { $0.allSatisfy { $0.status == .duplicate } }.count == 3)
            #expect(Set(results.compactMap { $0.last?.quizResult?.id }).count == 1)
            #expect(try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: token).decode(ItemList<QuizResult>.self).items.count == 1)
        }
    }
}
