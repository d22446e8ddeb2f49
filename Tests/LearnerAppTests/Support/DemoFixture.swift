import Foundation
import LMSClient
import LMSKit
import LearnerApp
import TerminalUI

/// The demo data of `lms-server seed --demo`, as the demo learner's cache holds it after a sync,
/// built in memory with fixed ids and dates so screens render the same every run.
///
/// `RealServerTests.fixtureMatchesTheRealDemo` syncs from the real server and checks that this
/// fixture says the same thing (titles, structure, content, questions, progress, badges), so it
/// cannot drift from the seed.
enum DemoFixture {
    // MARK: Fixed ids and dates

    /// `0000000G-0000-4000-8000-00000000000N`: readable in a failure message, never random.
    static func id(_ group: Int, _ number: Int) -> UUID {
        UUID(uuidString: String(format: "%08x-0000-4000-8000-%012x", group, number))!
    }

    /// 2026-03-02 09:30:00 UTC: the moment the demo was seeded and synced.
    static let now = Date(timeIntervalSince1970: 1_772_443_800)
    static let yesterday = now.addingTimeInterval(-86_400)

    static let learnerID = id(1, 1), instructorID = id(1, 2), adminID = id(1, 3)
    static let tenantID = id(10, 1), groupID = id(10, 2)
    static let server = "http://127.0.0.1:9"

    // MARK: The catalog (copied from DemoCatalog in Sources/LMSServer/Seeding/DemoSeeder.swift)

    struct LessonSpec {
        var title: String
        var type: LessonType
        var duration: Int
        var isFree = false
        var requiresPrevious = true
        var body: String?
        var videoURL: String?
        var questions: [QuestionSpec] = []
    }

    struct QuestionSpec {
        var question: String
        var type: QuestionType
        var options: [QuizOption]
        var points = 1
    }

    struct ChapterSpec {
        var title: String
        var description: String?
        var lessons: [LessonSpec]
    }

    struct CourseSpec {
        var title: String
        var slug: String
        var description: String?
        var status: CourseStatus
        var price: Decimal
        var quizPassPercent: Int?
        var chapters: [ChapterSpec]
    }

    typealias L = LessonSpec
    typealias Q = QuestionSpec

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

    static let catalog: [CourseSpec] = [
        .init(
            title: "Swift Fundamentals", slug: "swift-fundamentals",
            description: "Values, types, optionals and closures: the language from the ground up.",
            status: .published, price: 0, quizPassPercent: nil,
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
            status: .published, price: 29, quizPassPercent: 80,
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
            status: .published, price: 49, quizPassPercent: nil,
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
            status: .published, price: 0, quizPassPercent: nil,
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
            status: .draft, price: 59, quizPassPercent: nil,
            chapters: [
                .init(title: "Actors", description: nil, lessons: [
                    L(title: "Isolation domains", type: .video, duration: 900, videoURL: "https://videos.demo.lms/conc/actors.mp4"),
                ]),
            ]),
    ]

    // MARK: Built records

    /// Every course with its outline and the full content (bodies and answer keys), as the
    /// server holds it.
    struct BuiltCourse {
        var course: Course
        var chapters: [Chapter]
        var lessons: [Lesson]
        var bodies: [UUID: String]
        var questions: [UUID: [QuizQuestion]]

        var outline: CourseOutline {
            CourseOutline(course: course, chapters: chapters.map { chapter in
                ChapterOutline(chapter: chapter, lessons: lessons.filter { $0.chapterID == chapter.id })
            })
        }
    }

