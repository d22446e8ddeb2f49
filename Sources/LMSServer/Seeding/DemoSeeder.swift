import Foundation
import LMSKit
import SQLKit
import Vapor

/// The demo data behind `lms demo` and the documentation. Passwords are public on purpose.
public enum DemoAccounts {
    public static let password = "demo-password"
    public static let learner = "learner@demo.lms"
    public static let instructor = "instructor@demo.lms"
    public static let admin = "admin@demo.lms"
}

package struct DemoSeeder {
    let db: any SQLDatabase
    let passwordHash: String
    let now: Date

    package init(db: any SQLDatabase, passwordHash: String, now: Date) {
        self.db = db
        self.passwordHash = passwordHash
        self.now = now
    }

    package struct Result: Sendable {
        package var tenantID: UUID
        package var learnerID: UUID
        package var instructorID: UUID
        package var adminID: UUID
        package var courseSlugs: [String]
    }

    package func seed() async throws -> Result {
        if try await UserStore(db: db).id(ofEmail: DemoAccounts.learner) != nil {
            throw APIFailure.conflict("The demo data is already there")
        }
        let writer = BulkWriter(db: db)
        let tenantID = UUID()
        try await writer.insert(
            into: "tenants",
            columns: ["id", "name", "slug", "status", "isolation_strategy", "seats_purchased", "seats_used", "subscription_status",
                      "settings", "created_at", "updated_at"],
            rows: [[.uuid(tenantID), .text("Demo Academy"), .text("demo-academy"), .text("active"), .text("SHARED"), .int(50), .int(3),
                    .text("active"), .json("{\"theme\":\"default\"}"), .date(now), .date(now)]])
        let learner = UUID(), instructor = UUID(), admin = UUID()
        let people: [(UUID, String, String, String, UserRole)] = [
            (learner, DemoAccounts.learner, "Ada", "Learner", .learner),
            (instructor, DemoAccounts.instructor, "Grace", "Instructor", .instructor),
            (admin, DemoAccounts.admin, "Alan", "Admin", .admin),
        ]
        try await writer.insert(
            into: "users",
            columns: ["id", "email", "password_hash", "first_name", "last_name", "role", "status", "tenant_id", "created_at", "updated_at"],
            rows: people.map { [.uuid($0.0), .text($0.1), .text(passwordHash), .text($0.2), .text($0.3), .text($0.4.rawValue),
                                .text("active"), .uuid(tenantID), .date(now), .date(now)] })
        let groupID = UUID()
        try await writer.insert(
            into: "groups", columns: ["id", "tenant_id", "name", "description", "created_at", "updated_at"],
            rows: [[.uuid(groupID), .uuid(tenantID), .text("Cohort 2026"), .text("Everyone starting this year"), .date(now), .date(now)]])
        try await writer.insert(into: "user_groups", columns: ["user_id", "group_id"], rows: [[.uuid(learner), .uuid(groupID)]])

        let courses = DemoCatalog.courses(instructorID: instructor)
        let built = try await CatalogBuilder(db: db, now: now).build(courses)
        for courseID in built.courseIDs {
            try await ChangeLog(db: db).record(.lessonContent, ids: built.lessonIDsByCourse[courseID] ?? [], userID: instructor, at: now)
        }

        // The learner bought "Terminal Mastery" (index 1).
        let terminal = built.courseIDs[1]
        let purchase = Purchase(
            id: UUID(), userID: learner, courseID: terminal, amount: courses[1].price, status: .completed,
            stripePaymentIntentID: "pi_demo_terminal", stripeCheckoutSessionID: "cs_demo_terminal", purchasedAt: now,
            createdAt: now, updatedAt: now)
        try await PurchaseStore(db: db).insert(purchase)
        try await ChangeLog(db: db).record(.purchase, id: purchase.id, userID: learner, at: now)
        try await PurchaseStore(db: db).logNewlyOwnedContent(purchase, at: now)

        // Some progress in "Swift Fundamentals": the first lesson done yesterday, the second started.
        let swiftLessons = built.lessonIDsByCourse[built.courseIDs[0]] ?? []
        let yesterday = now.addingTimeInterval(-86_400)
        let progress = [
            UserProgress(id: UUID(), userID: learner, courseID: built.courseIDs[0], lessonID: swiftLessons[0], completed: true,
                         progressSeconds: 300, completedAt: yesterday, createdAt: yesterday, updatedAt: yesterday),
            UserProgress(id: UUID(), userID: learner, courseID: built.courseIDs[0], lessonID: swiftLessons[1], completed: false,
                         progressSeconds: 140, createdAt: now, updatedAt: now),
        ]
        try await LearnerStore(db: db).upsert(progress)
        try await ChangeLog(db: db).record(.progress, ids: progress.map(\.id), userID: learner, at: now)

        let badges = DemoCatalog.badges(swiftCourseID: built.courseIDs[0])
        try await writer.insert(
            into: "badges", columns: ["id", "name", "description", "image_url", "criteria", "created_at", "updated_at"],
            rows: try badges.map { [.uuid($0.id), .text($0.name), .optional($0.description), .text($0.imageURL),
                                    .json(try $0.criteria.jsonText()), .date(now), .date(now)] })
        try await writer.logChanges(.badge, ids: badges.map(\.id), userID: nil, at: now)
        // The completed first lesson already earns "First Steps".
        let first = UserBadge(id: UUID(), userID: learner, badgeID: badges[0].id, earnedAt: yesterday)
        try await LearnerStore(db: db).insert(first)
        try await ChangeLog(db: db).record(.userBadge, id: first.id, userID: learner, at: now)

        return Result(tenantID: tenantID, learnerID: learner, instructorID: instructor, adminID: admin, courseSlugs: courses.map(\.slug))
    }
}

