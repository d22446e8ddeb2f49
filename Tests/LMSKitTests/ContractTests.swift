import Foundation
import Testing

@testable import LMSKit

/// Checks `docs/openapi.yaml` against the JSON the LMSKit types actually produce.
///
/// One realistic sample of every request and response schema is built from the Swift types,
/// encoded with `LMSJSON.encode`, written as `<SchemaName>.json` and validated by
/// `scripts/contract/check_contract.py` (OpenAPI 3.1 validity, then JSON Schema 2020-12 with
/// formats). Between them the samples fill in every optional field at least once, so a field
/// renamed on one side, a wrong type or a missing `required` entry shows up here.
@Suite("API contract")
struct ContractTests {
    // MARK: Tests

    @Test("Every sample encoded by LMSKit validates against docs/openapi.yaml")
    func samplesMatchTheSpec() throws {
        // LMS_CONTRACT_SAMPLES_DIR=/some/dir keeps the samples there for inspection.
        let keep = ProcessInfo.processInfo.environment["LMS_CONTRACT_SAMPLES_DIR"].map { URL(fileURLWithPath: $0) }
        let dir = try keep ?? Self.makeTemporaryDirectory()
        if let keep { try FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true) }
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        let samples = try Self.samples()
        for (name, value) in samples {
            try LMSJSON.encode(value, pretty: true).write(to: dir.appendingPathComponent("\(name).json"))
        }

