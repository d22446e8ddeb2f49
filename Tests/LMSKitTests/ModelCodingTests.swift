import Foundation
import LMSKit
import Testing

/// Realistic rows as the API sends them (snake_case keys, lower-case UUIDs as PostgreSQL prints them).
enum SampleJSON {
    static let tenant = """
        {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "Acme Learning", "slug": "acme",
         "status": "active", "isolation_strategy": "SCHEMA", "seats_purchased": 50, "seats_used": 12,
         "subscription_status": "past_due", "stripe_customer_id": "cus_N1", "stripe_subscription_id": "sub_N1",
         "logo_url": "https://cdn.example.com/acme.png", "domain": "learn.acme.test",
         "settings": {"theme": "dark", "features": {"sso": true}, "max_upload_mb": 25, "banner": null},
         "created_at": "2025-06-01T08:00:00Z", "updated_at": "2026-01-10T12:00:00.250Z", "deleted_at": null}
        """

    static func tenant(settings: String?) -> String {
        let settingsField = settings.map { #", "settings": \#($0)"# } ?? ""
        return """
            {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "Acme Learning", "slug": "acme",
             "status": "trial", "isolation_strategy": "SHARED", "seats_purchased": 1, "seats_used": 0,
             "subscription_status": "trialing"\(settingsField),
             "created_at": "2025-06-01T08:00:00Z", "updated_at": "2025-06-01T08:00:00Z"}
            """
    }

    static let user = """
        {"id": "0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b", "email": "ada@example.com", "first_name": "Ada",
         "last_name": "Lovelace", "role": "instructor", "status": "active",
         "tenant_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "avatar_url": null,
         "last_login_at": "2026-01-14T10:30:00+01:00",
         "created_at": "2025-06-02T08:00:00Z", "updated_at": "2026-01-14T09:30:00Z"}
        """

    static let group = """
        {"id": "3d1f0c9e-8b7a-4c6d-9e5f-1a2b3c4d5e6f", "tenant_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
         "name": "Class of 2026", "description": "Evening cohort",
         "created_at": "2025-09-01T00:00:00Z", "updated_at": "2025-09-01T00:00:00Z"}
        """

    static let userGroup = """
        {"user_id": "0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b", "group_id": "3d1f0c9e-8b7a-4c6d-9e5f-1a2b3c4d5e6f"}
        """

    static let course = """
        {"id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d", "title": "Swift Basics", "slug": "swift-basics",
         "description": "From zero to protocols", "thumbnail_url": "https://cdn.example.com/swift.png",
         "status": "published", "price": "49.00", "instructor_id": "0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b",
         "duration": 2160, "chapters_count": 3, "lessons_count": 5, "quiz_pass_percent": 80,
         "created_at": "2025-11-15T09:30:00Z", "updated_at": "2026-01-13T09:30:00Z", "deleted_at": null}
        """

    static let chapter = """
        {"id": "c0ffee00-0000-4000-8000-000000000001", "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d",
         "title": "Getting started", "description": null, "position": 1,
         "created_at": "2025-11-15T09:30:00Z", "updated_at": "2025-11-15T09:30:00Z"}
        """

    static let lesson = """
        {"id": "1e550000-0000-4000-8000-000000000001", "chapter_id": "c0ffee00-0000-4000-8000-000000000001",
         "title": "Intro", "type": "video", "video_url": "https://video.example.com/v/abc",
         "video_id": "abc", "duration": 300, "position": 1, "is_free": true, "requires_previous": false,
         "created_at": "2025-11-15T09:30:00Z", "updated_at": "2025-11-16T09:30:00Z"}
        """

    static let quizQuestion = """
        {"id": "90000000-0000-4000-8000-000000000001", "lesson_id": "1e550000-0000-4000-8000-000000000004",
         "question": "Which keyword declares a constant?", "type": "single_choice",
         "options": [{"id": "a", "text": "var", "correct": false}, {"id": "b", "text": "let", "correct": true}],
         "points": 2, "position": 1,
         "created_at": "2025-11-15T09:30:00Z", "updated_at": "2025-11-15T09:30:00Z"}
        """

    /// Hand-entered JSONB: no option ids, `correct` only where true.
    static let quizQuestionWithoutOptionIDs = """
        {"id": "90000000-0000-4000-8000-000000000002", "lesson_id": "1e550000-0000-4000-8000-000000000004",
         "question": "Pick the value types", "type": "multiple_choice",
         "options": [{"text": "struct", "correct": true}, {"text": "class"}, {"text": "enum", "correct": true}],
         "points": 3, "position": 2,
         "created_at": "2025-11-15T09:30:00Z", "updated_at": "2025-11-15T09:30:00Z"}
        """

    static let purchase = """
        {"id": "b0000000-0000-4000-8000-000000000001", "user_id": "0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b",
         "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d", "tenant_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
         "amount": "990.00", "currency": "EUR", "status": "completed",
         "stripe_payment_intent_id": "pi_3N", "stripe_checkout_session_id": "cs_test_1",
         "purchased_at": "2026-01-02T10:00:00Z", "created_at": "2026-01-02T09:58:00Z",
         "updated_at": "2026-01-02T10:00:00Z"}
        """

    static let userProgress = """
        {"id": "d0000000-0000-4000-8000-000000000001", "user_id": "0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b",
         "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d", "lesson_id": "1e550000-0000-4000-8000-000000000001",
         "completed": true, "progress_seconds": 287, "completed_at": "2026-01-12T18:05:00Z",
         "created_at": "2026-01-12T17:59:00Z", "updated_at": "2026-01-12T18:05:00.500Z"}
        """

    static let quizResult = """
        {"id": "e0000000-0000-4000-8000-000000000001", "user_id": "0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b",
         "lesson_id": "1e550000-0000-4000-8000-000000000004", "score": 2, "max_score": 5, "passed": false,
         "answers": [
           {"question_id": "90000000-0000-4000-8000-000000000001", "selected": ["b"], "text": null,
            "correct": true, "points_awarded": 2, "points_possible": 2},
           {"question_id": "90000000-0000-4000-8000-000000000002", "selected": ["0"],
            "correct": false, "points_awarded": 0, "points_possible": 3}],
         "attempt_number": 2, "client_attempt_id": "f0000000-0000-4000-8000-000000000009",
         "completed_at": "2026-01-13T20:00:00Z", "created_at": "2026-01-14T08:00:00Z"}
        """

    static let badge = """
        {"id": "ba000000-0000-4000-8000-000000000001", "name": "Finisher", "description": "Complete a course",
         "image_url": "https://cdn.example.com/badges/finisher.png",
         "criteria": {"all": [{"type": "course_completed", "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d"},
                              {"any": [{"type": "perfect_score"}, {"type": "streak_days", "days": 7}]}]},
         "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}
        """

    static let userBadge = """
        {"id": "0b000000-0000-4000-8000-000000000001", "user_id": "0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b",
         "badge_id": "ba000000-0000-4000-8000-000000000001", "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d",
         "earned_at": "2026-01-14T09:30:00Z"}
        """

    static func uuid(_ text: String) -> UUID { UUID(uuidString: text)! }
}

@Suite("Model coding")
struct ModelCodingTests {
    private typealias S = SampleJSON

