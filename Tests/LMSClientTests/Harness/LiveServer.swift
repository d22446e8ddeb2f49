import Foundation
import LMSKit
import LMSTestSupport
import SQLKit

@testable import LMSServer

extension LiveServer {
    /// Progress rows of the demo learner for one lesson (must never exceed 1).
    func progressRows(lesson: UUID, user: UUID? = nil) async throws -> Int {
        try await count("user_progress", where: "user_id = \(bind: user ?? learnerID) AND lesson_id = \(bind: lesson)")
    }

    /// The right answers to a quiz, from the instructor's view of the questions.
    func correctAnswers(quiz lessonID: UUID) async throws -> [QuizAnswer] {
        let questions = try await CourseStore(db: try sql).questions(lessonID: lessonID)
        return questions.sorted { $0.position < $1.position }.map { question in
            question.type == .shortAnswer
                ? QuizAnswer(questionID: question.id, text: question.options.first?.text)
                : QuizAnswer(questionID: question.id, selectedOptionIDs: question.options.filter(\.isCorrect).map(\.id))
        }
    }
}