    static let courses: [BuiltCourse] = {
        var built: [BuiltCourse] = []
        var chapterNumber = 0, lessonNumber = 0, questionNumber = 0
        for (courseIndex, spec) in catalog.enumerated() {
            let courseID = id(2, courseIndex + 1)
            let allLessons = spec.chapters.flatMap(\.lessons)
            let created = now.addingTimeInterval(Double(courseIndex - catalog.count))
            let course = Course(
                id: courseID, title: spec.title, slug: spec.slug, description: spec.description, status: spec.status,
                price: spec.price, instructorID: instructorID, duration: allLessons.reduce(0) { $0 + $1.duration },
                chaptersCount: spec.chapters.count, lessonsCount: allLessons.count, quizPassPercent: spec.quizPassPercent,
                createdAt: created, updatedAt: created)
            var result = BuiltCourse(course: course, chapters: [], lessons: [], bodies: [:], questions: [:])
            for (chapterIndex, chapterSpec) in spec.chapters.enumerated() {
                chapterNumber += 1
                let chapter = Chapter(
                    id: id(3, chapterNumber), courseID: courseID, title: chapterSpec.title, description: chapterSpec.description,
                    position: chapterIndex + 1, createdAt: now, updatedAt: now)
                result.chapters.append(chapter)
                for (lessonIndex, lessonSpec) in chapterSpec.lessons.enumerated() {
                    lessonNumber += 1
                    let lesson = Lesson(
                        id: id(4, lessonNumber), chapterID: chapter.id, title: lessonSpec.title, type: lessonSpec.type,
                        videoURL: lessonSpec.videoURL, duration: lessonSpec.duration, position: lessonIndex + 1, isFree: lessonSpec.isFree,
                        requiresPrevious: lessonSpec.requiresPrevious, createdAt: now, updatedAt: now)
                    result.lessons.append(lesson)
                    if let body = lessonSpec.body { result.bodies[lesson.id] = body }
                    if lessonSpec.type == .quiz {
                        result.questions[lesson.id] = lessonSpec.questions.enumerated().map { index, q in
                            questionNumber += 1
                            return QuizQuestion(
                                id: id(5, questionNumber), lessonID: lesson.id, question: q.question, type: q.type, options: q.options,
                                points: q.points, position: index + 1, createdAt: now, updatedAt: now)
                        }
                    }
                }
            }
            built.append(result)
        }
        return built
    }()

    static func course(_ slug: String) -> BuiltCourse { courses.first { $0.course.slug == slug }! }
    static var swift: BuiltCourse { course("swift-fundamentals") }
    static var terminal: BuiltCourse { course("terminal-mastery") }
    static var databases: BuiltCourse { course("databases-in-depth") }
    static var japanese: BuiltCourse { course("japanese-for-beginners") }

    static func lesson(_ title: String) -> Lesson { courses.flatMap(\.lessons).first { $0.title == title }! }

    static let tenant = Tenant(
        id: tenantID, name: "Demo Academy", slug: "demo-academy", status: .active, isolationStrategy: .shared, seatsPurchased: 50,
        seatsUsed: 3, subscriptionStatus: .active, settings: ["theme": .string("default")], createdAt: now, updatedAt: now)

    static func user(_ role: UserRole) -> User {
        switch role {
        case .instructor:
            User(id: instructorID, email: "instructor@demo.lms", firstName: "Grace", lastName: "Instructor", role: .instructor,
                 status: .active, tenantID: tenantID, createdAt: now, updatedAt: now)
        case .admin:
            User(id: adminID, email: "admin@demo.lms", firstName: "Alan", lastName: "Admin", role: .admin,
                 status: .active, tenantID: tenantID, createdAt: now, updatedAt: now)
        default:
            User(id: learnerID, email: "learner@demo.lms", firstName: "Ada", lastName: "Learner", role: .learner,
                 status: .active, tenantID: tenantID, createdAt: now, updatedAt: now)
        }
    }

    static let group = Group(id: groupID, tenantID: tenantID, name: "Cohort 2026", description: "Everyone starting this year", createdAt: now, updatedAt: now)

