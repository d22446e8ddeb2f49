import Foundation
import LMSKit

/// Small builders shared by the LMSKit tests. Ids are fixed and readable (`TestData.id(0x11)`),
/// dates are offsets from one reference instant, so a failing test prints values a person can follow.
enum TestData {
    /// The reference instant every test date is derived from.
    static let now = date("2026-01-14T09:30:00Z")

    static func date(_ text: String) -> Date {
        guard let date = ISO8601.parse(text) else { fatalError("bad test timestamp \(text)") }
        return date
    }

    /// `now` moved by whole days/hours/minutes (negative goes back).
    static func at(days: Int = 0, hours: Int = 0, minutes: Int = 0) -> Date {
        now.addingTimeInterval(TimeInterval(days * 86_400 + hours * 3_600 + minutes * 60))
    }

    /// `00000000-0000-0000-0000-0000000000NN`-style ids.
    static func id(_ n: Int) -> UUID {
        let hex = String(n, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
        return UUID(uuidString: "00000000-0000-0000-0000-" + padded)!
    }

    // MARK: People and tenants

    static let tenantID = id(0x01)
    static let otherTenantID = id(0x02)
    static let learnerID = id(0x11)
    static let instructorID = id(0x12)
    static let adminID = id(0x13)
    static let otherLearnerID = id(0x14)

    static func user(
        id: UUID = learnerID, role: UserRole = .learner, status: UserStatus = .active, tenantID: UUID? = nil
    ) -> User {
        User(
            id: id, email: "user\(id.uuidString.suffix(2))@example.com", firstName: "Ada", lastName: "Lovelace",
            role: role, status: status, tenantID: tenantID, createdAt: at(days: -30), updatedAt: at(days: -30))
    }

    /// What the access rule knows about a learner.
    static func learner(
        id: UUID = learnerID, role: UserRole = .learner, status: UserStatus = .active, tenantID: UUID? = nil,
        purchases: [Purchase] = [], completed: Set<UUID> = []
    ) -> LearnerContext {
        LearnerContext(
            userID: id, role: role, status: status, tenantID: tenantID, purchases: purchases,
            completedLessonIDs: completed)
    }

    // MARK: The sample course

    static let courseID = id(0x31)
    static let otherCourseID = id(0x32)

    static func course(
        id: UUID = courseID, title: String = "Swift Basics", status: CourseStatus = .published,
        price: Decimal = 49, duration: Int = 2_160, chaptersCount: Int = 3, lessonsCount: Int = 5,
        quizPassPercent: Int? = nil, deletedAt: Date? = nil
    ) -> Course {
        Course(
            id: id, title: title, slug: "swift-basics", status: status, price: price, instructorID: instructorID,
            duration: duration, chaptersCount: chaptersCount, lessonsCount: lessonsCount,
            quizPassPercent: quizPassPercent, createdAt: at(days: -60), updatedAt: at(days: -1), deletedAt: deletedAt)
    }

    static func chapter(_ id: UUID, _ title: String, position: Int, courseID: UUID = courseID) -> Chapter {
        Chapter(id: id, courseID: courseID, title: title, position: position, createdAt: at(days: -60), updatedAt: at(days: -60))
    }

    static func lesson(
        _ id: UUID, _ title: String, chapter: UUID, position: Int, type: LessonType = .video, duration: Int = 0,
        isFree: Bool = false, requiresPrevious: Bool = true
    ) -> Lesson {
        Lesson(
            id: id, chapterID: chapter, title: title, type: type, duration: duration, position: position,
            isFree: isFree, requiresPrevious: requiresPrevious, createdAt: at(days: -60), updatedAt: at(days: -60))
    }

    // Ids deliberately run against the positions, so only position ordering passes the tests.
    static let chapterA = id(0x23)  // position 1
    static let chapterB = id(0x22)  // position 2
    static let chapterC = id(0x21)  // position 3

    /// Study order: intro, variables | branches, loopsQuiz | summary.
    static let intro = lesson(id(0x45), "Intro", chapter: chapterA, position: 1, duration: 300, isFree: true)
    static let variables = lesson(id(0x44), "Variables", chapter: chapterA, position: 2, duration: 600)
    static let branches = lesson(id(0x43), "If and switch", chapter: chapterB, position: 1, type: .text, duration: 900)
    static let loopsQuiz = lesson(id(0x42), "Loops quiz", chapter: chapterB, position: 2, type: .quiz, duration: 120)
    static let summary = lesson(
        id(0x41), "Summary", chapter: chapterC, position: 1, duration: 240, requiresPrevious: false)

    static let lessonsInStudyOrder = [intro, variables, branches, loopsQuiz, summary]

    /// Three chapters stored out of order (3, 1, 2), lessons inside them out of order too.
    static func outline(_ course: Course = TestData.course()) -> CourseOutline {
        CourseOutline(
            course: course,
            chapters: [
                ChapterOutline(chapter: chapter(chapterC, "Wrap-up", position: 3), lessons: [summary]),
                ChapterOutline(chapter: chapter(chapterA, "Getting started", position: 1), lessons: [variables, intro]),
                ChapterOutline(chapter: chapter(chapterB, "Control flow", position: 2), lessons: [loopsQuiz, branches]),
            ])
    }

    // MARK: Records

    static func purchase(
        user: UUID = learnerID, course: UUID = courseID, tenant: UUID? = nil, status: PurchaseStatus = .completed,
        amount: Decimal = 49
    ) -> Purchase {
        Purchase(
            id: UUID(), userID: user, courseID: course, tenantID: tenant, amount: amount, status: status,
            purchasedAt: status == .completed ? at(days: -2) : nil, createdAt: at(days: -2), updatedAt: at(days: -2))
    }

    static func progress(
        _ lesson: Lesson, user: UUID = learnerID, course: UUID = courseID, completed: Bool = false, seconds: Int = 0,
        completedAt: Date? = nil, updatedAt: Date = now, id: UUID = UUID()
    ) -> UserProgress {
        UserProgress(
            id: id, userID: user, courseID: course, lessonID: lesson.id, completed: completed, progressSeconds: seconds,
            completedAt: completedAt ?? (completed ? updatedAt : nil), createdAt: at(days: -10), updatedAt: updatedAt)
    }

    static func option(_ id: String, _ text: String, correct: Bool = false) -> QuizOption {
        QuizOption(id: id, text: text, isCorrect: correct)
    }

    static func question(
        _ id: UUID, _ type: QuestionType, options: [QuizOption], points: Int = 1, position: Int = 0,
        lesson: UUID = loopsQuiz.id
    ) -> QuizQuestion {
        QuizQuestion(
            id: id, lessonID: lesson, question: "Question \(position)", type: type, options: options, points: points,
            position: position, createdAt: at(days: -60), updatedAt: at(days: -60))
    }

    static func quizResult(
        lesson: UUID = loopsQuiz.id, score: Int, maxScore: Int, passed: Bool, completedAt: Date = now
    ) -> QuizResult {
        QuizResult(
            id: UUID(), userID: learnerID, lessonID: lesson, score: score, maxScore: maxScore, passed: passed,
            answers: [], completedAt: completedAt, createdAt: completedAt)
    }

    // MARK: JSON

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try LMSJSON.decode(type, from: Data(json.utf8))
    }

    static func encodedString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try LMSJSON.encode(value), as: UTF8.self)
    }

    /// A JSON document as a value, to compare documents regardless of key order and spacing.
    static func jsonValue(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    static func jsonValue<T: Encodable>(of value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: try LMSJSON.encode(value))
    }

    /// Encodes with `LMSJSON` and decodes the result again.
    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try LMSJSON.decode(T.self, from: try LMSJSON.encode(value))
    }
}