    /// Decoding what we encoded gives the same value back.
    private func expectRoundTrip<T: Codable & Equatable>(
        _ value: T, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(try TestData.roundTrip(value) == value, sourceLocation: sourceLocation)
    }

    @Test func tenant() throws {
        let tenant = try TestData.decode(Tenant.self, S.tenant)
        #expect(tenant.id == S.uuid("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
        #expect(tenant.name == "Acme Learning")
        #expect(tenant.status == .active)
        #expect(tenant.isolationStrategy == .schema)
        #expect(tenant.seatsPurchased == 50)
        #expect(tenant.seatsUsed == 12)
        #expect(tenant.subscriptionStatus == .pastDue)
        #expect(tenant.stripeCustomerID == "cus_N1")
        #expect(tenant.domain == "learn.acme.test")
        #expect(tenant.settings["features"] == .object(["sso": .bool(true)]))
        #expect(tenant.settings["max_upload_mb"] == .number(25))
        #expect(tenant.settings["banner"] == .null)
        #expect(tenant.preferredTheme == "dark")
        #expect(tenant.createdAt == TestData.date("2025-06-01T08:00:00Z"))
        #expect(tenant.updatedAt.timeIntervalSince(TestData.date("2026-01-10T12:00:00Z")) == 0.25)
        #expect(tenant.deletedAt == nil)
        try expectRoundTrip(tenant)

        let encoded = try TestData.jsonValue(of: tenant)
        #expect(encoded["isolation_strategy"] == .string("SCHEMA"))
        #expect(encoded["subscription_status"] == .string("past_due"))
        #expect(encoded["updated_at"] == .string("2026-01-10T12:00:00.250Z"))
    }

