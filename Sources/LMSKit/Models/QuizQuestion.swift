import Foundation

/// One option of a question, the typed form of an element of `quiz_questions.options`.
///
/// For `short_answer` questions the options are the accepted answers (every one `correct`).
/// Hand-entered JSONB often omits ids and `correct`: an option without an id takes its position
/// in the list (a stable stand-in), and one without `correct` is wrong. It decodes itself for
/// that reason, through `Codable` on every path (JSON, and the text form of the column).
public struct QuizOption: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var text: String
    public var isCorrect: Bool

    public init(id: String, text: String, isCorrect: Bool = false) {
        self.id = id
        self.text = text
        self.isCorrect = isCorrect
    }

    enum CodingKeys: String, CodingKey {
        case id, text
        case isCorrect = "correct"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        isCorrect = try c.decodeIfPresent(Bool.self, forKey: .isCorrect) ?? false
        guard let id = try c.decodeIfPresent(String.self, forKey: .id) else {
            // The position in the options array, which is the last step of the coding path.
            guard let position = decoder.codingPath.last?.intValue else {
                throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: decoder.codingPath, debugDescription: "an option outside a list needs an id"))
            }
            self.id = String(position)
            return
        }
        self.id = id
    }
}

/// A row of `quiz_questions`, answer key included: instructors and the server grader only.
@Record
public struct QuizQuestion: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var lessonID: UUID
    public var question: String
    public var type: QuestionType = .singleChoice
    @Lenient public var options: [QuizOption] = []
    public var points: Int = 1
    public var position: Int = 0
    public var createdAt: Date
    public var updatedAt: Date

    /// What a learner may see: the same question without any answer key.
    public var learnerView: LearnerQuizQuestion {
        LearnerQuizQuestion(
            id: id, lessonID: lessonID, question: question, type: type,
            // Listing accepted short answers would give them away.
            options: type == .shortAnswer ? [] : options.map { LearnerQuizOption(id: $0.id, text: $0.text) },
            points: points, position: position)
    }
}

@Record
public struct LearnerQuizOption: Hashable, Sendable, Identifiable {
    public var id: String
    public var text: String
}

/// A question as a learner receives it. It has no field that could hold an answer key, so no
/// code path can leak one by accident.
@Record
public struct LearnerQuizQuestion: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var lessonID: UUID
    public var question: String
    public var type: QuestionType
    public var options: [LearnerQuizOption]
    public var points: Int
    public var position: Int
}

/// A learner's answer to one question: chosen option ids for choice questions, text for short answers.
@Record
public struct QuizAnswer: Hashable, Sendable {
    public var questionID: UUID
    @Lenient @Field("selected") public var selectedOptionIDs: [String] = []
    public var text: String?
}

/// One graded answer, as stored in `quiz_results.answers`.
@Record
public struct GradedAnswer: Hashable, Sendable {
    public var questionID: UUID
    @Field("selected") public var selectedOptionIDs: [String]
    public var text: String?
    @Field("correct") public var isCorrect: Bool
    public var pointsAwarded: Int
    public var pointsPossible: Int
}