    static let badges: [Badge] = {
        let epoch = Date(timeIntervalSince1970: 0)
        func badge(_ number: Int, _ name: String, _ description: String, _ criteria: BadgeCriteria) -> Badge {
            Badge(id: id(6, number), name: name, description: description,
                  imageURL: "https://assets.demo.lms/badges/\(name.lowercased().replacingOccurrences(of: " ", with: "-")).png",
                  criteria: criteria, createdAt: epoch, updatedAt: epoch)
        }
        return [
            badge(1, "First Steps", "Complete your first lesson.", .rule(.lessonsCompleted(count: 1, courseID: nil))),
            badge(2, "Quiz Whiz", "Pass a quiz.", .rule(.quizPassed(lessonID: nil, count: 1))),
            badge(3, "Perfectionist", "Score 100% on a quiz.", .rule(.perfectScore(lessonID: nil))),
            badge(4, "Swift Graduate", "Complete Swift Fundamentals.", .rule(.courseCompleted(courseID: id(2, 1)))),
            badge(5, "Three Day Streak", "Learn three days in a row.", .rule(.streakDays(3))),
            badge(6, "Explorer", "Complete 5 lessons and pass 2 quizzes or score a perfect quiz.",
                  .all([.rule(.lessonsCompleted(count: 5, courseID: nil)),
                        .any([.rule(.quizPassed(lessonID: nil, count: 2)), .rule(.perfectScore(lessonID: nil))])])),
        ]
    }()

    /// The learner's records: Terminal Mastery bought, the first Swift lesson done yesterday, the
    /// second started, "First Steps" earned.
    static var records: LearnerRecords {
        var records = LearnerRecords()
        let swiftLessons = swift.lessons
        records.progress = [
            UserProgress(id: id(7, 1), userID: learnerID, courseID: swift.course.id, lessonID: swiftLessons[0].id, completed: true,
                         progressSeconds: 300, completedAt: yesterday, createdAt: yesterday, updatedAt: yesterday),
            UserProgress(id: id(7, 2), userID: learnerID, courseID: swift.course.id, lessonID: swiftLessons[1].id, completed: false,
                         progressSeconds: 140, createdAt: now, updatedAt: now),
        ]
        records.badges = badges
        records.earned = [UserBadge(id: id(8, 1), userID: learnerID, badgeID: badges[0].id, earnedAt: yesterday)]
        records.purchases = [
            Purchase(id: id(9, 1), userID: learnerID, courseID: terminal.course.id, amount: 29, status: .completed,
                     stripePaymentIntentID: "pi_demo_terminal", stripeCheckoutSessionID: "cs_demo_terminal", purchasedAt: now,
                     createdAt: now, updatedAt: now),
        ]
        return records
    }

    /// What `role` may see, as the sync feed sends it: published courses (everything for the
    /// instructor and admin), with content for the lessons they are entitled to.
    static func cache(for role: UserRole = .learner) -> (index: CacheIndex, files: [CourseFile], structure: StructureMap) {
        let me = user(role)
        let learnerContext = LearnerContext(user: me, purchases: role == .learner ? records.purchases : [], progress: [])
        let visible = courses.filter { role != .learner || $0.course.status == .published }
        var structure = StructureMap()
        var files: [CourseFile] = []
        for built in visible {
            // Paid lessons of a course the learner does not own come without their links.
            let owns = role != .learner || LessonAccess.ownershipGrant(course: built.course, learner: learnerContext) != nil
            let lessons = owns ? built.lessons : built.lessons.map { $0.isFree ? $0 : $0.withoutContentLinks }
            var file = CourseFile(course: built.course, chapters: built.chapters, lessons: lessons)
            for chapter in built.chapters { structure.chapterCourse[chapter.id] = built.course.id }
            for lesson in built.lessons {
                structure.lessonChapter[lesson.id] = lesson.chapterID
                let entitled = role != .learner || lesson.isFree || LessonAccess.ownershipGrant(course: built.course, learner: learnerContext) != nil
                guard entitled else { continue }
                file.contents.append(LessonContent(
                    lesson: lesson, courseID: built.course.id, body: built.bodies[lesson.id],
                    questions: lesson.type == .quiz ? built.questions[lesson.id]?.map(\.learnerView) : nil))
            }
            files.append(file)
        }
        let index = CacheIndex(
            me: MeResponse(user: me, tenant: tenant, groups: role == .learner ? [group] : []), cursor: "fixture-cursor", lastSync: now,
            courses: visible.map(\.course).sorted { ($0.title.lowercased(), $0.id.uuidString) < ($1.title.lowercased(), $1.id.uuidString) })
        return (index, files, structure)
    }