    @Test(arguments: [nil, "null", "{}"])
    func tenantWithoutSettings(settings: String?) throws {
        let tenant = try TestData.decode(Tenant.self, S.tenant(settings: settings))
        #expect(tenant.settings.isEmpty)
        #expect(tenant.preferredTheme == nil)
        #expect(tenant.stripeCustomerID == nil)
        // Encoded back, "no settings" is an empty object, which the column accepts.
        #expect(try TestData.jsonValue(of: tenant)["settings"] == .object([:]))
    }

    @Test func tenantThemeMustBeAString() throws {
        let tenant = try TestData.decode(Tenant.self, S.tenant(settings: #"{"theme": 3}"#))
        #expect(tenant.settings["theme"] == .number(3))
        #expect(tenant.preferredTheme == nil)
    }

    @Test func user() throws {
        let user = try TestData.decode(User.self, S.user)
        #expect(user.email == "ada@example.com")
        #expect(user.fullName == "Ada Lovelace")
        #expect(user.role == .instructor)
        #expect(user.status == .active)
        #expect(user.tenantID == S.uuid("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
        #expect(user.avatarURL == nil)
        #expect(user.lastLoginAt == TestData.date("2026-01-14T09:30:00Z"))
        try expectRoundTrip(user)
        let encoded = try TestData.jsonValue(of: user)
        #expect(encoded["first_name"] == .string("Ada"))
        #expect(encoded["last_login_at"] == .string("2026-01-14T09:30:00Z"))
        #expect(encoded["password_hash"] == nil)
    }

    @Test func groupAndMembership() throws {
        let group = try TestData.decode(Group.self, S.group)
        #expect(group.tenantID == S.uuid("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
        #expect(group.name == "Class of 2026")
        #expect(group.description == "Evening cohort")
        #expect(group.deletedAt == nil)
        try expectRoundTrip(group)

        let membership = try TestData.decode(UserGroup.self, S.userGroup)
        #expect(membership.userID == S.uuid("0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b"))
        #expect(membership.groupID == group.id)
        #expect(try TestData.jsonValue(of: membership) == TestData.jsonValue(
            #"{"user_id": "0B6B1F2E-5A7C-4D7E-9B1A-3F2C1D0E9A8B", "group_id": "3D1F0C9E-8B7A-4C6D-9E5F-1A2B3C4D5E6F"}"#))
    }

    @Test func course() throws {
        let course = try TestData.decode(Course.self, S.course)
        #expect(course.title == "Swift Basics")
        #expect(course.slug == "swift-basics")
        #expect(course.description == "From zero to protocols")
        #expect(course.thumbnailURL == "https://cdn.example.com/swift.png")
        #expect(course.status == .published)
        #expect(course.price == 49)
        #expect(course.currency == .eur)
        #expect(course.instructorID == S.uuid("0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b"))
        #expect(course.duration == 2_160)
        #expect(course.chaptersCount == 3)
        #expect(course.lessonsCount == 5)
        #expect(course.quizPassPercent == 80)
        #expect(course.deletedAt == nil)
        try expectRoundTrip(course)
        let encoded = try TestData.jsonValue(of: course)
        #expect(encoded["price"] == .string("49.00"))
        #expect(encoded["quiz_pass_percent"] == .number(80))
        #expect(encoded["chapters_count"] == .number(3))
    }

    @Test func chapterAndLesson() throws {
        let chapter = try TestData.decode(Chapter.self, S.chapter)
        #expect(chapter.courseID == S.uuid("a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d"))
        #expect(chapter.title == "Getting started")
        #expect(chapter.description == nil)
        #expect(chapter.position == 1)
        try expectRoundTrip(chapter)

        let lesson = try TestData.decode(Lesson.self, S.lesson)
        #expect(lesson.chapterID == chapter.id)
        #expect(lesson.title == "Intro")
        #expect(lesson.type == .video)
        #expect(lesson.videoURL == "https://video.example.com/v/abc")
        #expect(lesson.videoID == "abc")
        #expect(lesson.duration == 300)
        #expect(lesson.position == 1)
        #expect(lesson.isFree)
        #expect(!lesson.requiresPrevious)
        try expectRoundTrip(lesson)
        let encoded = try TestData.jsonValue(of: lesson)
        #expect(encoded["is_free"] == .bool(true))
        #expect(encoded["requires_previous"] == .bool(false))
    }

    @Test func quizQuestion() throws {
        let question = try TestData.decode(QuizQuestion.self, S.quizQuestion)
        #expect(question.lessonID == S.uuid("1e550000-0000-4000-8000-000000000004"))
        #expect(question.type == .singleChoice)
        #expect(question.options == [TestData.option("a", "var"), TestData.option("b", "let", correct: true)])
        #expect(question.points == 2)
        #expect(question.position == 1)
        try expectRoundTrip(question)
        let encoded = try TestData.jsonValue(of: question)
        #expect(encoded["options"] == .array([
            .object(["id": .string("a"), "text": .string("var"), "correct": .bool(false)]),
            .object(["id": .string("b"), "text": .string("let"), "correct": .bool(true)]),
        ]))
    }

