import Foundation
import LMSClient
import LMSKit
import LMSServer
import LearnerApp
import TerminalUI

/// The demo data of `lms-server seed --demo`, as the demo learner's cache holds it after a sync,
/// built in memory with fixed ids and dates so screens render the same every run.
///
/// The catalog and badges are the demo seeder's own (`DemoCatalog`);
/// `RealServerTests.fixtureMatchesTheRealDemo` syncs from the real server and checks that the rest
/// (records, progress, what each role sees) says the same thing.
package enum DemoFixture {
    // MARK: Fixed ids and dates

    /// `0000000G-0000-4000-8000-00000000000N`: readable in a failure message, never random.
    package static func id(_ group: Int, _ number: Int) -> UUID {
        UUID(uuidString: String(format: "%08x-0000-4000-8000-%012x", group, number))!
    }

    /// 2026-03-02 09:30:00 UTC: the moment the demo was seeded and synced.
    package static let now = Date(timeIntervalSince1970: 1_772_443_800)
    package static let yesterday = now.addingTimeInterval(-86_400)

    package static let learnerID = id(1, 1), instructorID = id(1, 2), adminID = id(1, 3)
    package static let tenantID = id(10, 1), groupID = id(10, 2)
    package static let server = "http://127.0.0.1:9"

    // MARK: The catalog: the demo seeder's own, with fixed ids

    package static let catalog: [CatalogBuilder.CourseSpec] = DemoCatalog.courses(instructorID: instructorID)

    // MARK: Built records

    /// Every course with its outline and the full content (bodies and answer keys), as the
    /// server holds it.
    package struct BuiltCourse {
        package var course: Course
        package var chapters: [Chapter]
        package var lessons: [Lesson]
        package var bodies: [UUID: String]
        package var questions: [UUID: [QuizQuestion]]

        package var outline: CourseOutline {
            CourseOutline(course: course, chapters: chapters.map { chapter in
                ChapterOutline(chapter: chapter, lessons: lessons.filter { $0.chapterID == chapter.id })
            })
        }
    }

    package static let courses: [BuiltCourse] = {
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

    package static func course(_ slug: String) -> BuiltCourse { courses.first { $0.course.slug == slug }! }
    package static var swift: BuiltCourse { course("swift-fundamentals") }
    package static var terminal: BuiltCourse { course("terminal-mastery") }
    package static var databases: BuiltCourse { course("databases-in-depth") }
    package static var japanese: BuiltCourse { course("japanese-for-beginners") }

    package static func lesson(_ title: String) -> Lesson { courses.flatMap(\.lessons).first { $0.title == title }! }

    package static let tenant = Tenant(
        id: tenantID, name: "Demo Academy", slug: "demo-academy", status: .active, isolationStrategy: .shared, seatsPurchased: 50,
        seatsUsed: 3, subscriptionStatus: .active, settings: ["theme": .string("default")], createdAt: now, updatedAt: now)

    package static func user(_ role: UserRole) -> User {
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

    package static let group = Group(id: groupID, tenantID: tenantID, name: "Cohort 2026", description: "Everyone starting this year", createdAt: now, updatedAt: now)

    package static let badges: [Badge] = DemoCatalog.badges(swiftCourseID: id(2, 1)).enumerated().map { index, badge in
        var badge = badge
        badge.id = id(6, index + 1)
        return badge
    }

    /// The learner's records: Terminal Mastery bought, the first Swift lesson done yesterday, the
    /// second started, "First Steps" earned.
    package static var records: LearnerRecords {
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
    package static func cache(for role: UserRole = .learner) -> (index: CacheIndex, files: [CourseFile], structure: StructureMap) {
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
    package static func library(records: LearnerRecords = records, outbox: [OutboxEntry] = [], role: UserRole = .learner,
                        store: AccountStore = AccountStore(directory: URL(fileURLWithPath: "/nonexistent/lms-fixture"))) -> CourseLibrary {
        let cache = cache(for: role)
        let snapshot = LearnerSnapshot.make(records: records, outbox: outbox, userID: user(role).id,
                                            courseOf: { cache.structure.course(ofLesson: $0) })
        return CourseLibrary(index: cache.index, snapshot: snapshot, store: store, userID: user(role).id)
    }

    package static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    package static let defaultTheme = Theme.load("default", directories: [themesDirectory])

    /// The app as it is once the cache is loaded and every course outline has been read: built
    /// through `App.update` with the same messages the runtime sends.
    package static func state(width: Int = 80, height: Int = 24, library: CourseLibrary = library(), theme: Theme = defaultTheme) -> AppState {
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
    package static func instructorOutline(_ built: BuiltCourse) -> InstructorOutline {
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
    package final class Account: Sendable {
        package let home: TestHome

        package init(role: UserRole = .learner, records: LearnerRecords = DemoFixture.records, server: String = DemoFixture.server) throws {
            home = try TestHome()
            let me = DemoFixture.user(role)
            try CredentialStore(paths: home.paths).save(Credentials(
                server: server, userID: me.id, email: me.email, accessToken: "fixture-access", accessExpiresAt: now.addingTimeInterval(3600 * 24 * 365 * 50),
                refreshToken: "fixture-refresh"))
            let store = AccountStore(paths: home.paths, server: server, userID: me.id)
            let cache = DemoFixture.cache(for: role)
            try store.save(index: cache.index)
            try store.save(structure: cache.structure)
            try store.save(learner: records)
            for file in cache.files { try store.save(course: file) }
        }

        package var root: URL { home.root }
        package var environment: [String: String] { home.environment }
        package var paths: Paths { home.paths }

        package func session() throws -> ClientSession { try ClientSession.open(paths: paths) }
    }
}
