import Foundation
import LMSKit
import LMSTestSupport
import Testing

/// Every field a `@Record` declares goes through every path the declaration generates: `Codable`,
/// `JSONWriter`/`JSONReader`, and `init(fields:)` (the path the server's SQL rows take, fed here
/// from the stored forms a database would hold). Each sample sets every optional field, and the
/// test checks that it does, so a field added to a model without a sample value fails here.
@Suite("Records round-trip every declared field")
struct RecordRoundTripTests {
    static let now = Date(timeIntervalSince1970: 1_772_443_800)
    static let id = UUID(uuidString: "0000000A-0000-4000-8000-000000000001")!
    static let other = UUID(uuidString: "0000000B-0000-4000-8000-000000000002")!

    static let samples: [any Record & Codable & Equatable & FastJSONCodable & Sendable] = [
        Course(id: id, title: "Swift \"quoted\"", slug: "swift", description: "Values\nand types", thumbnailURL: "https://x/t.png",
               status: .published, price: Decimal(string: "49.90")!, instructorID: other, duration: 300, chaptersCount: 2,
               lessonsCount: 5, quizPassPercent: 80, createdAt: now, updatedAt: now, deletedAt: now),
        Chapter(id: id, courseID: other, title: "Getting started", description: "First steps", position: 2, createdAt: now, updatedAt: now),
        Lesson(id: id, chapterID: other, title: "日本語 🎌", type: .quiz, videoURL: "https://v/1.mp4", videoID: "v1", duration: 60,
               position: 3, isFree: true, requiresPrevious: false, createdAt: now, updatedAt: now),
        User(id: id, email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", role: .instructor, status: .active,
             tenantID: other, avatarURL: "https://a/ada.png", lastLoginAt: now, createdAt: now, updatedAt: now, deletedAt: now),
        Group(id: id, tenantID: other, name: "Cohort", description: "Everyone", createdAt: now, updatedAt: now, deletedAt: now),
        UserGroup(userID: id, groupID: other),
        Badge(id: id, name: "First Steps", description: "One lesson", imageURL: "https://b/1.png",
              criteria: .all([.rule(.lessonsCompleted(count: 1, courseID: other)), .rule(.streakDays(3))]), createdAt: now, updatedAt: now),
        UserBadge(id: id, userID: other, badgeID: other, courseID: other, earnedAt: now),
        UserProgress(id: id, userID: other, courseID: other, lessonID: other, completed: true, progressSeconds: 42, completedAt: now,
                     createdAt: now, updatedAt: now),
        QuizResult(id: id, userID: other, lessonID: other, score: 3, maxScore: 4, passed: true,
                   answers: [GradedAnswer(questionID: other, selectedOptionIDs: ["a", "b"], text: "nil", isCorrect: true,
                                          pointsAwarded: 2, pointsPossible: 2)],
                   attemptNumber: 2, clientAttemptID: other, completedAt: now, createdAt: now),
        Purchase(id: id, userID: other, courseID: other, tenantID: other, amount: Decimal(string: "29.00")!, currency: .usd,
                 status: .completed, stripePaymentIntentID: "pi_1", stripeCheckoutSessionID: "cs_1", purchasedAt: now,
                 createdAt: now, updatedAt: now),
        Tenant(id: id, name: "Academy", slug: "academy", status: .active, isolationStrategy: .shared, seatsPurchased: 50, seatsUsed: 3,
               subscriptionStatus: .active, stripeCustomerID: "cus_1", stripeSubscriptionID: "sub_1", logoURL: "https://l/1.png",
               domain: "academy.example", settings: ["theme": .string("nord"), "limits": .object(["seats": .number(5)])],
               createdAt: now, updatedAt: now, deletedAt: now),
        LearnerQuizOption(id: "a", text: "let"),
        LearnerQuizQuestion(id: id, lessonID: other, question: "Which?", type: .multipleChoice,
                            options: [LearnerQuizOption(id: "a", text: "let")], points: 2, position: 1),
        LessonContent(lesson: Lesson(id: id, chapterID: other, title: "Quiz", type: .quiz, videoURL: "https://v/2.mp4", createdAt: now, updatedAt: now),
                      courseID: other, body: "# Body",
                      questions: [LearnerQuizQuestion(id: other, lessonID: id, question: "Q", type: .trueFalse, options: [], points: 1, position: 1)]),
        QuizQuestion(id: id, lessonID: other, question: "Pick two", type: .multipleChoice,
                     options: [QuizOption(id: "a", text: "let", isCorrect: true), QuizOption(id: "b", text: "var")],
                     points: 2, position: 3, createdAt: now, updatedAt: now),
        QuizAnswer(questionID: id, selectedOptionIDs: ["a"], text: "let"),
        GradedAnswer(questionID: id, selectedOptionIDs: ["a"], text: "let", isCorrect: false, pointsAwarded: 0, pointsPossible: 2),
        ProgressUpsert(lessonID: id, progressSeconds: 30, completed: true, completedAt: now),
        MutationResult(id: id, status: .applied, error: APIErrorBody(code: .validationFailed, message: "no"),
                       progress: UserProgress(id: id, userID: other, courseID: other, lessonID: other, completed: false, progressSeconds: 1,
                                              completedAt: now, createdAt: now, updatedAt: now),
                       quizResult: QuizResult(id: id, userID: other, lessonID: other, score: 1, maxScore: 2, passed: false, answers: [],
                                              attemptNumber: 1, clientAttemptID: other, completedAt: now, createdAt: now),
                       awardedBadges: [UserBadge(id: id, userID: other, badgeID: other, courseID: other, earnedAt: now)]),
    ]