    @Test func quizOptionsWithoutIDsGetTheirIndex() throws {
        let question = try TestData.decode(QuizQuestion.self, S.quizQuestionWithoutOptionIDs)
        #expect(question.options.map(\.id) == ["0", "1", "2"])
        #expect(question.options.map(\.text) == ["struct", "class", "enum"])
        #expect(question.options.map(\.isCorrect) == [true, false, true])
        // The ids given by position are written out, so they stay stable from then on.
        #expect(try TestData.roundTrip(question).options.map(\.id) == ["0", "1", "2"])
    }

    @Test func quizQuestionWithoutOptionsHasNone() throws {
        let json = S.quizQuestion.replacingOccurrences(
            of: #""options": [{"id": "a", "text": "var", "correct": false}, {"id": "b", "text": "let", "correct": true}],"#,
            with: "")
        #expect(json != S.quizQuestion)
        #expect(try TestData.decode(QuizQuestion.self, json).options.isEmpty)
    }

    @Test func purchase() throws {
        let purchase = try TestData.decode(Purchase.self, S.purchase)
        #expect(purchase.userID == S.uuid("0b6b1f2e-5a7c-4d7e-9b1a-3f2c1d0e9a8b"))
        #expect(purchase.courseID == S.uuid("a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d"))
        #expect(purchase.tenantID == S.uuid("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
        #expect(purchase.amount == 990)
        #expect(purchase.currency == .eur)
        #expect(purchase.status == .completed)
        #expect(purchase.stripePaymentIntentID == "pi_3N")
        #expect(purchase.stripeCheckoutSessionID == "cs_test_1")
        #expect(purchase.purchasedAt == TestData.date("2026-01-02T10:00:00Z"))
        try expectRoundTrip(purchase)
        #expect(try TestData.jsonValue(of: purchase)["amount"] == .string("990.00"))
    }

    @Test func userProgress() throws {
        let progress = try TestData.decode(UserProgress.self, S.userProgress)
        #expect(progress.lessonID == S.uuid("1e550000-0000-4000-8000-000000000001"))
        #expect(progress.completed)
        #expect(progress.progressSeconds == 287)
        #expect(progress.completedAt == TestData.date("2026-01-12T18:05:00Z"))
        #expect(progress.updatedAt == TestData.date("2026-01-12T18:05:00.5Z"))
        try expectRoundTrip(progress)
    }

    @Test func quizResult() throws {
        let result = try TestData.decode(QuizResult.self, S.quizResult)
        #expect(result.score == 2)
        #expect(result.maxScore == 5)
        #expect(!result.passed)
        #expect(result.percent == 40)
        #expect(!result.isPerfect)
        #expect(result.attemptNumber == 2)
        #expect(result.clientAttemptID == S.uuid("f0000000-0000-4000-8000-000000000009"))
        #expect(result.answers.count == 2)
        let first = try #require(result.answers.first)
        #expect(first.selectedOptionIDs == ["b"])
        #expect(first.isCorrect)
        #expect(first.pointsAwarded == 2)
        #expect(result.answers[1].text == nil)
        #expect(result.answers[1].pointsPossible == 3)
        try expectRoundTrip(result)
    }

