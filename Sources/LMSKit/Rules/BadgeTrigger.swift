import Foundation

/// What a batch of learner work changed that badge rules look at. A badge none of whose rules
/// it can move keeps its verdict, so only the others are evaluated (and only their facts read).
public struct BadgeTrigger: Hashable, Sendable {
    /// Courses in which a lesson became complete.
    public var completedIn: Set<UUID> = []
    /// A quiz attempt was recorded.
    public var quizAttempted = false
    /// The learner became active on a UTC day they had no activity on before: only then can a
    /// streak grow.
    public var newActiveDay = false

    public init(completedIn: Set<UUID> = [], quizAttempted: Bool = false, newActiveDay: Bool = false) {
        self.completedIn = completedIn
        self.quizAttempted = quizAttempted
        self.newActiveDay = newActiveDay
    }

    /// Anything at all for badges.
    public var isEmpty: Bool { completedIn.isEmpty && !quizAttempted && !newActiveDay }

    /// Whether this change can alter the rule's verdict.
    public func mayChange(_ rule: BadgeRule) -> Bool {
        switch rule {
        case .courseCompleted(let courseID?), .lessonsCompleted(_, let courseID?): completedIn.contains(courseID)
        case .courseCompleted(nil), .lessonsCompleted(_, nil): !completedIn.isEmpty
        case .quizPassed, .perfectScore: quizAttempted
        case .streakDays: newActiveDay
        // A rule this build cannot read is never met, whatever happens.
        case .unknown: false
        }
    }

    public func mayChange(_ criteria: BadgeCriteria) -> Bool { criteria.rules.contains(where: mayChange) }
}

/// What evaluating some badges needs to read of a learner's record.
public struct BadgeFacts: Hashable, Sendable {
    /// Every progress row (global counts, any course, streaks), or only those of `courses`.
    public var allProgress = false
    public var courses: Set<UUID> = []
    public var quizResults = false

    public init(for badges: [BadgeCriteria]) {
        for rule in badges.flatMap(\.rules) {
            switch rule {
            case .courseCompleted(let courseID?), .lessonsCompleted(_, let courseID?): courses.insert(courseID)
            case .courseCompleted(nil), .lessonsCompleted(_, nil): allProgress = true
            case .quizPassed, .perfectScore: quizResults = true
            case .streakDays:
                allProgress = true
                quizResults = true
            case .unknown: break
            }
        }
    }
}
