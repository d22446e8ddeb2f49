import Foundation

/// The share of points needed to pass a quiz.
///
/// The platform default is 70 %, the usual "C" line in schools and what most LMSs suggest;
/// a course overrides it for all its quizzes with `courses.quiz_pass_percent` (0...100).
public struct QuizPassMark: Hashable, Sendable {
    public static let defaultPercent = 70
    public var percent: Int

    public init(percent: Int = QuizPassMark.defaultPercent) {
        self.percent = min(100, max(0, percent))
    }

    public init(course: Course) {
        self.init(percent: course.quizPassPercent ?? Self.defaultPercent)
    }

    /// Integer arithmetic: 7 of 10 passes at 70 %, 6.99 never rounds up. A quiz worth no points
    /// has nothing to fail and passes.
    public func isPassed(score: Int, maxScore: Int) -> Bool {
        maxScore <= 0 || score * 100 >= percent * maxScore
    }
}

public enum QuizGradingError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownQuestion(UUID)
    case duplicateAnswer(UUID)

    public var description: String {
        switch self {
        case .unknownQuestion(let id): "Answer given for question \(id), which is not part of this quiz"
        case .duplicateAnswer(let id): "Question \(id) was answered more than once"
        }
    }
}

public struct QuizGrade: Hashable, Sendable {
    public var score: Int
    public var maxScore: Int
    public var passed: Bool
    /// One entry per question of the quiz, in question order, unanswered ones included.
    public var answers: [GradedAnswer]
}

/// Grades a quiz attempt. Every question is all-or-nothing:
/// - `single_choice` and `true_false`: exactly the one correct option chosen;
/// - `multiple_choice`: the chosen set equals the correct set (no partial credit, as in Moodle's
///   "all or nothing" mode, so guessing every box never pays);
/// - `short_answer`: the text, trimmed, with runs of white space collapsed and compared without
///   case, equals one of the accepted answers;
/// - a question type this build does not know scores nothing but still counts toward `max_score`,
///   so a newer quiz never grades higher than it should.
public enum QuizGrader {
    public static func grade(
        questions: [QuizQuestion], answers: [QuizAnswer], passMark: QuizPassMark = QuizPassMark()
    ) throws(QuizGradingError) -> QuizGrade {
        let questionIDs = Set(questions.map(\.id))
        var byQuestion: [UUID: QuizAnswer] = [:]
        for answer in answers {
            guard questionIDs.contains(answer.questionID) else { throw .unknownQuestion(answer.questionID) }
            guard byQuestion.updateValue(answer, forKey: answer.questionID) == nil else {
                throw .duplicateAnswer(answer.questionID)
            }
        }

        var score = 0
        var maxScore = 0
        var graded: [GradedAnswer] = []
        for question in questions.sorted(by: { $0.position != $1.position ? $0.position < $1.position : $0.id.precedes($1.id) }) {
            let points = max(0, question.points)
            let answer = byQuestion[question.id]
            let correct = answer.map { isCorrect($0, for: question) } ?? false
            maxScore += points
            if correct { score += points }
            graded.append(
                GradedAnswer(
                    questionID: question.id, selectedOptionIDs: answer?.selectedOptionIDs ?? [],
                    text: answer?.text, isCorrect: correct, pointsAwarded: correct ? points : 0,
                    pointsPossible: points))
        }
        return QuizGrade(
            score: score, maxScore: maxScore, passed: passMark.isPassed(score: score, maxScore: maxScore),
            answers: graded)
    }

    public static func isCorrect(_ answer: QuizAnswer, for question: QuizQuestion) -> Bool {
        let correctIDs = Set(question.options.filter(\.isCorrect).map(\.id))
        let chosen = Set(answer.selectedOptionIDs)
        switch question.type {
        case .singleChoice, .trueFalse:
            return answer.selectedOptionIDs.count == 1 && correctIDs.contains(answer.selectedOptionIDs[0])
        case .multipleChoice:
            return !correctIDs.isEmpty && chosen == correctIDs
        case .shortAnswer:
            guard let text = answer.text else { return false }
            let given = normalize(text)
            return !given.isEmpty && question.options.contains { normalize($0.text) == given }
        case .other:
            return false
        }
    }

    /// Trimmed, inner white space collapsed to one space, compared without case.
    static func normalize(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }
}

/// A course's quiz figure, as the app and `lms progress` both show it: each quiz's best score,
/// averaged over the quizzes taken. A quiz failed at 40 % and then passed at 100 % counts 100 %:
/// what the learner knows now, not an average of their attempts.
public struct QuizSummary: Hashable, Sendable {
    /// Percent, rounded down.
    public let averageOfBest: Int
    public let taken: Int
    public let quizzes: Int

    /// nil when no quiz of the course was taken.
    public static func of(results: [QuizResult], quizLessons: Set<UUID>) -> QuizSummary? {
        var best: [UUID: QuizResult] = [:]
        for result in results where quizLessons.contains(result.lessonID) {
            if let kept = best[result.lessonID], kept.percent >= result.percent { continue }
            best[result.lessonID] = result
        }
        guard !best.isEmpty else { return nil }
        let total = best.values.reduce(0) { $0 + $1.percent }
        return QuizSummary(averageOfBest: total / best.count, taken: best.count, quizzes: quizLessons.count)
    }

    /// "best quiz scores 85% (2 of 3 quizzes taken)".
    public var text: String {
        "best quiz scores \(averageOfBest)% (\(taken) of \(Words.count(quizzes, "quiz", plural: "quizzes")) taken)"
    }
}
