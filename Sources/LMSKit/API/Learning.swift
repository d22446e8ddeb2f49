import Foundation

/// `PUT /api/v1/progress`: report watching or completion. The server merges it into the stored
/// row with `ProgressMerge`, so repeating or reordering upserts never loses progress.
@Record
public struct ProgressUpsert: Hashable, Sendable {
    public var lessonID: UUID
    @Lenient public var progressSeconds: Int = 0
    @Lenient public var completed: Bool = false
    /// When the learner finished, if they did (taken offline, this is earlier than the sync).
    public var completedAt: Date?

    /// A week: more than any lesson is watched for, and far below where a counter could overflow.
    public static let maximumSeconds = 7 * 24 * 3600
}

public struct ProgressUpsertResponse: Codable, Hashable, Sendable {
    public var progress: UserProgress
    /// Badges this update earned, if any.
    public var awardedBadges: [UserBadge]

    public init(progress: UserProgress, awardedBadges: [UserBadge] = []) {
        self.progress = progress
        self.awardedBadges = awardedBadges
    }

    enum CodingKeys: String, CodingKey {
        case progress
        case awardedBadges = "awarded_badges"
    }
}

/// `POST /api/v1/lessons/{id}/quiz/attempts`. `client_attempt_id` makes the submission
/// idempotent: sending it again returns the stored result and creates nothing.
public struct QuizSubmission: Codable, Hashable, Sendable {
    public var clientAttemptID: UUID
    public var answers: [QuizAnswer]
    /// When the learner submitted, for attempts taken offline.
    public var completedAt: Date?

    public init(clientAttemptID: UUID, answers: [QuizAnswer], completedAt: Date? = nil) {
        self.clientAttemptID = clientAttemptID
        self.answers = answers
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case clientAttemptID = "client_attempt_id"
        case answers
        case completedAt = "completed_at"
    }
}

public struct QuizAttemptResponse: Codable, Hashable, Sendable {
    public var result: QuizResult
    public var awardedBadges: [UserBadge]
    /// True when this was a replay of an attempt already stored.
    public var replayed: Bool

    public init(result: QuizResult, awardedBadges: [UserBadge] = [], replayed: Bool = false) {
        self.result = result
        self.awardedBadges = awardedBadges
        self.replayed = replayed
    }

    enum CodingKeys: String, CodingKey {
        case result
        case awardedBadges = "awarded_badges"
        case replayed
    }
}

/// `POST /api/v1/purchases`.
public struct CheckoutRequest: Codable, Hashable, Sendable {
    public var courseID: UUID

    public init(courseID: UUID) { self.courseID = courseID }

    enum CodingKeys: String, CodingKey { case courseID = "course_id" }
}

/// A free course comes back completed with no URL; a paid one pending, with the payment page.
public struct CheckoutResponse: Codable, Hashable, Sendable {
    public var purchase: Purchase
    public var checkoutURL: String?

    public init(purchase: Purchase, checkoutURL: String?) {
        self.purchase = purchase
        self.checkoutURL = checkoutURL
    }

    enum CodingKeys: String, CodingKey {
        case purchase
        case checkoutURL = "checkout_url"
    }
}

/// A badge together with the learner's award of it, for `GET /api/v1/me/badges`.
public struct EarnedBadge: Codable, Hashable, Sendable {
    public var badge: Badge
    public var award: UserBadge

    public init(badge: Badge, award: UserBadge) {
        self.badge = badge
        self.award = award
    }
}
