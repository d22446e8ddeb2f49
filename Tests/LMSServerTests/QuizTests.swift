import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Quizzes")
struct QuizTests {
    @Test("A correct attempt is graded, replays are idempotent, attempts are numbered", arguments: TestDatabase.all)
    func attempts(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let quiz = try await server.unlockSwiftQuiz(token: token)
            let answers = try await server.correctAnswers(quiz: quiz)
            #expect(answers.count == 4)
            let badgeNames = Dictionary(uniqueKeysWithValues: try await server.get("/api/v1/badges", token: token)
                .decode(ItemList<Badge>.self).items.map { ($0.id, $0.name) })

            let attemptID = UUID()
            let first = try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: attemptID, answers: answers))
            #expect(first.status == .created, "\(first.text)")
            let graded = try first.decode(QuizAttemptResponse.self)
            #expect(graded.replayed == false)
            #expect(graded.result.score == 5 && graded.result.maxScore == 5 && graded.result.passed)
            #expect(graded.result.attemptNumber == 1)
            #expect(graded.result.clientAttemptID == attemptID)
            #expect(graded.result.answers.allSatisfy { $0.isCorrect })
            let awarded = Set(graded.awardedBadges.compactMap { badgeNames[$0.badgeID] })
            #expect(awarded.isSuperset(of: ["Perfectionist", "Quiz Whiz"]), "\(awarded)")

            // The same client_attempt_id again: the stored result, nothing new.
            let replay = try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: attemptID, answers: []))
            #expect(replay.status == .ok)
            let replayed = try replay.decode(QuizAttemptResponse.self)
            #expect(replayed.replayed && replayed.result.id == graded.result.id && replayed.result.score == 5)
            #expect(replayed.awardedBadges.isEmpty)
            let list = try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: token).decode(ItemList<QuizResult>.self)
            #expect(list.items.map(\.id) == [graded.result.id])

            // A second, wrong attempt.
            let wrong = answers.map { QuizAnswer(questionID: $0.questionID, selectedOptionIDs: ["c"], text: "null") }
            let second = try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: wrong))
            #expect(second.status == .created)
            let secondResult = try second.decode(QuizAttemptResponse.self).result
            #expect(secondResult.attemptNumber == 2 && !secondResult.passed && secondResult.score == 0)
            let both = try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: token).decode(ItemList<QuizResult>.self)
            #expect(both.items.map(\.attemptNumber) == [1, 2])

            // The passed quiz completed its lesson, and a failed attempt does not undo that.
            let progress = try await server.get("/api/v1/progress", token: token).decode(ItemList<UserProgress>.self)
            #expect(progress.items.first { $0.lessonID == quiz }?.completed == true)
            let mine = try await server.get("/api/v1/me/badges", token: token).decode(ItemList<EarnedBadge>.self).items.map(\.badge.name)
            #expect(mine.filter { $0 == "Perfectionist" }.count == 1)
        }
    }

    @Test("Unknown questions, duplicate answers and non-quiz lessons are 422; locked quizzes 403", arguments: TestDatabase.all)
    func invalidSubmissions(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let quiz = try await server.lessonID("Check your understanding")
            expectError(
                try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: [])),
                .forbidden, "lesson_locked")
            _ = try await server.unlockSwiftQuiz(token: token)
            let unknown = QuizSubmission(clientAttemptID: UUID(), answers: [QuizAnswer(questionID: UUID(), selectedOptionIDs: ["a"])])
            expectError(try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: unknown), .unprocessableEntity, "validation_failed")
            let answer = try #require(try await server.correctAnswers(quiz: quiz).first)
            let twice = QuizSubmission(clientAttemptID: UUID(), answers: [answer, answer])
            expectError(try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: twice), .unprocessableEntity, "validation_failed")
            let text = try await server.lessonID("Hello, world")
            expectError(
                try await server.post("/api/v1/lessons/\(text)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: [])),
                .unprocessableEntity, "validation_failed")
            expectError(
                try await server.post("/api/v1/lessons/\(UUID())/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: [])),
                .notFound, "not_found")
            // Nothing was stored by the refused attempts.
            #expect(try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: token).decode(ItemList<QuizResult>.self).items.isEmpty)

            // Unanswered questions count toward max_score: one right answer out of 5 points fails.
            let partial = try await server.post(
                "/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: [answer]))
            let result = try partial.decode(QuizAttemptResponse.self).result
            #expect(result.score == 1 && result.maxScore == 5 && !result.passed)
        }
    }

    @Test("A course's pass mark applies", arguments: TestDatabase.all)
    func passMark(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            // Terminal Mastery (owned by the learner) passes at 80 %: one of two questions fails.
            let token = try await server.token(DemoAccounts.learner)
            try await server.complete([try await server.lessonID("What a shell does"), try await server.lessonID("Pipes and redirection")], token: token)
            let quiz = try await server.lessonID("Shell quiz")
            let answers = try await server.correctAnswers(quiz: quiz)
            let half = try await server.post(
                "/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: [answers[0]]))
            let result = try half.decode(QuizAttemptResponse.self).result
            #expect(result.score == 1 && result.maxScore == 2 && !result.passed)
            let full = try await server.post(
                "/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: answers))
            #expect(try full.decode(QuizAttemptResponse.self).result.passed)
        }
    }
}