        let result = try Self.runChecker(["--require-all", Self.specPath, dir.path])
        #expect(result.status == 0, "check_contract.py failed:\n\(result.output)")
        #expect(result.output.contains("contract: \(samples.count) passed, 0 failed"), "\(result.output)")
    }

    @Test("docs/openapi.yaml is a valid OpenAPI 3.1 document")
    func specIsValid() throws {
        let result = try Self.runChecker([Self.specPath])
        #expect(result.status == 0, "check_contract.py rejected the spec:\n\(result.output)")
        #expect(result.output.contains("contract: 1 passed, 0 failed"), "\(result.output)")
    }

    @Test("A sample with a field of the wrong type fails the check")
    func wrongFieldTypeFails() throws {
        let dir = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let encoded = try LMSJSON.encode(Self.paidCourse)
        var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        object["duration"] = "long"
        try JSONSerialization.data(withJSONObject: object).write(to: dir.appendingPathComponent("Course.json"))

        let result = try Self.runChecker([Self.specPath, dir.path])
        #expect(result.status != 0, "a Course with \"duration\": \"long\" passed:\n\(result.output)")
        #expect(result.output.contains("FAIL Course.json"), "\(result.output)")
        #expect(result.output.contains("duration"), "\(result.output)")
        #expect(result.output.contains("contract: 0 passed, 1 failed"), "\(result.output)")
    }

    @Test("A sample named after no schema, or leaking an answer key, fails the check")
    func unknownSchemaAndAnswerKeyFail() throws {
        let dir = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try LMSJSON.encode(Self.paidCourse).write(to: dir.appendingPathComponent("Coarse.json"))
        // A QuizOption (with `correct`) where a learner option is expected.
        try LMSJSON.encode(Self.questions[0].options[0]).write(to: dir.appendingPathComponent("LearnerQuizOption.json"))

        let result = try Self.runChecker([Self.specPath, dir.path])
        #expect(result.status != 0, "\(result.output)")
        #expect(result.output.contains("FAIL Coarse.json"), "\(result.output)")
        #expect(result.output.contains("FAIL LearnerQuizOption.json"), "\(result.output)")
        #expect(result.output.contains("contract: 0 passed, 2 failed"), "\(result.output)")
    }

    // MARK: Running the checker

    /// The repository root: three levels up from Tests/LMSKitTests/ContractTests.swift.
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let specPath = repoRoot.appendingPathComponent("docs/openapi.yaml").path
    static let scriptPath = repoRoot.appendingPathComponent("scripts/contract/check_contract.py").path

    static func runChecker(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath] + arguments
        process.currentDirectoryURL = repoRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Read before waiting: a full pipe would otherwise block the script forever.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func makeTemporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("lms-contract-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    // MARK: Sample data

    static func id(_ n: Int) -> UUID {
        let hex = String(n, radix: 16, uppercase: true)
        return UUID(uuidString: "C0FFEE00-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex)!
    }

    static let t0 = ISO8601.parse("2026-01-14T09:30:00Z")!
    /// A timestamp with milliseconds, to check the `.123` form too.
    static let tMillis = ISO8601.parse("2026-01-14T09:31:07.123Z")!
    static func at(hours: Int) -> Date { t0.addingTimeInterval(TimeInterval(hours * 3600)) }

    static let tenantID = id(0x01)
    static let learnerID = id(0x11)
    static let instructorID = id(0x12)
    static let groupID = id(0x15)

    static let learner = User(
        id: learnerID, email: "ada@acme.example", firstName: "Ada", lastName: "Lovelace", role: .learner,
        status: .active, tenantID: tenantID, avatarURL: "https://cdn.example.com/avatars/ada.png",
        lastLoginAt: tMillis, createdAt: at(hours: -720), updatedAt: tMillis)

    /// Every optional field set, a soft-deleted account included.
    static let formerInstructor = User(
        id: id(0x16), email: "grace@acme.example", firstName: "Grace", lastName: "Hopper", role: .instructor,
        status: .suspended, tenantID: tenantID, avatarURL: "https://cdn.example.com/avatars/grace.png",
        lastLoginAt: at(hours: -48), createdAt: at(hours: -2000), updatedAt: at(hours: -1), deletedAt: at(hours: -1))

    static let tenant = Tenant(
        id: tenantID, name: "Acme Learning", slug: "acme", status: .active, isolationStrategy: .schema,
        seatsPurchased: 50, seatsUsed: 12, subscriptionStatus: .active, stripeCustomerID: "cus_Q1w2e3r4",
        stripeSubscriptionID: "sub_9Z8y7x6w", logoURL: "https://cdn.example.com/tenants/acme.svg",
        domain: "learn.acme.example",
        settings: [
            "theme": .string("dark"), "max_groups": .number(10), "sso": .object(["enabled": .bool(true)]),
            "features": .array([.string("badges"), .string("offline")]), "banner": .null,
        ],
        createdAt: at(hours: -5000), updatedAt: at(hours: -3))

    /// Every optional field set: a cancelled, soft-deleted tenant.
    static let cancelledTenant: Tenant = {
        var cancelled = ContractTests.tenant
        cancelled.status = .cancelled
        cancelled.subscriptionStatus = .canceled
        cancelled.deletedAt = at(hours: -1)
        return cancelled
    }()

    static let group = Group(
        id: groupID, tenantID: tenantID, name: "Backend team", description: "Engineers onboarding in Q1",
        createdAt: at(hours: -300), updatedAt: at(hours: -2))
    static let archivedGroup = Group(
        id: id(0x17), tenantID: tenantID, name: "2025 cohort", description: "Finished",
        createdAt: at(hours: -9000), updatedAt: at(hours: -100), deletedAt: at(hours: -100))

    static let courseID = id(0x31)
    static let freeCourseID = id(0x32)
    static let chapterA = id(0x21)
    static let chapterB = id(0x22)
    static let videoLessonID = id(0x41)
    static let textLessonID = id(0x42)
    static let quizLessonID = id(0x43)

    static let paidCourse = Course(
        id: courseID, title: "Swift from zero", slug: "swift-from-zero",
        description: "Values, types and control flow, with a quiz per chapter.",
        thumbnailURL: "https://cdn.example.com/courses/swift.jpg", status: .published,
        price: Decimal(string: "49.9")!, instructorID: instructorID, duration: 1_020, chaptersCount: 2,
        lessonsCount: 3, quizPassPercent: 80, createdAt: at(hours: -1000), updatedAt: tMillis)

    static let freeCourse = Course(
        id: freeCourseID, title: "Git basics", slug: "git-basics", status: .published, price: 0,
        instructorID: instructorID, duration: 600, chaptersCount: 1, lessonsCount: 2,
        createdAt: at(hours: -800), updatedAt: at(hours: -10))

    /// Every optional field set: a retired, soft-deleted course.
    static let retiredCourse = Course(
        id: id(0x33), title: "Objective-C essentials", slug: "objc-essentials", description: "Retired.",
        thumbnailURL: "https://cdn.example.com/courses/objc.jpg", status: .archived, price: Decimal(string: "19.00")!,
        instructorID: instructorID, duration: 7_200, chaptersCount: 4, lessonsCount: 12, quizPassPercent: 60,
        createdAt: at(hours: -9000), updatedAt: at(hours: -24), deletedAt: at(hours: -24))

    static let chapters = [
        Chapter(
            id: chapterA, courseID: courseID, title: "Basics", description: "Values and types", position: 1,
            createdAt: at(hours: -1000), updatedAt: at(hours: -1000)),
        Chapter(id: chapterB, courseID: courseID, title: "Control flow", position: 2, createdAt: at(hours: -999), updatedAt: at(hours: -5)),
    ]

    static let videoLesson = Lesson(
        id: videoLessonID, chapterID: chapterA, title: "Welcome", type: .video,
        videoURL: "https://video.example.com/v/abc123.m3u8", videoID: "abc123", duration: 300, position: 1,
        isFree: true, requiresPrevious: false, createdAt: at(hours: -1000), updatedAt: at(hours: -1000))
    static let textLesson = Lesson(
        id: textLessonID, chapterID: chapterA, title: "Variables and constants", type: .text, duration: 600,
        position: 2, createdAt: at(hours: -1000), updatedAt: at(hours: -20))
    static let quizLesson = Lesson(
        id: quizLessonID, chapterID: chapterB, title: "Control flow quiz", type: .quiz, duration: 120,
        position: 1, createdAt: at(hours: -999), updatedAt: at(hours: -5))

    static let outline = CourseOutline(
        course: paidCourse,
        chapters: [
            ChapterOutline(chapter: chapters[0], lessons: [videoLesson, textLesson]),
            ChapterOutline(chapter: chapters[1], lessons: [quizLesson]),
        ])

    static let textBody = "# Variables\n\nUse `let` for constants and `var` for variables."

    static let questions: [QuizQuestion] = [
        QuizQuestion(
            id: id(0x51), lessonID: quizLessonID, question: "Which keyword declares a constant?", type: .singleChoice,
            options: [QuizOption(id: "a", text: "let", isCorrect: true), QuizOption(id: "b", text: "var")],
            points: 2, position: 1, createdAt: at(hours: -999), updatedAt: at(hours: -999)),
        QuizQuestion(
            id: id(0x52), lessonID: quizLessonID, question: "Which are loops?", type: .multipleChoice,
            options: [
                QuizOption(id: "a", text: "for-in", isCorrect: true), QuizOption(id: "b", text: "while", isCorrect: true),
                QuizOption(id: "c", text: "guard"),
            ],
            points: 3, position: 2, createdAt: at(hours: -999), updatedAt: at(hours: -999)),
        QuizQuestion(
            id: id(0x53), lessonID: quizLessonID, question: "`switch` must be exhaustive.", type: .trueFalse,
            options: [QuizOption(id: "true", text: "True", isCorrect: true), QuizOption(id: "false", text: "False")],
            points: 1, position: 3, createdAt: at(hours: -999), updatedAt: at(hours: -999)),
        QuizQuestion(
            id: id(0x54), lessonID: quizLessonID, question: "Name the statement that exits a loop early.",
            type: .shortAnswer, options: [QuizOption(id: "0", text: "break", isCorrect: true)], points: 2,
            position: 4, createdAt: at(hours: -999), updatedAt: at(hours: -999)),
    ]

    static let answers = [
        QuizAnswer(questionID: id(0x51), selectedOptionIDs: ["a"]),
        QuizAnswer(questionID: id(0x52), selectedOptionIDs: ["a", "c"]),
        QuizAnswer(questionID: id(0x53), selectedOptionIDs: ["true"]),
        QuizAnswer(questionID: id(0x54), text: "  Break "),
    ]

    static let submission = QuizSubmission(clientAttemptID: id(0x61), answers: answers, completedAt: tMillis)

    static let progress = UserProgress(
        id: id(0x71), userID: learnerID, courseID: courseID, lessonID: textLessonID, completed: true,
        progressSeconds: 600, completedAt: tMillis, createdAt: at(hours: -30), updatedAt: tMillis)
    static let progressInVideo = UserProgress(
        id: id(0x72), userID: learnerID, courseID: courseID, lessonID: videoLessonID, progressSeconds: 125,
        createdAt: at(hours: -31), updatedAt: at(hours: -30))

    static let badgeCriteria = BadgeCriteria.all([
        .rule(.courseCompleted(courseID: courseID)),
        .any([.rule(.perfectScore(lessonID: quizLessonID)), .rule(.streakDays(7))]),
        .rule(.lessonsCompleted(count: 3, courseID: nil)),
        .rule(.quizPassed(lessonID: nil, count: 2)),
        // A rule type from a newer server, kept whole.
        .rule(.unknown(type: "certificate_earned", raw: .object(["type": .string("certificate_earned"), "level": .string("gold")]))),
    ])

    static let badge = Badge(
        id: id(0x81), name: "Swift graduate", description: "Finish Swift from zero with a perfect quiz or a 7-day streak.",
        imageURL: "https://cdn.example.com/badges/swift-graduate.png", criteria: badgeCriteria,
        createdAt: at(hours: -2000), updatedAt: at(hours: -2000))
    static let firstStepsBadge = Badge(
        id: id(0x82), name: "First steps", imageURL: "https://cdn.example.com/badges/first-steps.png",
        criteria: .rule(.lessonsCompleted(count: 1, courseID: nil)), createdAt: at(hours: -2000), updatedAt: at(hours: -2000))

    static let award = UserBadge(id: id(0x91), userID: learnerID, badgeID: id(0x81), courseID: courseID, earnedAt: tMillis)
    static let firstStepsAward = UserBadge(id: id(0x92), userID: learnerID, badgeID: id(0x82), earnedAt: at(hours: -29))

    static let completedPurchase = Purchase(
        id: id(0xA1), userID: learnerID, courseID: courseID, tenantID: tenantID, amount: Decimal(string: "49.90")!,
        currency: .eur, status: .completed, stripePaymentIntentID: "pi_3QxYz2ABCdef",
        stripeCheckoutSessionID: "cs_test_a1B2c3", purchasedAt: at(hours: -40), createdAt: at(hours: -41),
        updatedAt: at(hours: -40))
    static let pendingPurchase = Purchase(
        id: id(0xA2), userID: learnerID, courseID: id(0x34), amount: Decimal(string: "120")!, currency: .usd,
        status: .pending, stripeCheckoutSessionID: "cs_test_d4E5f6", createdAt: tMillis, updatedAt: tMillis)
    static let freePurchase = Purchase(
        id: id(0xA3), userID: learnerID, courseID: freeCourseID, amount: 0, status: .completed,
        purchasedAt: at(hours: -2), createdAt: at(hours: -2), updatedAt: at(hours: -2))

    /// A `quiz.submit` payload, spelled out the way `SyncMutation` encodes it.
    struct QuizSubmitPayload: Encodable {
        var lessonID: UUID
        var submission: QuizSubmission
        enum CodingKeys: String, CodingKey {
            case lessonID = "lesson_id"
            case submission
        }
    }

    struct WebhookAck: Encodable { var received = true }

    static func samples() throws -> [(String, any Encodable)] {
        let grade = try QuizGrader.grade(questions: questions, answers: answers, passMark: QuizPassMark(course: paidCourse))
        let result = QuizResult(
            id: id(0x65), userID: learnerID, lessonID: quizLessonID, score: grade.score, maxScore: grade.maxScore,
            passed: grade.passed, answers: grade.answers, attemptNumber: 2, clientAttemptID: submission.clientAttemptID,
            completedAt: tMillis, createdAt: tMillis)
        let firstAttempt = QuizResult(
            id: id(0x64), userID: learnerID, lessonID: quizLessonID, score: 0, maxScore: grade.maxScore, passed: false,
            answers: grade.answers.map {
                GradedAnswer(questionID: $0.questionID, selectedOptionIDs: [], text: nil, isCorrect: false,
                             pointsAwarded: 0, pointsPossible: $0.pointsPossible)
            },
            completedAt: at(hours: -20), createdAt: at(hours: -20))

        let learnerQuestions = questions.map(\.learnerView)
        let quizContent = LessonContent(
            lesson: quizLesson, courseID: courseID, body: "Four questions; you need 80 % to pass.", questions: learnerQuestions)
        let textContent = LessonContent(lesson: textLesson, courseID: courseID, body: textBody)

        // The stored counters say 3 chapters; the outline has 2, so the structure reports drift.
        var staleCourse = paidCourse
        staleCourse.chaptersCount = 3
        let instructorChapters = [
            InstructorChapter(
                chapter: chapters[0],
                lessons: [
                    InstructorLesson(lesson: videoLesson, questions: []),
                    InstructorLesson(lesson: textLesson, body: textBody, questions: []),
                ]),
            InstructorChapter(chapter: chapters[1], lessons: [InstructorLesson(lesson: quizLesson, questions: questions)]),
        ]
        let instructorOutline = InstructorOutline(
            course: staleCourse, chapters: instructorChapters,
            structure: CourseStructure.summarize(
                CourseOutline(course: staleCourse, chapters: outline.chapters)))
        let drift = try #require(instructorOutline.structure.drift.first)

        let catalog = CatalogPage(
            items: [
                CatalogEntry(course: paidCourse, owned: true, instructorName: "Grace Hopper"),
                CatalogEntry(course: freeCourse, owned: false, instructorName: "Grace Hopper"),
            ],
            nextCursor: "eyJ0aXRsZSI6IkdpdCBiYXNpY3MiLCJpZCI6IkMwRkZFRTAwIn0")

        let progressUpsert = ProgressUpsert(lessonID: textLessonID, progressSeconds: 600, completed: true, completedAt: tMillis)
        let mutations = [
            SyncMutation(id: id(0xB1), createdAt: at(hours: -1), kind: .progressUpsert(progressUpsert)),
            SyncMutation(id: id(0xB2), createdAt: tMillis, kind: .quizSubmit(lessonID: quizLessonID, submission)),
            SyncMutation(
                id: id(0xB3), createdAt: tMillis,
                kind: .unknown(type: "note.create", payload: .object(["lesson_id": .string(textLessonID.uuidString), "text": .string("Revisit")]))),
        ]
        let applied = MutationResult(id: id(0xB1), status: .applied, progress: progress, awardedBadges: [firstStepsAward])
        let pushResponse = SyncPushResponse(results: [
            applied,
            MutationResult(id: id(0xB2), status: .duplicate, quizResult: result),
            MutationResult(
                id: id(0xB3), status: .rejected,
                error: APIErrorBody(code: .validationFailed, message: "Unknown mutation type 'note.create'.",
                                    details: .object(["type": .string("note.create")]))),
        ])

        let syncPage = SyncChangesPage(
            changes: [
                .upsert(.course(paidCourse), id: courseID),
                .upsert(.chapter(chapters[0]), id: chapterA),
                .upsert(.lesson(textLesson), id: textLessonID),
                .upsert(.lessonContent(textContent), id: textLessonID),
                .upsert(.progress(progress), id: progress.id),
                .upsert(.quizResult(result), id: result.id),
                .upsert(.badge(badge), id: badge.id),
                .upsert(.userBadge(award), id: award.id),
                .upsert(.purchase(completedPurchase), id: completedPurchase.id),
                // An entity kind from a newer server, and a tombstone.
                SyncChange(entity: .other("certificate"), id: id(0xC1), op: .upsert,
                           data: .unknown(.object(["title": .string("Swift from zero"), "issued_at": .string("2026-01-14T09:30:00Z")]))),
                .tombstone(.lesson, id: id(0x49)),
            ],
            cursor: "184467", hasMore: true)

        let errorBody = APIErrorBody(
            code: .lessonLocked, message: "Complete 'Variables and constants' first.",
            details: .object(["requires_lesson_id": .string(textLessonID.uuidString)]))

        let stripeEvent = JSONValue.object([
            "id": .string("evt_1QxYz2ABCdef"), "object": .string("event"), "type": .string("checkout.session.completed"),
            "created": .number(1_768_383_000), "livemode": .bool(false), "api_version": .string("2024-06-20"),
            "data": .object([
                "object": .object([
                    "id": .string("cs_test_a1B2c3"), "object": .string("checkout.session"),
                    "payment_intent": .string("pi_3QxYz2ABCdef"), "payment_status": .string("paid"),
                    "amount_total": .number(4990), "currency": .string("eur"),
                    "client_reference_id": .string(id(0xA1).uuidString),
                ])
            ]),
        ])

        // Administration: a user added by an admin (role given explicitly; absent means learner).
        let createUser = CreateUserRequest(
            email: "linus@acme.example", password: "correct horse battery staple", firstName: "Linus",
            lastName: "Torvalds", role: .instructor)
        let addedUser = User(
            id: id(0x18), email: createUser.email, firstName: createUser.firstName, lastName: createUser.lastName,
            role: createUser.role, status: .active, tenantID: tenantID, createdAt: tMillis, updatedAt: tMillis)

        return [
            ("HealthResponse", HealthResponse(status: "ok", database: "ok", version: "1.0.0")),
            ("LoginRequest", LoginRequest(email: "ada@acme.example", password: "correct horse battery staple")),
            ("RefreshRequest", RefreshRequest(refreshToken: "rt_5f1c0d1e9a7b4c2d8e3f")),
            ("TokenResponse", TokenResponse(
                accessToken: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJDMEZGRUUwMCJ9.c2lnbmF0dXJl",
                expiresIn: 900, refreshToken: "rt_9a8b7c6d5e4f3a2b1c0d", refreshExpiresIn: 2_592_000, user: learner)),
            ("MeResponse", MeResponse(user: learner, tenant: tenant, groups: [group])),
            ("Tenant", cancelledTenant),
            ("User", formerInstructor),
            ("Group", archivedGroup),
            ("UserList", ItemList(items: [learner, addedUser])),
            ("GroupList", ItemList(items: [group])),
            ("CreateUserRequest", createUser),
            ("UpdateUserRequest", UpdateUserRequest(role: .admin, status: .suspended)),
            ("CreateGroupRequest", CreateGroupRequest(name: "Backend team", description: "Engineers onboarding in Q1")),
            ("UpdateSeatsRequest", UpdateSeatsRequest(seatsPurchased: 60)),
            ("Course", retiredCourse),
            ("Chapter", chapters[0]),
            ("Lesson", videoLesson),
            ("ChapterOutline", outline.chapters[0]),
            ("CourseOutline", outline),
            ("CourseOutlineResponse", CourseOutlineResponse(outline: outline, owned: true)),
            ("CatalogEntry", catalog.items[0]),
            ("CatalogPage", catalog),
            ("LessonContent", quizContent),
            ("LearnerQuizQuestion", learnerQuestions[0]),
            ("LearnerQuizOption", learnerQuestions[0].options[0]),
            ("QuizQuestion", questions[1]),
            ("QuizOption", questions[1].options[0]),
            ("QuizAnswer", answers[3]),
            ("QuizSubmission", submission),
            ("GradedAnswer", grade.answers[3]),
            ("QuizResult", result),
            ("QuizAttemptResponse", QuizAttemptResponse(result: result, awardedBadges: [award])),
            ("QuizResultList", ItemList(items: [firstAttempt, result])),
            ("ProgressUpsert", progressUpsert),
            ("UserProgress", progress),
            ("ProgressUpsertResponse", ProgressUpsertResponse(progress: progress, awardedBadges: [firstStepsAward])),
            ("ProgressList", ItemList(items: [progressInVideo, progress])),
            ("Purchase", completedPurchase),
            ("PurchaseList", ItemList(items: [pendingPurchase, freePurchase, completedPurchase])),
            ("CheckoutRequest", CheckoutRequest(courseID: id(0x34))),
            ("CheckoutResponse", CheckoutResponse(
                purchase: pendingPurchase, checkoutURL: "https://checkout.stripe.com/c/pay/cs_test_d4E5f6")),
            ("StripeEvent", stripeEvent),
            ("WebhookAck", WebhookAck()),
            ("Badge", badge),
            ("BadgeCriteria", badgeCriteria),
            ("BadgeCriteriaAll", BadgeCriteria.all([.rule(.courseCompleted(courseID: nil)), .rule(.streakDays(3))])),
            ("BadgeCriteriaAny", BadgeCriteria.any([.rule(.perfectScore(lessonID: nil)), .rule(.quizPassed(lessonID: quizLessonID, count: 1))])),
            ("BadgeRule", BadgeRule.lessonsCompleted(count: 3, courseID: courseID)),
            ("UserBadge", award),
            ("EarnedBadge", EarnedBadge(badge: badge, award: award)),
            ("EarnedBadgeList", ItemList(items: [EarnedBadge(badge: badge, award: award), EarnedBadge(badge: firstStepsBadge, award: firstStepsAward)])),
            ("BadgeList", ItemList(items: [badge, firstStepsBadge])),
            ("SyncChange", syncPage.changes[0]),
            ("SyncChangesPage", syncPage),
            ("SyncMutation", mutations[1]),
            ("QuizSubmitPayload", QuizSubmitPayload(lessonID: quizLessonID, submission: submission)),
            ("SyncPushRequest", SyncPushRequest(clientID: id(0xD1), mutations: mutations)),
            ("MutationResult", applied),
            ("SyncPushResponse", pushResponse),
            ("InstructorOutline", instructorOutline),
            ("InstructorChapter", instructorChapters[1]),
            ("InstructorLesson", instructorChapters[0].lessons[1]),
            ("CourseStructure", instructorOutline.structure),
            ("ChapterSummary", instructorOutline.structure.chapters[0]),
            ("Drift", drift),
            ("ErrorEnvelope", APIErrorEnvelope(error: errorBody)),
            ("ErrorBody", errorBody),
        ]
    }
}
