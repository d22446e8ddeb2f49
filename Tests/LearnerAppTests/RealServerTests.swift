import Foundation
import LMSClient
import LMSKit
import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp
import LMSServer

/// The app against the real lms-server (in this process, demo data, SQLite in a temporary folder).
@Suite("Against the real server", .serialized)
struct RealServerTests {
    // MARK: The fixture is the demo

    /// Everything the screens show, described without ids or dates.
    static func describe(index: CacheIndex, files: [CourseFile], records: LearnerRecords) -> [String] {
        var lines: [String] = []
        if let me = index.me {
            lines.append("me: \(me.user.firstName) \(me.user.lastName) <\(me.user.email)> \(me.user.role.rawValue) \(me.user.status.rawValue)"
                         + " tenant=\(me.tenant?.name ?? "-") (\(me.tenant?.slug ?? "-")) groups=\(me.groups.map(\.name))")
        }
        var titles: [String: String] = [:]
        var lessonTitles: [UUID: String] = [:]
        for file in files {
            titles[file.course.id.uuidString] = file.course.title
            titles[file.course.id.uuidString.lowercased()] = file.course.title
            for lesson in file.lessons { lessonTitles[lesson.id] = lesson.title }
        }
        for course in index.courses {
            lines.append("course: \(course.title) | \(course.slug) | \(course.status.rawValue) | \(course.price) | \(course.duration)s | "
                         + "\(course.chaptersCount) chapters | \(course.lessonsCount) lessons | pass \(course.quizPassPercent.map(String.init) ?? "-") | \(course.description ?? "-")")
            guard let file = files.first(where: { $0.course.id == course.id }) else {
                lines.append("  (no course file)")
                continue
            }
            for chapter in file.chapters.sorted(by: { $0.position < $1.position }) {
                lines.append("  chapter \(chapter.position): \(chapter.title) | \(chapter.description ?? "-")")
                for lesson in file.lessons.filter({ $0.chapterID == chapter.id }).sorted(by: { $0.position < $1.position }) {
                    lines.append("    lesson \(lesson.position): \(lesson.title) | \(lesson.type.rawValue) | \(lesson.duration)s | free \(lesson.isFree) | "
                                 + "after previous \(lesson.requiresPrevious) | \(lesson.videoURL ?? "-")")
                    guard let content = file.content(of: lesson.id) else { continue }
                    lines.append("      content: \(content.body.map { "\($0.count) characters: \($0.prefix(40))…" } ?? "no body")")
                    for question in content.questions ?? [] {
                        lines.append("      question \(question.position): \(question.question) | \(question.type.rawValue) | \(question.points) point(s) | "
                                     + question.options.map { "\($0.id)=\($0.text)" }.joined(separator: ", "))
                    }
                }
            }
        }
        for row in records.progress.sorted(by: { (lessonTitles[$0.lessonID] ?? "") < (lessonTitles[$1.lessonID] ?? "") }) {
            lines.append("progress: \(lessonTitles[row.lessonID] ?? "?") completed \(row.completed) \(row.progressSeconds)s")
        }
        for badge in records.badges {
            var criteria = String(decoding: (try? LMSJSON.encode(badge.criteria)) ?? Data(), as: UTF8.self)
            for (id, title) in titles { criteria = criteria.replacingOccurrences(of: id, with: title) }
            lines.append("badge: \(badge.name) | \(badge.description ?? "-") | \(badge.imageURL) | \(criteria)")
        }
        let badgeNames = Dictionary(records.badges.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        for award in records.earned { lines.append("earned: \(badgeNames[award.badgeID] ?? "?")") }
        for purchase in records.purchases {
            lines.append("purchase: \(titles[purchase.courseID.uuidString] ?? "?") \(purchase.status.rawValue) \(purchase.amount) \(purchase.currency.rawValue)")
        }
        lines.append("quiz results: \(records.quizResults.count)")
        return lines
    }

    @Test("The fixture behind the golden screens is what the real demo syncs", arguments: [UserRole.learner, .instructor])
    func fixtureMatchesTheRealDemo(_ role: UserRole) async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server, as: role == .learner ? DemoAccounts.learner : DemoAccounts.instructor)
            _ = try await session.syncEngine().run()
            var notices = AccountStore.Notices()
            let index = try session.store.index(notices: &notices)
            let records = try session.store.learner(notices: &notices)
            let files = try index.courses.compactMap { try session.store.course($0.id, notices: &notices) }
            #expect(notices.messages.isEmpty)
            let real = Self.describe(index: index, files: files, records: records)
            let cache = DemoFixture.cache(for: role)
            let fixtureRecords = role == .learner ? DemoFixture.records : {
                var instructor = LearnerRecords()
                instructor.badges = DemoFixture.badges
                return instructor
            }()
            let fixture = Self.describe(index: cache.index, files: cache.files, records: fixtureRecords)
            let differences = zip(real, fixture).enumerated().filter { $0.element.0 != $0.element.1 }
                .map { "line \($0.offset):\n  server  |\($0.element.0)|\n  fixture |\($0.element.1)|" }
            #expect(differences.isEmpty && real.count == fixture.count,
                    "\(differences.prefix(10).joined(separator: "\n"))\n(\(real.count) lines from the server, \(fixture.count) in the fixture)")
        }
    }

    // MARK: The app, signed in to the real server

    @Test("Sync, study, take the Swift quiz: graded 5/5 with new badges")
    func studyAndPass() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            let harness = RunnerHarness(session: session, syncOnStart: true)
            harness.runner.start()
            // The first frame comes from an empty cache; the sync on start fills it.
            try await harness.wait("the first sync", timeout: 60) { $0.state.sync.online == true && !$0.state.sync.running }
            try await harness.waitForText("Continue: Installing the toolchain")
            #expect(harness.text.contains("Welcome back, Ada"))
            harness.press(.character("n"))
            for title in ["Installing the toolchain", "Hello, world", "Constants and variables", "Optionals explained"] {
                try await harness.wait("the page of '\(title)'") { $0.lines[0].contains(title) }
                harness.press(.character("m"))
                try await harness.waitForText("✓ completed")
                harness.press(.character("n"))
            }
            try await harness.waitForText("4 questions · Enter: start")
            harness.press(.enter)
            #expect(harness.text.contains("Which keyword declares a constant?"))
            harness.press(.down, .enter)  // let
            harness.press(.character(" "), .down, .character(" "), .enter)  // struct, enum
            harness.press(.enter)  // True
            harness.type("nil")
            harness.press(.enter)
            #expect(harness.text.contains("Review your answers"))
            harness.press(.enter)
            try await harness.waitForText("✓ Passed", timeout: 60)
            #expect(harness.text.contains("Score: 5/5 (100%) · attempt 1"))
            try await harness.wait("the sync to finish") { !$0.state.sync.running }
            let status = harness.state.status?.text ?? ""
            #expect(status.contains("New badge") || harness.state.library?.snapshot.earned.count ?? 0 >= 3, "\(status)")
            harness.press(.enter)
            #expect(harness.text.contains("• #1"))
            #expect(harness.text.contains("5/5 · passed"))
            harness.press(.character("b"))
            #expect(harness.text.contains("★ Quiz Whiz"))
            #expect(harness.text.contains("★ Perfectionist"))
        }
    }

    @Test("Offline: the quiz waits as pending grading, then the server grades it on sync")
    func offlineQuizIsGradedLater() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.syncEngine().run()
            let harness = RunnerHarness(session: session)
            harness.runner.start()
            await server.stop()

            // Terminal Mastery: the learner owns it; complete the lessons before the quiz.
            harness.press(.character("c"), .character("/"))
            harness.type("terminal")
            harness.press(.enter, .enter)
            try await harness.waitForText("Shell quiz")
            harness.press(.down, .enter)
            for title in ["What a shell does", "Pipes and redirection"] {
                try await harness.wait("the page of '\(title)'") { $0.lines[0].contains(title) }
                harness.press(.character("m"))
                try await harness.waitForText("✓ completed")
                harness.press(.character("n"))
            }
            try await harness.waitForText("2 questions · Enter: start")
            harness.press(.enter, .enter)  // "|"
            harness.press(.down, .enter)  // False
            harness.press(.enter)  // submit
            try await harness.waitForText("Pending grading")
            try await harness.wait("the sync to give up", timeout: 60) { $0.state.sync.online == false && !$0.state.sync.running }
            #expect(harness.text.contains("You are offline"))
            #expect(harness.text.contains("○ offline"))
            #expect(harness.text.contains("3 pending"))

            try await server.restart()
            harness.press(.character("s"))
            try await harness.waitForText("✓ Passed", timeout: 60)
            #expect(harness.text.contains("Score: 2/2 (100%)"))
            try await harness.wait("the pending count to clear") { !$0.text.contains("pending") && !$0.state.sync.running }
            #expect(harness.text.contains("● online"))
        }
    }
}
