import Foundation

/// One option of a question, the typed form of an element of `quiz_questions.options`.
///
/// For `short_answer` questions the options are the accepted answers (every one `correct`).
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
}

/// A row of `quiz_questions`, answer key included: instructors and the server grader only.
public struct QuizQuestion: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var lessonID: UUID
    public var question: String
    public var type: QuestionType
    public var options: [QuizOption]
    public var points: Int
    public var position: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, lessonID: UUID, question: String, type: QuestionType = .singleChoice,
        options: [QuizOption] = [], points: Int = 1, position: Int = 0, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.lessonID = lessonID
        self.question = question
        self.type = type
        self.options = options
        self.points = points
        self.position = position
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case lessonID = "lesson_id"
        case question, type, options, points, position
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        lessonID = try c.decode(UUID.self, forKey: .lessonID)
        question = try c.decode(String.self, forKey: .question)
        type = try c.decode(QuestionType.self, forKey: .type)
        options = Self.tolerantOptions(try c.decodeIfPresent([LooseOption].self, forKey: .options) ?? [])
        points = try c.decode(Int.self, forKey: .points)
        position = try c.decode(Int.self, forKey: .position)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
    }

    private struct LooseOption: Decodable {
        var id: String?
        var text: String
        var correct: Bool?
    }

    private static func tolerantOptions(_ loose: [LooseOption]) -> [QuizOption] {
        // Hand-entered JSONB often omits ids; the position is a stable stand-in.
        loose.enumerated().map { index, option in
            QuizOption(id: option.id ?? String(index), text: option.text, isCorrect: option.correct ?? false)
        }
    }

    /// Reads the `options` JSONB column on its own, with the same tolerance as a whole question.
    public static func decodeOptions(from json: Data) throws -> [QuizOption] {
        tolerantOptions(try JSONDecoder().decode([LooseOption].self, from: json))
    }

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
public struct QuizAnswer: Codable, Hashable, Sendable {
    public var questionID: UUID
    public var selectedOptionIDs: [String]
    public var text: String?

    public init(questionID: UUID, selectedOptionIDs: [String] = [], text: String? = nil) {
        self.questionID = questionID
        self.selectedOptionIDs = selectedOptionIDs
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case questionID = "question_id"
        case selectedOptionIDs = "selected"
        case text
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        questionID = try c.decode(UUID.self, forKey: .questionID)
        selectedOptionIDs = try c.decodeIfPresent([String].self, forKey: .selectedOptionIDs) ?? []
        text = try c.decodeIfPresent(String.self, forKey: .text)
    }
}

/// One graded answer, as stored in `quiz_results.answers`.
public struct GradedAnswer: Codable, Hashable, Sendable {
    public var questionID: UUID
    public var selectedOptionIDs: [String]
    public var text: String?
    public var isCorrect: Bool
    public var pointsAwarded: Int
    public var pointsPossible: Int

    public init(
        questionID: UUID, selectedOptionIDs: [String], text: String?, isCorrect: Bool, pointsAwarded: Int,
        pointsPossible: Int
    ) {
        self.questionID = questionID
        self.selectedOptionIDs = selectedOptionIDs
        self.text = text
        self.isCorrect = isCorrect
        self.pointsAwarded = pointsAwarded
        self.pointsPossible = pointsPossible
    }

    enum CodingKeys: String, CodingKey {
        case questionID = "question_id"
        case selectedOptionIDs = "selected"
        case text
        case isCorrect = "correct"
        case pointsAwarded = "points_awarded"
        case pointsPossible = "points_possible"
    }
}
