import Foundation

/// The typed form of `badges.criteria`.
///
/// On the wire a criterion is either a rule object with a `type`, or a combination:
/// ```json
/// {"all": [{"type": "course_completed", "course_id": "…"},
///          {"any": [{"type": "perfect_score"}, {"type": "streak_days", "days": 7}]}]}
/// ```
/// A rule type this build does not know decodes as `.unknown`, evaluates as not earned and is
/// described as such; it is re-encoded exactly as received.
public indirect enum BadgeCriteria: Codable, Hashable, Sendable {
    case all([BadgeCriteria])
    case any([BadgeCriteria])
    case rule(BadgeRule)

    private enum CombinatorKeys: String, CodingKey { case all, any }

    public init(from decoder: any Decoder) throws {
        if let combinator = try? decoder.container(keyedBy: CombinatorKeys.self) {
            if let all = try combinator.decodeIfPresent([BadgeCriteria].self, forKey: .all) {
                self = .all(all)
                return
            }
            if let any = try combinator.decodeIfPresent([BadgeCriteria].self, forKey: .any) {
                self = .any(any)
                return
            }
        }
        // Anything else that is an object (a newer combinator, a rule without a type) becomes an
        // unknown rule, so one odd badge never makes the whole list unreadable.
        do {
            self = .rule(try BadgeRule(from: decoder))
        } catch {
            let raw = try JSONValue(from: decoder)
            guard case .object(let object) = raw else { throw error }
            self = .rule(.unknown(type: object.keys.sorted().first ?? "", raw: raw))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .all(let items):
            var c = encoder.container(keyedBy: CombinatorKeys.self)
            try c.encode(items, forKey: .all)
        case .any(let items):
            var c = encoder.container(keyedBy: CombinatorKeys.self)
            try c.encode(items, forKey: .any)
        case .rule(let rule):
            try rule.encode(to: encoder)
        }
    }

    /// The rules at the leaves, in document order.
    public var rules: [BadgeRule] {
        switch self {
        case .all(let items), .any(let items): items.flatMap(\.rules)
        case .rule(let rule): [rule]
        }
    }
}

/// One condition a learner can meet. Optional ids narrow a rule to one course or quiz; nil means any.
public enum BadgeRule: Codable, Hashable, Sendable {
    /// Every lesson of a course completed (of the named course, or of any course).
    case courseCompleted(courseID: UUID?)
    /// At least `count` lessons completed (in the named course, or anywhere).
    case lessonsCompleted(count: Int, courseID: UUID?)
    /// At least `count` distinct quizzes passed (the named quiz lesson, or any).
    case quizPassed(lessonID: UUID?, count: Int)
    /// A quiz attempt with every point scored.
    case perfectScore(lessonID: UUID?)
    /// Learning activity on `days` consecutive UTC days.
    case streakDays(Int)
    /// A rule type from a newer server; kept whole so it can be shown and re-sent.
    case unknown(type: String, raw: JSONValue)

    private enum Keys: String, CodingKey {
        case type
        case courseID = "course_id"
        case lessonID = "lesson_id"
        case count, days
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let type = try c.decode(String.self, forKey: .type)
        // A known type with fields we cannot read is treated like an unknown rule, not a failure:
        // one odd badge must not make the whole badge list unreadable.
        do {
            switch type {
            case "course_completed":
                self = .courseCompleted(courseID: try c.decodeIfPresent(UUID.self, forKey: .courseID))
            case "lessons_completed":
                self = .lessonsCompleted(
                    count: try c.decode(Int.self, forKey: .count),
                    courseID: try c.decodeIfPresent(UUID.self, forKey: .courseID))
            case "quiz_passed":
                self = .quizPassed(
                    lessonID: try c.decodeIfPresent(UUID.self, forKey: .lessonID),
                    count: try c.decodeIfPresent(Int.self, forKey: .count) ?? 1)
            case "perfect_score":
                self = .perfectScore(lessonID: try c.decodeIfPresent(UUID.self, forKey: .lessonID))
            case "streak_days":
                self = .streakDays(try c.decode(Int.self, forKey: .days))
            default:
                self = .unknown(type: type, raw: try JSONValue(from: decoder))
            }
        } catch {
            self = .unknown(type: type, raw: try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case .unknown(_, let raw) = self {
            try raw.encode(to: encoder)
            return
        }
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(typeName, forKey: .type)
        switch self {
        case .courseCompleted(let courseID):
            try c.encodeIfPresent(courseID, forKey: .courseID)
        case .lessonsCompleted(let count, let courseID):
            try c.encode(count, forKey: .count)
            try c.encodeIfPresent(courseID, forKey: .courseID)
        case .quizPassed(let lessonID, let count):
            try c.encodeIfPresent(lessonID, forKey: .lessonID)
            try c.encode(count, forKey: .count)
        case .perfectScore(let lessonID):
            try c.encodeIfPresent(lessonID, forKey: .lessonID)
        case .streakDays(let days):
            try c.encode(days, forKey: .days)
        case .unknown:
            break
        }
    }

    public var typeName: String {
        switch self {
        case .courseCompleted: "course_completed"
        case .lessonsCompleted: "lessons_completed"
        case .quizPassed: "quiz_passed"
        case .perfectScore: "perfect_score"
        case .streakDays: "streak_days"
        case .unknown(let type, _): type
        }
    }
}
