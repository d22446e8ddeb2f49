import Foundation

/// A row of `user_progress`: one learner's state on one lesson.
public struct UserProgress: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var courseID: UUID
    public var lessonID: UUID
    public var completed: Bool
    /// Seconds watched, for video lessons.
    public var progressSeconds: Int
    public var completedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, userID: UUID, courseID: UUID, lessonID: UUID, completed: Bool = false,
        progressSeconds: Int = 0, completedAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.courseID = courseID
        self.lessonID = lessonID
        self.completed = completed
        self.progressSeconds = progressSeconds
        self.completedAt = completedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case courseID = "course_id"
        case lessonID = "lesson_id"
        case completed
        case progressSeconds = "progress_seconds"
        case completedAt = "completed_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A row of `quiz_results`: one graded attempt. Append-only.
///
/// `client_attempt_id` is added to the seed's table by the server's migrations: it makes an
/// attempt taken offline and replayed on sync land exactly once.
public struct QuizResult: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var lessonID: UUID
    public var score: Int
    public var maxScore: Int
    public var passed: Bool
    public var answers: [GradedAnswer]
    public var attemptNumber: Int
    public var clientAttemptID: UUID?
    public var completedAt: Date
    public var createdAt: Date

    public init(
        id: UUID, userID: UUID, lessonID: UUID, score: Int, maxScore: Int, passed: Bool,
        answers: [GradedAnswer], attemptNumber: Int = 1, clientAttemptID: UUID? = nil, completedAt: Date,
        createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.lessonID = lessonID
        self.score = score
        self.maxScore = maxScore
        self.passed = passed
        self.answers = answers
        self.attemptNumber = attemptNumber
        self.clientAttemptID = clientAttemptID
        self.completedAt = completedAt
        self.createdAt = createdAt
    }

    /// Whole percent, rounded down; 100 when there was nothing to score.
    public var percent: Int { maxScore > 0 ? score * 100 / maxScore : 100 }
    public var isPerfect: Bool { score >= maxScore }

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case lessonID = "lesson_id"
        case score
        case maxScore = "max_score"
        case passed, answers
        case attemptNumber = "attempt_number"
        case clientAttemptID = "client_attempt_id"
        case completedAt = "completed_at"
        case createdAt = "created_at"
    }
}
