import Foundation
import LMSKit
import Testing

@Suite("Badge criteria: coding")
struct BadgeCriteriaCodingTests {
    private typealias T = TestData
    private static let course = "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d"
    private static let courseID = UUID(uuidString: course)!
    private static let lesson = "1e550000-0000-4000-8000-000000000004"
    private static let lessonID = UUID(uuidString: lesson)!

    private func criteria(_ json: String) throws -> BadgeCriteria {
        try T.decode(BadgeCriteria.self, json)
    }

    @Test(arguments: [
        (#"{"type": "course_completed"}"#, BadgeRule.courseCompleted(courseID: nil)),
        (#"{"type": "course_completed", "course_id": "\#(course)"}"#, .courseCompleted(courseID: courseID)),
        (#"{"type": "lessons_completed", "count": 10}"#, .lessonsCompleted(count: 10, courseID: nil)),
        (#"{"type": "lessons_completed", "count": 5, "course_id": "\#(course)"}"#, .lessonsCompleted(count: 5, courseID: courseID)),
        (#"{"type": "quiz_passed"}"#, .quizPassed(lessonID: nil, count: 1)),
        (#"{"type": "quiz_passed", "count": 3}"#, .quizPassed(lessonID: nil, count: 3)),
        (#"{"type": "quiz_passed", "lesson_id": "\#(lesson)"}"#, .quizPassed(lessonID: lessonID, count: 1)),
        (#"{"type": "perfect_score"}"#, .perfectScore(lessonID: nil)),
        (#"{"type": "perfect_score", "lesson_id": "\#(lesson)"}"#, .perfectScore(lessonID: lessonID)),
        (#"{"type": "streak_days", "days": 7}"#, .streakDays(7)),
    ])
    func eachRuleType(json: String, expected: BadgeRule) throws {
        let decoded = try criteria(json)
        #expect(decoded == .rule(expected))
        #expect(try T.roundTrip(decoded) == decoded)
        #expect(try T.jsonValue(of: decoded)["type"] == .string(expected.typeName))
    }

    @Test func knownRulesEncodeTheirFields() throws {
        #expect(
            try T.encodedString(BadgeCriteria.rule(.lessonsCompleted(count: 10, courseID: nil)))
                == #"{"count":10,"type":"lessons_completed"}"#)
        #expect(try T.encodedString(BadgeCriteria.rule(.quizPassed(lessonID: nil, count: 1))) == #"{"count":1,"type":"quiz_passed"}"#)
        #expect(try T.encodedString(BadgeCriteria.rule(.streakDays(7))) == #"{"days":7,"type":"streak_days"}"#)
        #expect(try T.encodedString(BadgeCriteria.rule(.perfectScore(lessonID: nil))) == #"{"type":"perfect_score"}"#)
    }

    @Test func allAndAny() throws {
        let all = try criteria(#"{"all": [{"type": "lessons_completed", "count": 10}, {"type": "quiz_passed"}]}"#)
        #expect(all == .all([.rule(.lessonsCompleted(count: 10, courseID: nil)), .rule(.quizPassed(lessonID: nil, count: 1))]))
        let any = try criteria(#"{"any": [{"type": "perfect_score"}, {"type": "streak_days", "days": 3}]}"#)
        #expect(any == .any([.rule(.perfectScore(lessonID: nil)), .rule(.streakDays(3))]))
        #expect(try T.encodedString(any) == #"{"any":[{"type":"perfect_score"},{"days":3,"type":"streak_days"}]}"#)
    }

    @Test func nested() throws {
        let json = """
            {"all": [{"type": "course_completed", "course_id": "\(Self.course)"},
                     {"any": [{"type": "perfect_score"}, {"all": [{"type": "streak_days", "days": 7}]}]}]}
            """
        let decoded = try criteria(json)
        #expect(decoded == .all([
            .rule(.courseCompleted(courseID: Self.courseID)),
            .any([.rule(.perfectScore(lessonID: nil)), .all([.rule(.streakDays(7))])]),
        ]))
        #expect(decoded.rules == [.courseCompleted(courseID: Self.courseID), .perfectScore(lessonID: nil), .streakDays(7)])
        #expect(try T.roundTrip(decoded) == decoded)
    }

    @Test func unknownRuleTypeIsKeptWhole() throws {
        let json = #"{"type":"forum_posts","count":3}"#
        let decoded = try criteria(json)
        guard case .rule(.unknown(let type, let raw)) = decoded else {
            Issue.record("decoded as \(decoded)")
            return
        }
        #expect(type == "forum_posts")
        #expect(raw == .object(["type": .string("forum_posts"), "count": .number(3)]))
        #expect(try T.encodedString(decoded) == #"{"count":3,"type":"forum_posts"}"#)
    }

    @Test func unknownRuleWithRichFieldsReencodesIdentically() throws {
        let json = """
            {"all": [{"type": "lessons_completed", "count": 2},
                     {"type": "peer_reviews", "minimum": 2.5, "public": true, "tags": ["a", "b"], "window": {"days": 30, "until": null}}]}
            """
        let decoded = try criteria(json)
        #expect(decoded.rules.map(\.typeName) == ["lessons_completed", "peer_reviews"])
        #expect(try T.jsonValue(of: decoded) == T.jsonValue(json))
    }

    @Test(arguments: [
        #"{"type": "streak_days", "days": "seven"}"#,
        #"{"type": "lessons_completed"}"#,
        #"{"type": "course_completed", "course_id": "not-a-uuid"}"#,
        #"{"type": "quiz_passed", "count": 1.5}"#,
    ])
    func knownTypeWithBadFieldsBecomesUnknown(json: String) throws {
        let decoded = try criteria(json)
        guard case .rule(.unknown(_, let raw)) = decoded else {
            Issue.record("decoded as \(decoded)")
            return
        }
        #expect(try raw == T.jsonValue(json))
        #expect(try T.jsonValue(of: decoded) == T.jsonValue(json))
    }

    @Test func ruleWithoutTypeOrUnknownCombinatorIsKeptAsUnknown() throws {
        let untyped = try self.criteria(#"{"count": 3}"#)
        guard case .rule(.unknown(_, let raw)) = untyped else {
            Issue.record("decoded as \(untyped)")
            return
        }
        #expect(raw == .object(["count": .number(3)]))
        let combinator = try self.criteria(#"{"none": [{"type": "perfect_score"}]}"#)
        guard case .rule(.unknown(let type, _)) = combinator else {
            Issue.record("decoded as \(combinator)")
            return
        }
        #expect(type == "none")
        #expect(throws: LMSDecodingError.self) { try self.criteria(#"[1, 2]"#) }
    }

    @Test func badgeListSurvivesOneOddBadge() throws {
        let json = #"[{"type": "streak_days", "days": 3}, {"type": "streak_days", "days": -1.5}]"#
        let list = try T.decode([BadgeCriteria].self, json)
        #expect(list.count == 2)
        #expect(list[0] == .rule(.streakDays(3)))
        guard case .rule(.unknown(let type, _)) = list[1] else {
            Issue.record("decoded as \(list[1])")
            return
        }
        #expect(type == "streak_days")
    }
}

@Suite("Badge criteria: evaluation")
struct BadgeEvaluationTests {
    private typealias T = TestData
    private static let courseA = TestData.courseID
    private static let courseB = TestData.otherCourseID

    /// Lesson ids of a course, `0x100 + n` for course A and `0x200 + n` for course B.
    private static func lessonID(_ course: UUID, _ n: Int) -> UUID {
        TestData.id((course == courseA ? 0x100 : 0x200) + n)
    }

    private static func completed(
        _ count: Int, in course: UUID = courseA, on day: Date = TestData.now
    ) -> [UserProgress] {
        (0..<count).map { n in
            UserProgress(
                id: UUID(), userID: TestData.learnerID, courseID: course, lessonID: lessonID(course, n), completed: true,
                progressSeconds: 60, completedAt: day, createdAt: day, updatedAt: day)
        }
    }

    private static func record(
        progress: [UserProgress] = [], quizzes: [QuizResult] = [], lessonCounts: [UUID: Int] = [courseA: 10, courseB: 2],
        titles: [UUID: String] = [:]
    ) -> LearnerRecord {
        LearnerRecord(progress: progress, quizResults: quizzes, lessonCounts: lessonCounts, courseTitles: titles)
    }

    private func progress(_ rule: BadgeRule, _ record: LearnerRecord) -> RuleProgress {
        BadgeEvaluator.progress(rule, record: record)
    }

    // MARK: Lessons and courses

    @Test func lessonsCompletedShowsCurrentOverTarget() {
        let sevenDone = Self.record(progress: Self.completed(7))
        let rule = progress(.lessonsCompleted(count: 10, courseID: nil), sevenDone)
        #expect(rule.current == 7)
        #expect(rule.target == 10)
        #expect(!rule.isMet)
        #expect(rule.fraction == 0.7)
        #expect(rule.description == "Complete 10 lessons: 7/10")

        let more = progress(.lessonsCompleted(count: 10, courseID: nil), Self.record(progress: Self.completed(12)))
        #expect(more.isMet)
        #expect(more.current == 10)  // capped at the target
        #expect(more.fraction == 1)
    }

    @Test func lessonsCompletedInOneCourse() {
        let record = Self.record(
            progress: Self.completed(3) + Self.completed(2, in: Self.courseB), titles: [Self.courseA: "Swift Basics"])
        let inA = progress(.lessonsCompleted(count: 5, courseID: Self.courseA), record)
        #expect(inA.current == 3)
        #expect(!inA.isMet)
        #expect(inA.description == "Complete 5 lessons in 'Swift Basics': 3/5")
        let inB = progress(.lessonsCompleted(count: 2, courseID: Self.courseB), record)
        #expect(inB.isMet)
        #expect(inB.description == "Complete 2 lessons in the course: 2/2")
        #expect(progress(.lessonsCompleted(count: 5, courseID: nil), record).isMet)
    }

    @Test func unfinishedLessonsDoNotCount() {
        var rows = Self.completed(3)
        rows[0].completed = false
        #expect(progress(.lessonsCompleted(count: 3, courseID: nil), Self.record(progress: rows)).current == 2)
        // The same lesson twice is one lesson.
        #expect(progress(.lessonsCompleted(count: 3, courseID: nil), Self.record(progress: rows + rows)).current == 2)
    }

    @Test func courseCompletedForANamedCourse() {
        let titles = [Self.courseA: "Swift Basics"]
        let partial = progress(.courseCompleted(courseID: Self.courseA), Self.record(progress: Self.completed(7), titles: titles))
        #expect(partial.current == 7)
        #expect(partial.target == 10)
        #expect(!partial.isMet)
        #expect(partial.description == "Complete 'Swift Basics': 7/10 lessons")
        let done = progress(.courseCompleted(courseID: Self.courseA), Self.record(progress: Self.completed(10)))
        #expect(done.isMet)
        #expect(done.description == "Complete the course: 10/10 lessons")
    }

    @Test func courseCompletedWithoutLessonCountIsNeverMet() {
        let record = Self.record(progress: Self.completed(4), lessonCounts: [:])
        let rule = progress(.courseCompleted(courseID: Self.courseA), record)
        #expect(!rule.isMet)
        #expect(rule.current == 0)
        #expect(rule.target == 1)
        #expect(rule.description == "Complete the course")
    }

    @Test func courseCompletedForAnyCourseShowsTheClosest() {
        // A: 7 of 10 (70 %), B: 1 of 2 (50 %).
        let partial = progress(
            .courseCompleted(courseID: nil), Self.record(progress: Self.completed(7) + Self.completed(1, in: Self.courseB)))
        #expect(!partial.isMet)
        #expect(partial.current == 7)
        #expect(partial.target == 10)
        #expect(partial.description == "Complete any course: 7/10 lessons in the closest")
        // Finishing the small course B is enough.
        let done = progress(
            .courseCompleted(courseID: nil), Self.record(progress: Self.completed(7) + Self.completed(2, in: Self.courseB)))
        #expect(done.isMet)
        #expect(done.current == 2)
        #expect(done.target == 2)
    }

    @Test func courseCompletedForAnyCourseWithNothingDone() {
        let rule = progress(.courseCompleted(courseID: nil), Self.record())
        #expect(!rule.isMet)
        #expect(rule.current == 0)
    }

    // MARK: Quizzes

    private static let quizA = TestData.id(0x301)
    private static let quizB = TestData.id(0x302)
    private static let quizC = TestData.id(0x303)

    private static let quizzes = [
        TestData.quizResult(lesson: quizA, score: 4, maxScore: 5, passed: true),
        TestData.quizResult(lesson: quizA, score: 5, maxScore: 5, passed: true),  // a retake of the same quiz
        TestData.quizResult(lesson: quizB, score: 3, maxScore: 4, passed: true),
        TestData.quizResult(lesson: quizC, score: 1, maxScore: 4, passed: false),
    ]

    @Test func quizPassedCountsDistinctQuizzes() {
        let record = Self.record(quizzes: Self.quizzes)
        let three = progress(.quizPassed(lessonID: nil, count: 3), record)
        #expect(three.current == 2)
        #expect(three.target == 3)
        #expect(!three.isMet)
        #expect(three.description == "Pass 3 quizzes: 2/3")
        #expect(progress(.quizPassed(lessonID: nil, count: 2), record).isMet)
        #expect(progress(.quizPassed(lessonID: nil, count: 1), record).description == "Pass 1 quiz: 1/1")
    }

    @Test func quizPassedForANamedQuiz() {
        let record = Self.record(quizzes: Self.quizzes)
        #expect(progress(.quizPassed(lessonID: Self.quizB, count: 1), record).isMet)
        let failed = progress(.quizPassed(lessonID: Self.quizC, count: 1), record)
        #expect(!failed.isMet)
        #expect(failed.description == "Pass the quiz")
    }

    @Test func perfectScore() {
        let record = Self.record(quizzes: Self.quizzes)
        #expect(progress(.perfectScore(lessonID: nil), record).isMet)
        #expect(progress(.perfectScore(lessonID: nil), record).description == "Score 100% on any quiz")
        #expect(progress(.perfectScore(lessonID: Self.quizA), record).isMet)
        let quizB = progress(.perfectScore(lessonID: Self.quizB), record)
        #expect(!quizB.isMet)
        #expect(quizB.description == "Score 100% on the quiz")
    }

    @Test func emptyQuizIsNotAPerfectScore() {
        let empty = Self.record(quizzes: [T.quizResult(lesson: Self.quizA, score: 0, maxScore: 0, passed: true)])
        #expect(!progress(.perfectScore(lessonID: nil), empty).isMet)
    }

    // MARK: Streaks

    @Test func streakCountsConsecutiveUTCDays() {
        // Days -7, -6, -5 completed lessons; a gap on day -4; then four days in a row, each
        // known from a different kind of activity.
        var rows = [-7, -6, -5].flatMap { Self.completed(1, on: T.at(days: $0)) }
        let quiz = T.quizResult(score: 1, maxScore: 2, passed: false, completedAt: T.at(days: -3))  // a quiz attempt
        rows.append(T.progress(T.intro, seconds: 30, updatedAt: T.at(days: -2)))  // watching
        // Completed offline on day -1, synced on day 0: both days count.
        rows.append(T.progress(T.variables, completed: true, completedAt: T.at(days: -1), updatedAt: T.now))
        let record = Self.record(progress: rows, quizzes: [quiz])
        #expect(progress(.streakDays(4), record).isMet)
        let five = progress(.streakDays(5), record)
        #expect(!five.isMet)
        #expect(five.current == 4)
        #expect(five.target == 5)
        #expect(five.description == "Learn 5 days in a row: best streak 4/5")
        // Filling the gap joins the two runs into eight days.
        let filled = Self.record(progress: rows + Self.completed(1, on: T.at(days: -4)), quizzes: [quiz])
        #expect(progress(.streakDays(8), filled).isMet)
    }

    @Test func streakDaysAreUTCDays() {
        // 23:30 and 00:30 UTC are two days; 00:10 and 23:50 UTC the same day.
        let acrossMidnight = [T.date("2026-01-10T23:30:00Z"), T.date("2026-01-11T00:30:00Z")]
        let sameDay = [T.date("2026-01-10T00:10:00Z"), T.date("2026-01-10T23:50:00Z")]
        let across = Self.record(progress: acrossMidnight.flatMap { Self.completed(1, on: $0) })
        let same = Self.record(progress: sameDay.flatMap { Self.completed(1, on: $0) })
        #expect(progress(.streakDays(2), across).isMet)
        #expect(!progress(.streakDays(2), same).isMet)
    }

    // MARK: Combinations

    @Test func unknownRuleIsNeverEarned() {
        let rule = BadgeRule.unknown(type: "forum_posts", raw: .object(["type": .string("forum_posts"), "count": .number(3)]))
        let evaluation = BadgeEvaluator.evaluate(.rule(rule), record: Self.record(progress: Self.completed(10)))
        #expect(!evaluation.isEarned)
        #expect(evaluation.rules.count == 1)
        #expect(evaluation.rules[0].description == "Unknown requirement 'forum_posts' (a newer lms may show it)")
        #expect(evaluation.rules[0].fraction == 0)
        // Inside `any`, another rule can still earn the badge.
        let either = BadgeEvaluator.evaluate(
            .any([.rule(rule), .rule(.lessonsCompleted(count: 1, courseID: nil))]), record: Self.record(progress: Self.completed(1)))
        #expect(either.isEarned)
    }

    @Test func emptyCombinationsAreNotEarned() {
        let record = Self.record(progress: Self.completed(10))
        let all = BadgeEvaluator.evaluate(.all([]), record: record)
        #expect(!all.isEarned)
        #expect(all.rules.isEmpty)
        #expect(!BadgeEvaluator.evaluate(.any([]), record: record).isEarned)
    }

    @Test func allNeedsEveryRuleAndReportsEach() {
        let criteria = BadgeCriteria.all([
            .rule(.lessonsCompleted(count: 5, courseID: nil)), .rule(.quizPassed(lessonID: nil, count: 1)),
        ])
        let lessonsOnly = BadgeEvaluator.evaluate(criteria, record: Self.record(progress: Self.completed(7)))
        #expect(!lessonsOnly.isEarned)
        #expect(lessonsOnly.rules.map(\.isMet) == [true, false])
        let both = BadgeEvaluator.evaluate(criteria, record: Self.record(progress: Self.completed(7), quizzes: Self.quizzes))
        #expect(both.isEarned)
    }

    @Test func anyIsEarnedByOneRuleAndStillReportsAll() {
        let criteria = BadgeCriteria.any([.rule(.streakDays(30)), .rule(.lessonsCompleted(count: 1, courseID: nil))])
        let evaluation = BadgeEvaluator.evaluate(criteria, record: Self.record(progress: Self.completed(1)))
        #expect(evaluation.isEarned)
        #expect(evaluation.rules.map(\.isMet) == [false, true])
        #expect(!BadgeEvaluator.evaluate(criteria, record: Self.record()).isEarned)
    }

    @Test func nestedCriteria() {
        // Finish course B, and either score 100 % or learn 7 days in a row.
        let criteria = BadgeCriteria.all([
            .rule(.courseCompleted(courseID: Self.courseB)),
            .any([.rule(.perfectScore(lessonID: nil)), .rule(.streakDays(7))]),
        ])
        let courseOnly = Self.record(progress: Self.completed(2, in: Self.courseB))
        #expect(!BadgeEvaluator.evaluate(criteria, record: courseOnly).isEarned)
        let withPerfect = Self.record(progress: Self.completed(2, in: Self.courseB), quizzes: Self.quizzes)
        let evaluation = BadgeEvaluator.evaluate(criteria, record: withPerfect)
        #expect(evaluation.isEarned)
        #expect(evaluation.rules.map(\.rule) == [
            .courseCompleted(courseID: Self.courseB), .perfectScore(lessonID: nil), .streakDays(7),
        ])
    }

    @Test func evaluationNamesTheCourseWhenExactlyOneIsNamed() {
        let record = Self.record()
        let oneCourse = BadgeCriteria.all([
            .rule(.courseCompleted(courseID: Self.courseA)), .rule(.lessonsCompleted(count: 3, courseID: Self.courseA)),
            .rule(.streakDays(2)),
        ])
        #expect(BadgeEvaluator.evaluate(oneCourse, record: record).courseID == Self.courseA)
        let twoCourses = BadgeCriteria.any([
            .rule(.courseCompleted(courseID: Self.courseA)), .rule(.courseCompleted(courseID: Self.courseB)),
        ])
        #expect(BadgeEvaluator.evaluate(twoCourses, record: record).courseID == nil)
        #expect(BadgeEvaluator.evaluate(.rule(.courseCompleted(courseID: nil)), record: record).courseID == nil)
        #expect(BadgeRule.lessonsCompleted(count: 1, courseID: Self.courseB).courseID == Self.courseB)
        #expect(BadgeRule.quizPassed(lessonID: Self.quizA, count: 1).courseID == nil)
    }
}

@Suite("Which badges a batch can change")
struct BadgeTriggerTests {
    let swift = UUID(), terminal = UUID(), quiz = UUID()

    @Test("each rule is looked at only when the batch moved what it counts")
    func relevance() {
        let completedSwift = BadgeTrigger(completedIn: [swift])
        #expect(completedSwift.mayChange(.courseCompleted(courseID: swift)))
        #expect(!completedSwift.mayChange(.courseCompleted(courseID: terminal)))
        #expect(completedSwift.mayChange(.courseCompleted(courseID: nil)))
        #expect(completedSwift.mayChange(.lessonsCompleted(count: 5, courseID: nil)))
        #expect(!completedSwift.mayChange(.lessonsCompleted(count: 5, courseID: terminal)))
        #expect(!completedSwift.mayChange(.quizPassed(lessonID: nil, count: 1)))
        #expect(!completedSwift.mayChange(.streakDays(3)))
        let watchedOnly = BadgeTrigger()
        #expect(watchedOnly.isEmpty)
        #expect(!watchedOnly.mayChange(.lessonsCompleted(count: 1, courseID: nil)))
        #expect(BadgeTrigger(quizAttempted: true).mayChange(.perfectScore(lessonID: quiz)))
        #expect(BadgeTrigger(newActiveDay: true).mayChange(.streakDays(3)))
        // A badge counts when any of its rules may change, even one under `all`.
        let explorer = BadgeCriteria.all([.rule(.lessonsCompleted(count: 5, courseID: nil)), .rule(.quizPassed(lessonID: nil, count: 2))])
        #expect(BadgeTrigger(quizAttempted: true).mayChange(explorer))
        #expect(!BadgeTrigger(completedIn: []).mayChange(explorer))
    }

    @Test("the facts read are those every rule of the badges needs")
    func facts() {
        let scoped = BadgeFacts(for: [.rule(.courseCompleted(courseID: swift))])
        #expect(!scoped.allProgress && scoped.courses == [swift] && !scoped.quizResults)
        let explorer = BadgeFacts(for: [.all([.rule(.lessonsCompleted(count: 5, courseID: nil)), .rule(.quizPassed(lessonID: nil, count: 2))])])
        #expect(explorer.allProgress && explorer.quizResults)
        let streak = BadgeFacts(for: [.rule(.streakDays(3))])
        #expect(streak.allProgress && streak.quizResults)
    }
}