    @Test("Codable, the fast JSON reader and writer, and init(fields:) agree on every field", arguments: 0..<samples.count)
    func roundTrip(_ index: Int) throws {
        try RecordPaths.check(Self.samples[index])
    }

    @Test("A @Lenient field absent or null is its default on every path", arguments: ["absent", "null"])
    func lenientField(_ form: String) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: LMSJSON.encode(Self.samples[11] as! Tenant)) as? [String: Any])
        object["settings"] = form == "null" ? NSNull() : nil
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(try LMSJSON.makeDecoder().decode(Tenant.self, from: data).settings.isEmpty)
        #expect(try JSONReader.read(data) { try Tenant.read(from: &$0) }.settings.isEmpty)
        var source = StoredFields(object: object)
        #expect(try Tenant(fields: &source).settings.isEmpty)
    }

    @Test("Hand-entered options without ids or `correct` take their position and are wrong, on every path")
    func optionsWithoutIDs() throws {
        let question = Self.samples.compactMap { $0 as? QuizQuestion }.first!
        var object = try #require(try JSONSerialization.jsonObject(with: LMSJSON.encode(question)) as? [String: Any])
        object["options"] = [["text": "let", "correct": true], ["text": "var"], ["id": "z", "text": "const"]]
        let data = try JSONSerialization.data(withJSONObject: object)
        let expected = [QuizOption(id: "0", text: "let", isCorrect: true), QuizOption(id: "1", text: "var"), QuizOption(id: "z", text: "const")]
        #expect(try LMSJSON.makeDecoder().decode(QuizQuestion.self, from: data).options == expected)
        #expect(try JSONReader.read(data) { try QuizQuestion.read(from: &$0) }.options == expected)
        var source = StoredFields(object: object)
        #expect(try QuizQuestion(fields: &source).options == expected)
        // An option needs a text, wherever it comes from.
        object["options"] = [["id": "a"]]
        source = StoredFields(object: object)
        #expect(throws: (any Error).self) { try QuizQuestion(fields: &source) }
    }

    @Test("A required field missing names itself on every path")
    func missingField() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: LMSJSON.encode(Self.samples[2] as! Lesson)) as? [String: Any])
        object["title"] = nil
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: (any Error).self) { try LMSJSON.makeDecoder().decode(Lesson.self, from: data) }
        #expect { try JSONReader.read(data) { try Lesson.read(from: &$0) } } throws: { "\($0)".contains("'title'") }
        var source = StoredFields(object: object)
        #expect { try Lesson(fields: &source) } throws: { ($0 as? FieldError)?.key == "title" }
    }
}