/// The demo courses: every lesson type, every question type, free and paid, a draft, and titles
/// in Japanese and with emoji to keep the terminal honest about widths.
package enum DemoCatalog {
    typealias L = CatalogBuilder.LessonSpec
    typealias Q = CatalogBuilder.QuestionSpec

    package static func courses(instructorID: UUID) -> [CatalogBuilder.CourseSpec] {
        [
            .init(
                title: "Swift Fundamentals", slug: "swift-fundamentals",
                description: "Values, types, optionals and closures: the language from the ground up.",
                status: .published, price: 0, instructorID: instructorID, quizPassPercent: nil,
                chapters: [
                    .init(title: "Getting started", description: "Install the toolchain and run your first program.", lessons: [
                        L(title: "Welcome to Swift", type: .video, duration: 300, isFree: true, requiresPrevious: false,
                          videoURL: "https://videos.demo.lms/swift/welcome.mp4"),
                        L(title: "Installing the toolchain", type: .video, duration: 420, videoURL: "https://videos.demo.lms/swift/install.mp4"),
                        L(title: "Hello, world", type: .text, duration: 240, body: swiftHello),
                    ]),
                    .init(title: "Values and types", description: nil, lessons: [
                        L(title: "Constants and variables", type: .video, duration: 480, videoURL: "https://videos.demo.lms/swift/let-var.mp4"),
                        L(title: "Optionals explained", type: .text, duration: 360, body: swiftOptionals),
                        L(title: "Check your understanding", type: .quiz, duration: 300, questions: swiftQuiz),
                    ]),
                ]),
            .init(
                title: "Terminal Mastery", slug: "terminal-mastery",
                description: "Shells, pipes, tmux and the tools that make the terminal fast.",
                status: .published, price: 29, instructorID: instructorID, quizPassPercent: 80,
                chapters: [
                    .init(title: "The shell", description: nil, lessons: [
                        L(title: "What a shell does", type: .video, duration: 600, isFree: true, videoURL: "https://videos.demo.lms/term/shell.mp4"),
                        L(title: "Pipes and redirection", type: .text, duration: 420, body: "Every program reads standard input and writes standard output.\n\n`ls | wc -l` counts the files in a directory."),
                        L(title: "Shell quiz", type: .quiz, duration: 240, questions: [
                            Q(question: "Which operator sends one program's output into another's input?", type: .singleChoice,
                              options: [.init(id: "a", text: "|", isCorrect: true), .init(id: "b", text: ">"), .init(id: "c", text: "&&")]),
                            Q(question: "`>` appends to a file.", type: .trueFalse,
                              options: [.init(id: "true", text: "True"), .init(id: "false", text: "False", isCorrect: true)]),
                        ]),
                    ]),
                    .init(title: "tmux", description: "Sessions that survive a dropped connection.", lessons: [
                        L(title: "Sessions, windows, panes", type: .video, duration: 540, videoURL: "https://videos.demo.lms/term/tmux.mp4"),
                        L(title: "A tmux cheat sheet", type: .text, duration: 180, body: "`tmux new -s work` starts a session.\n`Ctrl-b d` detaches.\n`tmux attach -t work` comes back."),
                    ]),
                ]),
            .init(
                title: "Databases in Depth", slug: "databases-in-depth",
                description: "PostgreSQL from schema design to query plans.",
                status: .published, price: 49, instructorID: instructorID, quizPassPercent: nil,
                chapters: [
                    .init(title: "Modelling", description: nil, lessons: [
                        L(title: "Why relational?", type: .video, duration: 660, isFree: true, requiresPrevious: false,
                          videoURL: "https://videos.demo.lms/db/why.mp4"),
                        L(title: "Keys and constraints", type: .text, duration: 600, body: "A primary key names a row. A foreign key points at one."),
                        L(title: "Indexes", type: .video, duration: 720, videoURL: "https://videos.demo.lms/db/indexes.mp4"),
                    ]),
                ]),
            .init(
                title: "日本語 入門 — Japanese for Beginners 🎌", slug: "japanese-for-beginners",
                description: "ひらがな, katakana and your first conversations.",
                status: .published, price: 0, instructorID: instructorID, quizPassPercent: nil,
                chapters: [
                    .init(title: "ひらがな Hiragana", description: nil, lessons: [
                        L(title: "あいうえお", type: .video, duration: 360, requiresPrevious: false, videoURL: "https://videos.demo.lms/ja/aiueo.mp4"),
                        L(title: "Hiragana quiz 🈁", type: .quiz, duration: 180, questions: [
                            Q(question: "How is あ read?", type: .shortAnswer, options: [.init(id: "0", text: "a", isCorrect: true)]),
                        ]),
                    ]),
                ]),
            .init(
                title: "Advanced Concurrency", slug: "advanced-concurrency",
                description: "Actors, isolation and structured concurrency (in preparation).",
                status: .draft, price: 59, instructorID: instructorID, quizPassPercent: nil,
                chapters: [
                    .init(title: "Actors", description: nil, lessons: [
                        L(title: "Isolation domains", type: .video, duration: 900, videoURL: "https://videos.demo.lms/conc/actors.mp4"),
                    ]),
                ]),
        ]
    }

    static let swiftQuiz: [Q] = [
        Q(question: "Which keyword declares a constant?", type: .singleChoice,
          options: [.init(id: "a", text: "var"), .init(id: "b", text: "let", isCorrect: true), .init(id: "c", text: "const")]),
        Q(question: "Which of these are value types?", type: .multipleChoice, options: [
            .init(id: "a", text: "struct", isCorrect: true), .init(id: "b", text: "enum", isCorrect: true),
            .init(id: "c", text: "class"), .init(id: "d", text: "actor"),
        ], points: 2),
        Q(question: "An optional may hold no value.", type: .trueFalse,
          options: [.init(id: "true", text: "True", isCorrect: true), .init(id: "false", text: "False")]),
        Q(question: "What literal stands for 'no value' in Swift?", type: .shortAnswer, options: [.init(id: "0", text: "nil", isCorrect: true)]),
    ]

    package static func badges(swiftCourseID: UUID) -> [Badge] {
        let now = Date(timeIntervalSince1970: 0)
        func badge(_ name: String, _ description: String, _ criteria: BadgeCriteria) -> Badge {
            Badge(id: UUID(), name: name, description: description, imageURL: "https://assets.demo.lms/badges/\(name.lowercased().replacingOccurrences(of: " ", with: "-")).png",
                  criteria: criteria, createdAt: now, updatedAt: now)
        }
        return [
            badge("First Steps", "Complete your first lesson.", .rule(.lessonsCompleted(count: 1, courseID: nil))),
            badge("Quiz Whiz", "Pass a quiz.", .rule(.quizPassed(lessonID: nil, count: 1))),
            badge("Perfectionist", "Score 100% on a quiz.", .rule(.perfectScore(lessonID: nil))),
            badge("Swift Graduate", "Complete Swift Fundamentals.", .rule(.courseCompleted(courseID: swiftCourseID))),
            badge("Three Day Streak", "Learn three days in a row.", .rule(.streakDays(3))),
            badge("Explorer", "Complete 5 lessons and pass 2 quizzes or score a perfect quiz.",
                  .all([.rule(.lessonsCompleted(count: 5, courseID: nil)),
                        .any([.rule(.quizPassed(lessonID: nil, count: 2)), .rule(.perfectScore(lessonID: nil))])])),
        ]
    }

    static let swiftHello = """
        # Hello, world

        Create a file called `main.swift`:

            print("Hello, world!")

        Run it with `swift main.swift`. Swift needs no `main` function: the top of the file is the program.
        """

    static let swiftOptionals = """
        # Optionals

        An optional either holds a value or holds nothing (`nil`). `String?` means "a String, or nothing".
        Unwrap with `if let name { … }`, or provide a default with `name ?? "anonymous"`.
        """
}