    @Test func badgeAndAward() throws {
        let badge = try TestData.decode(Badge.self, S.badge)
        #expect(badge.name == "Finisher")
        #expect(badge.imageURL == "https://cdn.example.com/badges/finisher.png")
        let courseID = S.uuid("a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d")
        #expect(badge.criteria == .all([
            .rule(.courseCompleted(courseID: courseID)),
            .any([.rule(.perfectScore(lessonID: nil)), .rule(.streakDays(7))]),
        ]))
        try expectRoundTrip(badge)

        let award = try TestData.decode(UserBadge.self, S.userBadge)
        #expect(award.badgeID == badge.id)
        #expect(award.courseID == courseID)
        #expect(award.earnedAt == TestData.now)
        try expectRoundTrip(award)
    }

    @Test func idThatIsNotAUUID() throws {
        let json = S.userBadge.replacingOccurrences(of: "0b000000-0000-4000-8000-000000000001", with: "badge-42")
        #expect(json != S.userBadge)
        let error = try #require(throws: LMSDecodingError.self) { try TestData.decode(UserBadge.self, json) }
        #expect(error.type == "UserBadge")
        #expect(error.path == ".id")
    }

    // MARK: Malformed documents

    @Test func truncatedJSON() {
        let truncated = String(S.lesson.prefix(80))
        let error = #expect(throws: LMSDecodingError.self) { try TestData.decode(Lesson.self, truncated) }
        #expect(error?.description == "Could not read Lesson: the data is not valid JSON")
    }

    @Test func wrongType() throws {
        let json = S.lesson.replacingOccurrences(of: #""duration": 300"#, with: #""duration": "ten""#)
        let error = try #require(throws: LMSDecodingError.self) { try TestData.decode(Lesson.self, json) }
        #expect(error.type == "Lesson")
        #expect(error.path == ".duration")
        #expect(error.description.hasPrefix("Could not read Lesson at .duration: expected an integer"))
    }

    @Test func missingRequiredField() throws {
        let json = S.course.replacingOccurrences(of: #""slug": "swift-basics","#, with: "")
        let error = try #require(throws: LMSDecodingError.self) { try TestData.decode(Course.self, json) }
        #expect(error.description == #"Could not read Course: missing required field "slug""#)
    }

    @Test func nullForARequiredField() throws {
        let json = S.chapter.replacingOccurrences(of: #""title": "Getting started""#, with: #""title": null"#)
        let error = try #require(throws: LMSDecodingError.self) { try TestData.decode(Chapter.self, json) }
        #expect(error.description == "Could not read Chapter at .title: expected a string but found null")
    }

    @Test func badTimestamp() throws {
        let json = S.user.replacingOccurrences(of: "2025-06-02T08:00:00Z", with: "yesterday")
        let error = try #require(throws: LMSDecodingError.self) { try TestData.decode(User.self, json) }
        #expect(error.description == """
            Could not read User at .created_at: Expected an ISO-8601 timestamp such as 2026-01-14T09:30:00Z, got "yesterday"
            """)
    }

    @Test func timestampWithoutZoneIsRejected() throws {
        let json = S.userProgress.replacingOccurrences(of: "2026-01-12T18:05:00Z", with: "2026-01-12T18:05:00")
        let error = try #require(throws: LMSDecodingError.self) { try TestData.decode(UserProgress.self, json) }
        #expect(error.path == ".completed_at")
    }

    @Test func errorPathReachesIntoNestedArrays() throws {
        let lesson = S.lesson.replacingOccurrences(of: #""title": "Intro","#, with: "")
        let json = """
            {"course": \(S.course), "chapters": [
              {"id": "c0ffee00-0000-4000-8000-000000000001", "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d",
               "title": "One", "position": 1, "created_at": "2025-11-15T09:30:00Z",
               "updated_at": "2025-11-15T09:30:00Z", "lessons": []},
              {"id": "c0ffee00-0000-4000-8000-000000000002", "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d",
               "title": "Two", "position": 2, "created_at": "2025-11-15T09:30:00Z",
               "updated_at": "2025-11-15T09:30:00Z", "lessons": [\(lesson)]}]}
            """
        let error = try #require(throws: LMSDecodingError.self) { try TestData.decode(CourseOutline.self, json) }
        #expect(error.description == #"Could not read CourseOutline at .chapters[1].lessons[0]: missing required field "title""#)
    }

    @Test func priceThatIsNotAnAmount() throws {
        let json = S.purchase.replacingOccurrences(of: #""990.00""#, with: #""lots""#)
        let error = try #require(throws: LMSDecodingError.self) { try TestData.decode(Purchase.self, json) }
        #expect(error.description == #"Could not read Purchase at .amount: Expected an amount such as "49.00", got "lots""#)
    }
}
