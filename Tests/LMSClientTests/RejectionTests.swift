import Foundation
import LMSTestSupport
import LMSClient
import LMSKit
import Testing

@testable import LMSServer

@Suite("Refused offline work")
struct RejectionTests {
    @Test("refused attempts stay in the outbox with the server's reason; later work is still applied")
    func rejectedAttemptsAreKept() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let swiftQuiz = try await server.lessonID("Check your understanding")
            let aiueo = try await server.lessonID("あいうえお")
            let hiraganaQuiz = try await server.lessonID("Hiragana quiz 🈁")
            let install = try await server.lessonID("Installing the toolchain")

            // 1. The Swift quiz is still locked (four lessons before it are not done).
            let locked = try session.outboxWriter.enqueue(.quizSubmit(lessonID: swiftQuiz, QuizSubmission(
                clientAttemptID: UUID(), answers: try await server.correctAnswers(quiz: swiftQuiz))))
            // 2. Opens the hiragana quiz…
            try session.outboxWriter.enqueue(completion(aiueo, seconds: 360, at: wholeSecondsAgo(100)))
            // 3. …which gets an answer to a question that is not in it.
            let stranger = try session.outboxWriter.enqueue(.quizSubmit(lessonID: hiraganaQuiz, QuizSubmission(
                clientAttemptID: UUID(), answers: [QuizAnswer(questionID: UUID(), text: "a")])))
            // 4. Later work that is fine.
            try session.outboxWriter.enqueue(completion(install, seconds: 420, at: wholeSecondsAgo(50)))

            let report = try await session.engine().run()
            #expect(report.pushed == 2)
            #expect(report.newlyRejected.map(\.id) == [locked.id, stranger.id])

            let outbox = try session.outbox()
            #expect(outbox.map(\.id) == [locked.id, stranger.id])
            #expect(outbox.allSatisfy { $0.state == .rejected && $0.attempts == 1 })
            let lockedReason = try #require(outbox[0].rejection)
            #expect(lockedReason.code == .lessonLocked, "\(lockedReason)")
            #expect(lockedReason.message.contains("Complete"), "\(lockedReason.message)")
            let strangerReason = try #require(outbox[1].rejection)
            #expect(strangerReason.code == .validationFailed, "\(strangerReason)")
            #expect(strangerReason.message.contains("not part of this quiz"), "\(strangerReason.message)")

            // The work after them was applied; the refused attempts left no trace on the server.
            let rows = try await session.api.progress()
            #expect(rows.first { $0.lessonID == install }?.completed == true)
            #expect(rows.first { $0.lessonID == aiueo }?.completed == true)
            #expect(try await server.count("quiz_results", where: "user_id = \(bind: server.learnerID)") == 0)
            #expect(try await server.progressRows(lesson: swiftQuiz) == 0)
            #expect(try await server.progressRows(lesson: hiraganaQuiz) == 0)

            // The learner sees them; a later sync does not send them again.
            let snapshot = try session.snapshot()
            #expect(snapshot.rejected.map(\.id) == [locked.id, stranger.id])
            #expect(snapshot.pendingCount == 0 && snapshot.pendingAttempts.isEmpty)
            let status = try await CLI.run(["status"], home: home)
            #expect(status.status == 0, "\(status.all)")
            #expect(status.stdout.contains("Rejected:   2"), "\(status.stdout)")
            #expect(status.stdout.contains(lockedReason.message) && status.stdout.contains(strangerReason.message), "\(status.stdout)")
            let json = try await CLI.run(["status", "--json"], home: home)
            let parsed = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
            #expect((parsed["rejected"] as? [String]) == [lockedReason.message, strangerReason.message])
            #expect(parsed["pending"] as? Int == 0)

            let again = try await session.engine().run()
            #expect(again.pushed == 0 && again.duplicates == 0 && again.newlyRejected.isEmpty)
            #expect(try session.outbox().map(\.id) == [locked.id, stranger.id])
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == 4)
            try await expectConsistent(session, server)

            // Dismissed, they are gone for good.
            #expect(try session.outboxWriter.dismissRejected() == 2)
            #expect(try session.outbox().isEmpty)
        }
    }
}
