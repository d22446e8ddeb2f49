import Foundation

/// A row of `user_progress`: one learner's state on one lesson.
@Record
public struct UserProgress: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var courseID: UUID
    public var lessonID: UUID
    public var completed: Bool = false
    /// Seconds watched, for video lessons.
    public var progressSeconds: Int = 0
    public var completedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A row of `quiz_results`: one graded attempt. Append-only.
///
/// `client_attempt_id` is added to the seed's table by the server's migrations: it makes an
/// attempt taken offline and replayed on sync land exactly once.
@Record
public struct QuizResult: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var lessonID: UUID
    public var score: Int
    public var maxScore: Int
    public var passed: Bool
    public var answers: [GradedAnswer]
    public var attemptNumber: Int = 1
    public var clientAttemptID: UUID?
    public var completedAt: Date
    public var createdAt: Date

    /// Whole percent, rounded down; 100 when there was nothing to score.
    public var percent: Int { maxScore > 0 ? score * 100 / maxScore : 100 }
    public var isPerfect: Bool { score >= maxScore }
}