    // MARK: Library and app state

    /// The library as the app loads it, over an account directory that need not exist.
    static func library(records: LearnerRecords = records, outbox: [OutboxEntry] = [], role: UserRole = .learner,
                        store: AccountStore = AccountStore(directory: URL(fileURLWithPath: "/nonexistent/lms-fixture"))) -> CourseLibrary {
        let cache = cache(for: role)
        let snapshot = LearnerSnapshot.make(records: records, outbox: outbox, userID: user(role).id,
                                            courseOf: { cache.structure.course(ofLesson: $0) })
        return CourseLibrary(index: cache.index, snapshot: snapshot, store: store, userID: user(role).id)
    }

    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    static let defaultTheme = Theme.load("default", directories: [themesDirectory])

    /// The app as it is once the cache is loaded and every course outline has been read: built
    /// through `App.update` with the same messages the runtime sends.
    static func state(width: Int = 80, height: Int = 24, library: CourseLibrary = library(), theme: Theme = defaultTheme) -> AppState {
        var state = AppState(theme: theme)
        state.themeNames = Theme.available(in: [themesDirectory])
        _ = App.update(&state, .resize(width: width, height: height))
        let effects = App.update(&state, .libraryLoaded(library, notices: []))
        for effect in effects {
            if case .loadCourse(let id) = effect, let file = cache(for: library.me?.role ?? .learner).files.first(where: { $0.course.id == id }) {
                _ = App.update(&state, .courseLoaded(file))
            }
        }
        // Outlines of courses not taken load when opened; have them all at hand.
        for file in cache(for: library.me?.role ?? .learner).files where state.courses[file.course.id] == nil {
            _ = App.update(&state, .courseLoaded(file))
        }
        return state
    }

    /// Instructor's view of a course, as `GET /instructor/courses/{slug}/outline` returns it.
    static func instructorOutline(_ built: BuiltCourse) -> InstructorOutline {
        InstructorOutline(
            course: built.course,
            chapters: built.chapters.map { chapter in
                InstructorChapter(chapter: chapter, lessons: built.lessons.filter { $0.chapterID == chapter.id }.map {
                    InstructorLesson(lesson: $0, body: built.bodies[$0.id], questions: built.questions[$0.id] ?? [])
                })
            },
            structure: CourseStructure.summarize(built.outline))
    }

    // MARK: On disk

    /// A signed-in account on disk: credentials (for a server nobody listens on) and the cache.
    /// Removed when the value is released.
    final class Account: Sendable {
        let root: URL

        init(role: UserRole = .learner, records: LearnerRecords = DemoFixture.records, server: String = DemoFixture.server) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("learner-app-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let me = DemoFixture.user(role)
            try CredentialStore(paths: paths).save(Credentials(
                server: server, userID: me.id, email: me.email, accessToken: "fixture-access", accessExpiresAt: now.addingTimeInterval(3600 * 24 * 365 * 50),
                refreshToken: "fixture-refresh"))
            let store = AccountStore(paths: paths, server: server, userID: me.id)
            let cache = DemoFixture.cache(for: role)
            try store.save(index: cache.index)
            try store.save(structure: cache.structure)
            try store.save(learner: records)
            for file in cache.files { try store.save(course: file) }
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        var environment: [String: String] {
            ["HOME": root.path, "XDG_CONFIG_HOME": root.appendingPathComponent("config").path, "XDG_DATA_HOME": root.appendingPathComponent("data").path]
        }

        var paths: Paths { Paths(environment: environment) }

        func session() throws -> ClientSession { try ClientSession.open(paths: paths) }
    }
}
