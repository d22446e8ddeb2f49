import Foundation

/// What badge rules are evaluated over: one learner's record.
public struct LearnerRecord: Sendable {
    public var progress: [UserProgress]
    public var quizResults: [QuizResult]
    /// Lessons per course, to know when a course is complete.
    public var lessonCounts: [UUID: Int]
    /// Course titles, for descriptions only.
    public var courseTitles: [UUID: String]

    public init(
        progress: [UserProgress], quizResults: [QuizResult], lessonCounts: [UUID: Int],
        courseTitles: [UUID: String] = [:]
    ) {
        self.progress = progress
        self.quizResults = quizResults
        self.lessonCounts = lessonCounts
        self.courseTitles = courseTitles
    }
}

/// How far a learner is toward one rule: "7/10 lessons completed".
public struct RuleProgress: Hashable, Sendable {
    public var rule: BadgeRule
    public var current: Int
    public var target: Int
    public var isMet: Bool
    public var description: String

    public var fraction: Double { target <= 0 ? (isMet ? 1 : 0) : min(1, Double(current) / Double(target)) }
}

public struct BadgeEvaluation: Hashable, Sendable {
    public var isEarned: Bool
    /// Every rule at the leaves of the criteria, in document order.
    public var rules: [RuleProgress]
    /// The course the badge is earned for, when its rules name exactly one course
    /// (stored in `user_badges.course_id`).
    public var courseID: UUID?
}

/// Evaluates badge criteria over a learner's record. Pure; the server awards, the client shows
/// progress toward locked badges. Rules the build does not understand are never met.
public enum BadgeEvaluator {
    public static func evaluate(_ criteria: BadgeCriteria, record: LearnerRecord) -> BadgeEvaluation {
        let facts = Facts(record)
        var leaves: [RuleProgress] = []
        let earned = evaluate(criteria, facts: facts, record: record, leaves: &leaves)
        let courses = Set(criteria.rules.compactMap(\.courseID))
        return BadgeEvaluation(isEarned: earned, rules: leaves, courseID: courses.count == 1 ? courses.first : nil)
    }

    private static func evaluate(
        _ criteria: BadgeCriteria, facts: Facts, record: LearnerRecord, leaves: inout [RuleProgress]
    ) -> Bool {
        switch criteria {
        case .all(let items):
            // Evaluate every child (no short-circuit) so progress is shown for each rule.
            let results = items.map { evaluate($0, facts: facts, record: record, leaves: &leaves) }
            return !results.isEmpty && results.allSatisfy { $0 }
        case .any(let items):
            let results = items.map { evaluate($0, facts: facts, record: record, leaves: &leaves) }
            return results.contains(true)
        case .rule(let rule):
            let progress = self.progress(rule, facts: facts, record: record)
            leaves.append(progress)
            return progress.isMet
        }
    }

    public static func progress(_ rule: BadgeRule, record: LearnerRecord) -> RuleProgress {
        progress(rule, facts: Facts(record), record: record)
    }

    private static func progress(_ rule: BadgeRule, facts: Facts, record: LearnerRecord) -> RuleProgress {
        func make(_ current: Int, _ target: Int, _ text: String) -> RuleProgress {
            let target = max(1, target)
            return RuleProgress(rule: rule, current: min(current, target), target: target, isMet: current >= target, description: text)
        }
        switch rule {
        case .courseCompleted(let courseID?):
            let total = record.lessonCounts[courseID] ?? 0
            let done = facts.completedByCourse[courseID]?.count ?? 0
            let title = record.courseTitles[courseID].map { "'\($0)'" } ?? "the course"
            if total == 0 {
                return RuleProgress(rule: rule, current: 0, target: 1, isMet: false, description: "Complete \(title)")
            }
            return make(done, total, "Complete \(title): \(min(done, total))/\(total) lessons")
        case .courseCompleted(nil):
            // Closest course to completion, so the learner sees what is nearest.
            var best: (done: Int, total: Int) = (0, 1)
            for (course, total) in record.lessonCounts where total > 0 {
                let done = min(total, facts.completedByCourse[course]?.count ?? 0)
                if done * best.total > best.done * total { best = (done, total) }
            }
            return make(best.done, best.total, "Complete any course: \(best.done)/\(best.total) lessons in the closest")
        case .lessonsCompleted(let count, let courseID):
            let done = courseID.map { facts.completedByCourse[$0]?.count ?? 0 } ?? facts.completedLessons.count
            let scope = courseID.map { id in record.courseTitles[id].map { " in '\($0)'" } ?? " in the course" } ?? ""
            return make(done, count, "Complete \(Words.count(count, "lesson"))\(scope): \(min(done, count))/\(count)")
        case .quizPassed(let lessonID?, _):
            let passed = facts.passedQuizzes.contains(lessonID) ? 1 : 0
            return make(passed, 1, "Pass the quiz")
        case .quizPassed(nil, let count):
            let passed = facts.passedQuizzes.count
            return make(passed, count, "Pass \(Words.count(count, "quiz", plural: "quizzes")): \(min(passed, count))/\(count)")
        case .perfectScore(let lessonID):
            let perfect = record.quizResults.contains { $0.isPerfect && $0.maxScore > 0 && (lessonID == nil || $0.lessonID == lessonID) }
            return make(perfect ? 1 : 0, 1, lessonID == nil ? "Score 100% on any quiz" : "Score 100% on the quiz")
        case .streakDays(let days):
            return make(facts.longestStreak, days, "Learn \(Words.count(days, "day")) in a row: best streak \(min(facts.longestStreak, days))/\(days)")
        case .unknown(let type, _):
            return RuleProgress(
                rule: rule, current: 0, target: 1, isMet: false,
                description: "Unknown requirement '\(type)' (a newer lms may show it)")
        }
    }

    /// Facts derived once per evaluation rather than once per rule.
    private struct Facts {
        var completedLessons: Set<UUID> = []
        var completedByCourse: [UUID: Set<UUID>] = [:]
        var passedQuizzes: Set<UUID> = []
        var longestStreak = 0

        init(_ record: LearnerRecord) {
            var activeDays = Set<Int>()
            for row in record.progress {
                activeDays.insert(ISO8601.utcDayNumber(row.updatedAt))
                if let completedAt = row.completedAt { activeDays.insert(ISO8601.utcDayNumber(completedAt)) }
                guard row.completed else { continue }
                completedLessons.insert(row.lessonID)
                completedByCourse[row.courseID, default: []].insert(row.lessonID)
            }
            for result in record.quizResults {
                activeDays.insert(ISO8601.utcDayNumber(result.completedAt))
                if result.passed { passedQuizzes.insert(result.lessonID) }
            }
            longestStreak = Self.longestRun(activeDays)
        }

        static func longestRun(_ days: Set<Int>) -> Int {
            var longest = 0
            for day in days where !days.contains(day - 1) {
                var length = 1
                while days.contains(day + length) { length += 1 }
                longest = max(longest, length)
            }
            return longest
        }
    }
}

extension BadgeRule {
    /// The course a rule is about, if it names one.
    public var courseID: UUID? {
        switch self {
        case .courseCompleted(let id): id
        case .lessonsCompleted(_, let id): id
        default: nil
        }
    }
}
