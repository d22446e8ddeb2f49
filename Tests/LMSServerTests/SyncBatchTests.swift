import Foundation
import LMSKit
import LMSTestSupport
import Testing
import Vapor

@testable import LMSServer

/// A push spread over many courses is applied as one set-based batch; it must come to exactly
/// what the same work pushed one mutation at a time comes to.
@Suite("Pushes over many courses")
struct SyncBatchTests {
    /// Work over four courses, in the order a learner did it offline: completions in two free
    /// courses (finishing Swift Fundamentals with its quiz), a free lesson of a paid course, a
    /// lesson out of order (locked until the one before is done), a lesson of a course not bought.
    static func work(_ server: TestServer) async throws -> [SyncMutation.Kind] {
        func complete(_ title: String) async throws -> SyncMutation.Kind {
            .progressUpsert(ProgressUpsert(lessonID: try await server.lessonID(title), progressSeconds: 60, completed: true, completedAt: Date()))
        }
        let quiz = try await server.lessonID("Check your understanding")
        return [
            try await complete("Welcome to Swift"),
            try await complete("Hello, world"),
            try await complete("Installing the toolchain"),
            try await complete("Hello, world"),
            try await complete("あいうえお"),
            try await complete("What a shell does"),
            try await complete("Keys and constraints"),
            .progressUpsert(ProgressUpsert(lessonID: try await server.lessonID("Why relational?"), progressSeconds: 30)),
            try await complete("Constants and variables"),
            try await complete("Optionals explained"),
            .quizSubmit(lessonID: quiz, QuizSubmission(clientAttemptID: UUID(), answers: try await server.correctAnswers(quiz: quiz))),
        ]
    }

    /// The kind again with a fresh client attempt id (each learner's attempt is their own).
    static func fresh(_ kind: SyncMutation.Kind) -> SyncMutation.Kind {
        guard case .quizSubmit(let lesson, var submission) = kind else { return kind }
        submission.clientAttemptID = UUID()
        return .quizSubmit(lessonID: lesson, submission)
    }

    struct Outcome: Equatable {
        var statuses: [String]
        var progress: [String]
        var badges: Set<UUID>
        var feed: [String: Int]
    }

    static func outcome(_ server: TestServer, token: String, results: [MutationResult]) async throws -> Outcome {
        let progress = try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self).items
            .map { "\($0.lessonID) \($0.completed) \($0.progressSeconds)" }.sorted()
        let badges = Set(try await server.get("/api/v1/me/badges", token: token).decode(ItemList<EarnedBadge>.self).items.map(\.badge.id))
        let (changes, _, _) = try await SyncTests.pullAll(server, token: token, limit: 500)
        var feed: [String: Int] = [:]
        for change in changes where [.progress, .quizResult, .userBadge].contains(change.entity) { feed[change.entity.rawValue, default: 0] += 1 }
        let statuses = results.map { "\($0.status.rawValue) \($0.error?.code.rawValue ?? "-")" }
        return Outcome(statuses: statuses, progress: progress, badges: badges, feed: feed)
    }

    @Test("one batch over four courses = the same mutations pushed one by one: rows, badges, feed, refusals; a replay changes nothing",
          arguments: TestDatabase.all)
    func batchEqualsSingles(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            _ = try await server.createUser("batch@demo.lms")
            _ = try await server.createUser("single@demo.lms")
            let batchToken = try await server.token("batch@demo.lms")
            let singleToken = try await server.token("single@demo.lms")
            let work = try await Self.work(server)

            let batch = SyncPushRequest(clientID: UUID(), mutations: work.map { SyncMutation(id: UUID(), createdAt: Date(), kind: Self.fresh($0)) })
            let batchResults = try await server.post("/api/v1/sync/push", token: batchToken, body: batch).decode(SyncPushResponse.self).results
            var singleResults: [MutationResult] = []
            for kind in work {
                let one = SyncPushRequest(clientID: UUID(), mutations: [SyncMutation(id: UUID(), createdAt: Date(), kind: Self.fresh(kind))])
                singleResults += try await server.post("/api/v1/sync/push", token: singleToken, body: one).decode(SyncPushResponse.self).results
            }

            let batched = try await Self.outcome(server, token: batchToken, results: batchResults)
            let single = try await Self.outcome(server, token: singleToken, results: singleResults)
            #expect(batched == single)
            #expect(batched.statuses.filter { $0.hasPrefix("rejected") } == ["rejected lesson_locked", "rejected purchase_required"], "\(batched.statuses)")
            #expect(batched.badges.count >= 4, "Swift finished with a perfect quiz: \(batched.badges)")
            // Badges come once, on the batch's last applied mutation.
            #expect(batchResults.flatMap(\.awardedBadges).count == batched.badges.count)

            // The same batch again: every mutation a duplicate, nothing new anywhere.
            let replay = try await server.post("/api/v1/sync/push", token: batchToken, body: batch).decode(SyncPushResponse.self).results
            #expect(replay.allSatisfy { $0.status == .duplicate || $0.status == .rejected })
            #expect(replay.map(\.id) == batchResults.map(\.id))
            let again = try await Self.outcome(server, token: batchToken, results: batchResults)
            #expect(again == batched)
        }
    }
}
