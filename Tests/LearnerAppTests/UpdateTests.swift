import Foundation
import LMSClient
import LMSKit
import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp

@Suite("App.update: navigation")
struct NavigationTests {
    @Test func enterOpensAndEscGoesBack() {
        var state = DemoFixture.state()
        #expect(state.stack == [.home])
        // The first row continues the course touched last.
        let items = HomeModel.items(state)
        #expect(items.first == .resume(DemoFixture.swift.course, DemoFixture.lesson("Installing the toolchain")))
        #expect(press(&state, .enter).isEmpty)
        #expect(state.route == .lesson(course: DemoFixture.swift.course.id, lesson: DemoFixture.lesson("Installing the toolchain").id))
        #expect(press(&state, .escape).isEmpty)
        #expect(state.stack == [.home])
        #expect(!state.quitting)
    }

    @Test func aStackOfScreensUnwindsOneStepAtATime() {
        var state = DemoFixture.state()
        press(&state, .character("c"))
        #expect(state.route == .catalog)
        // Catalog order is by title: Databases, Swift, Terminal, 日本語.
        #expect(CatalogModel.courses(state).map(\.slug) == ["databases-in-depth", "swift-fundamentals", "terminal-mastery", "japanese-for-beginners"])
        press(&state, .down)
        let effects = press(&state, .enter)
        #expect(state.stack == [.home, .catalog, .course(DemoFixture.swift.course.id)])
        #expect(effects == [.loadCourse(DemoFixture.swift.course.id)])
        press(&state, .character("?"))
        #expect(state.route == .help)
        // q, Esc, h and ← all go back.
        press(&state, .character("q"))
        #expect(state.route == .course(DemoFixture.swift.course.id))
        press(&state, .character("h"))
        #expect(state.route == .catalog)
        press(&state, .left)
        #expect(state.stack == [.home])
        #expect(!state.quitting)
    }

    @Test("q on Home quits; back on Home (Esc, h, ←) does nothing")
    func qOnHomeQuits() {
        var state = DemoFixture.state()
        for key in [Key.escape, .character("h"), .left] {
            #expect(press(&state, key).isEmpty)
            #expect(state.stack == [.home] && !state.quitting, "\(key) on Home")
        }
        #expect(press(&state, .character("q")) == [.quit])
        #expect(state.quitting)
        // Too small to draw: the screen says "q: quit", and only q does.
        var tiny = DemoFixture.state(width: 10, height: 3)
        #expect(press(&tiny, .escape).isEmpty && !tiny.quitting)
        #expect(press(&tiny, .character("q")) == [.quit])
    }

    @Test("Ctrl-C quits from anywhere, even while typing")
    func ctrlCQuits() {
        var inFilter = DemoFixture.state()
        press(&inFilter, .character("c"), .character("/"))
        type(&inFilter, "sw")
        #expect(press(&inFilter, .ctrl("c")) == [.quit])
        #expect(inFilter.quitting)

        var inQuiz = DemoFixture.stateAtSwiftQuiz()
        press(&inQuiz, .enter)
        #expect(press(&inQuiz, .ctrl("c")) == [.quit])

        var tiny = DemoFixture.state(width: 10, height: 3)
        #expect(press(&tiny, .ctrl("c")) == [.quit])
    }

    /// A key that reads the clock cannot have its frame prepared ahead: answering must not.
    @Test("In a quiz the clock is read by the submission alone")
    func quizReadsTheClockOnlyToSubmit() {
        var state = DemoFixture.stateAtSwiftQuiz()
        var reads = 0
        func pressCounting(_ key: Key) -> [Effect] {
            App.update(&state, .key(key), now: { reads += 1; return Date() }())
        }
        _ = pressCounting(.enter)
        guard case .quiz = state.route else {
            Issue.record("Enter on the quiz lesson did not start the quiz: \(state.route)")
            return
        }
        for key in [Key.down, .up, .character(" "), .character("j"), .character(" "), .right, .left] { _ = pressCounting(key) }
        #expect(reads == 0)
        var submitted: [Effect] = []
        for _ in 0..<12 where submitted.isEmpty {
            _ = pressCounting(.character(" "))
            submitted = pressCounting(.enter).filter { if case .enqueue = $0 { true } else { false } }
        }
        #expect(submitted.count == 1)
        #expect(reads == 1)
    }

    @Test("Below 40x10 only q (and Ctrl-C) work", arguments: [(39, 24), (80, 9), (1, 1), (39, 9)])
    func tooSmall(width: Int, height: Int) {
        var state = DemoFixture.state()
        _ = App.update(&state, .resize(width: width, height: height))
        let before = (state.stack, state.lists, state.status, state.filter)
        for key in [Key.character("c"), .enter, .escape, .down, .character("j"), .character("s"), .character("/"), .character("t"), .character("n"), .character("?")] {
            #expect(press(&state, key).isEmpty, "\(key)")
        }
        #expect(state.stack == before.0 && state.lists == before.1 && state.status == before.2 && state.filter == before.3)
        #expect(!state.sync.running)
        #expect(press(&state, .character("q")) == [.quit])
        #expect(state.quitting)
    }

    @Test func growingBackMakesKeysWorkAgain() {
        var state = DemoFixture.state()
        _ = App.update(&state, .resize(width: 30, height: 5))
        press(&state, .character("c"))
        #expect(state.route == .home)
        _ = App.update(&state, .resize(width: 40, height: 10))
        press(&state, .character("c"))
        #expect(state.route == .catalog)
    }

    @Test func globalScreens() {
        var state = DemoFixture.state()
        press(&state, .character("p"))
        #expect(state.route == .progress)
        press(&state, .character("b"))
        #expect(state.route == .badges)
        press(&state, .character("b"))  // already there: not pushed twice
        #expect(state.stack == [.home, .progress, .badges])
        press(&state, .character("?"))
        #expect(state.route == .help)
    }

    @Test func homeRowsOpenWhatTheySay() {
        var state = DemoFixture.state()
        let items = HomeModel.items(state)
        #expect(items.count == 6)  // continue, 2 courses, browse, progress, badges
        #expect(items[1] == .course(DemoFixture.swift.course) && items[2] == .course(DemoFixture.terminal.course))
        press(&state, .down, .down, .enter)
        #expect(state.route == .course(DemoFixture.terminal.course.id))
        press(&state, .escape, .character("G"), .enter)
        #expect(state.route == .badges)
        press(&state, .escape, .up, .enter)
        #expect(state.route == .progress)
        press(&state, .escape, .up, .enter)
        #expect(state.route == .catalog)
    }

    @Test func nextLessonFromAnywhere() {
        var state = DemoFixture.state()
        press(&state, .character("c"), .character("b"))
        press(&state, .character("n"))
        #expect(state.route == .lesson(course: DemoFixture.swift.course.id, lesson: DemoFixture.lesson("Installing the toolchain").id))
        // From a lesson, n replaces the page rather than piling up.
        var done = DemoFixture.state(library: DemoFixture.library(records: DemoFixture.records(completing: ["Installing the toolchain"])))
        press(&done, .character("n"))
        #expect(done.route == .lesson(course: DemoFixture.swift.course.id, lesson: DemoFixture.lesson("Hello, world").id))
        #expect(done.stack.count == 2)
    }

    @Test func nothingToStudyBeforeTheOutlinesLoad() {
        var state = AppState(theme: DemoFixture.defaultTheme)
        _ = App.update(&state, .libraryLoaded(DemoFixture.library(), notices: []))
        press(&state, .character("n"))
        #expect(state.route == .home)
        #expect(state.status?.text == "Your courses are still loading: try n again in a moment")
    }

    @Test func libraryNoticesShowAsErrors() {
        var state = AppState(theme: DemoFixture.defaultTheme)
        let effects = App.update(&state, .libraryLoaded(DemoFixture.library(), notices: ["learner.json was damaged"]))
        #expect(state.status == StatusMessage(text: "learner.json was damaged", isError: true, sticky: true))
        #expect(Set(effects) == [.loadCourse(DemoFixture.swift.course.id), .loadCourse(DemoFixture.terminal.course.id)])
        // It concerns every screen: it stays while the learner moves.
        press(&state, .character("c"), .escape)
        #expect(state.status?.text == "learner.json was damaged")
    }

    @Test("A screen's message goes with it: Locked on a course does not follow to the catalog")
    func messagesBelongToTheirScreen() {
        var state = DemoFixture.state()
        press(&state, .character("c"), .enter, .down, .down, .enter)
        #expect(state.status?.text.hasPrefix("Locked: Buy the course") == true, "\(String(describing: state.status))")
        press(&state, .escape)
        #expect(state.route == .catalog && state.status == nil)
    }

    @Test("The sync after an action keeps the action's confirmation unless it has news")
    func confirmationsStay() {
        var state = DemoFixture.state()
        #expect(App.update(&state, .enqueued("Completed 'Hello, world'")) == [.loadLibrary, .sync])
        #expect(state.sync.running && state.sync.inBackground)
        var report = SyncReport()
        report.pushed = 1
        _ = App.update(&state, .syncFinished(report, error: nil, offline: false))
        #expect(state.status?.text == "Completed 'Hello, world'")
        // News is told: a badge.
        _ = App.update(&state, .enqueued("Completed 'Optionals explained'"))
        report.awardedBadges = [UserBadge(id: DemoFixture.id(8, 2), userID: DemoFixture.learnerID, badgeID: DemoFixture.badges[1].id, earnedAt: DemoFixture.now)]
        _ = App.update(&state, .syncFinished(report, error: nil, offline: false))
        #expect(state.status?.text.hasPrefix("New badge: Quiz Whiz!") == true)
    }
}

@Suite("App.update: catalog filter")
struct CatalogFilterTests {
    private func catalog() -> AppState {
        var state = DemoFixture.state()
        press(&state, .character("c"))
        return state
    }

    @Test func typingFiltersAsYouType() {
        var state = catalog()
        press(&state, .down, .down)
        press(&state, .character("/"))
        #expect(state.filter != nil)
        type(&state, "SWI")
        #expect(state.filter?.value == "SWI")
        #expect(CatalogModel.courses(state).map(\.slug) == ["swift-fundamentals"])
        #expect(state.list(.catalog).selected == 0)
        // Keys that mean something elsewhere are text here.
        type(&state, "q")
        #expect(state.route == .catalog && !state.quitting)
        #expect(CatalogModel.courses(state).isEmpty)
        press(&state, .backspace)
        press(&state, .enter)
        #expect(state.filter == nil && state.filterText == "SWI")
        #expect(CatalogModel.courses(state).count == 1)
        #expect(press(&state, .enter) == [.loadCourse(DemoFixture.swift.course.id)])
    }

    @Test func escInTheFilterClearsIt() {
        var state = catalog()
        press(&state, .character("/"))
        type(&state, "日本")
        #expect(CatalogModel.courses(state).map(\.slug) == ["japanese-for-beginners"])
        press(&state, .escape)
        #expect(state.filter == nil && state.filterText.isEmpty)
        #expect(CatalogModel.courses(state).count == 4)
        #expect(state.route == .catalog)
    }

    @Test func reopeningTheFilterKeepsItsText() {
        var state = catalog()
        press(&state, .character("/"))
        type(&state, "ter")
        press(&state, .enter, .character("/"))
        #expect(state.filter?.value == "ter")
        press(&state, .down)  // leaves the filter and moves
        #expect(state.filter == nil && state.filterText == "ter")
        #expect(CatalogModel.courses(state).map(\.slug) == ["terminal-mastery"])
    }

    @Test func slashOnlyFiltersTheCatalog() {
        var state = DemoFixture.state()
        press(&state, .character("/"))
        #expect(state.filter == nil)
    }
}

@Suite("App.update: course outline")
struct CourseOutlineTests {
    private func swiftCourse(records: LearnerRecords = DemoFixture.records) -> AppState {
        var state = DemoFixture.state(library: DemoFixture.library(records: records))
        press(&state, .down, .enter)
        #expect(state.route == .course(DemoFixture.swift.course.id))
        return state
    }

    @Test func chaptersFoldAndUnfold() {
        var state = swiftCourse()
        let id = DemoFixture.swift.course.id
        #expect(CourseModel.rows(state, courseID: id).count == 8)
        press(&state, .character(" "))
        #expect(CourseModel.rows(state, courseID: id).count == 5)
        #expect(state.collapsed == [DemoFixture.swift.chapters[0].id])
        press(&state, .character(" "))
        #expect(CourseModel.rows(state, courseID: id).count == 8)
        // Folding from a lesson folds its chapter and moves the selection to the chapter's header.
        press(&state, .down, .down, .down, .down, .down, .down)
        #expect(state.list(state.route).selected == 6)
        press(&state, .character(" "))
        #expect(CourseModel.rows(state, courseID: id).count == 5)
        #expect(state.list(state.route).selected == 4)
        // Enter on a chapter header folds too.
        press(&state, .enter)
        #expect(CourseModel.rows(state, courseID: id).count == 8)
    }

    @Test func lessonStates() {
        let state = swiftCourse()
        let rows = CourseModel.rows(state, courseID: DemoFixture.swift.course.id)
        let states = rows.compactMap { row -> LessonState? in if case .lesson(_, let s) = row { s } else { nil } }
        #expect(states == [
            .done, .inProgress(seconds: 140), .locked("Complete 'Installing the toolchain' first"),
            .locked("Complete 'Hello, world' first"), .locked("Complete 'Constants and variables' first"),
            .locked("Complete 'Optionals explained' first"),
        ])
    }

    @Test("A locked lesson says why in the status line, and stays closed")
    func lockedLesson() {
        var state = swiftCourse()
        press(&state, .down, .down, .down)  // "Hello, world"
        #expect(press(&state, .enter).isEmpty)
        #expect(state.route == .course(DemoFixture.swift.course.id))
        #expect(state.status == StatusMessage(text: "Locked: Complete 'Installing the toolchain' first", isError: true))

        // A course not bought: the free preview opens, the rest asks for a purchase.
        var databases = DemoFixture.state()
        press(&databases, .character("c"), .enter)
        #expect(databases.route == .course(DemoFixture.databases.course.id))
        press(&databases, .down, .down)
        press(&databases, .enter)
        #expect(databases.status == StatusMessage(text: "Locked: Buy the course to unlock (€49.00)", isError: true))
        press(&databases, .up, .enter)
        #expect(databases.route == .lesson(course: DemoFixture.databases.course.id, lesson: DemoFixture.lesson("Why relational?").id))
        #expect(databases.status == nil)
    }

    @Test func instructorPreviewIsForTheCoursesInstructor() {
        var learner = swiftCourse()
        #expect(press(&learner, .character("i")).isEmpty)
        var instructor = DemoFixture.state(library: DemoFixture.library(role: .instructor))
        // The instructor also sees the draft: Advanced Concurrency, Databases, Swift, …
        press(&instructor, .character("c"), .down, .down, .enter)
        #expect(instructor.route == .course(DemoFixture.swift.course.id))
        #expect(press(&instructor, .character("i")) == [.loadPreview(slug: "swift-fundamentals")])
        #expect(instructor.route == .preview("swift-fundamentals"))
        _ = App.update(&instructor, .previewLoaded(DemoFixture.instructorOutline(DemoFixture.swift), error: nil))
        #expect(instructor.preview?.course.slug == "swift-fundamentals")
    }
}

@Suite("App.update: lessons")
struct LessonTests {
    private func lesson(_ title: String, records: LearnerRecords = DemoFixture.records) -> AppState {
        var state = DemoFixture.state(library: DemoFixture.library(records: records))
        let lesson = DemoFixture.lesson(title)
        let course = DemoFixture.courses.first { $0.lessons.contains(lesson) }!.course
        _ = App.open(lesson: lesson, course: course.id, &state)
        #expect(state.route == .lesson(course: course.id, lesson: lesson.id))
        return state
    }

    @Test("m enqueues a progress upsert that completes the lesson")
    func markComplete() {
        var state = lesson("Installing the toolchain")
        let lessonID = DemoFixture.lesson("Installing the toolchain").id
        let effects = press(&state, .character("m"))
        #expect(effects == [.enqueue(
            .progressUpsert(ProgressUpsert(lessonID: lessonID, progressSeconds: 420, completed: true, completedAt: DemoFixture.now)),
            label: "Completed 'Installing the toolchain'")])
        // The runtime saves it, then reloads and syncs.
        #expect(App.update(&state, .enqueued("Completed 'Installing the toolchain'")) == [.loadLibrary, .sync])
        #expect(state.status == StatusMessage(text: "Completed 'Installing the toolchain'", isError: false))
    }

    @Test func markCompleteTwiceOrOnAQuiz() {
        var done = lesson("Welcome to Swift")
        #expect(press(&done, .character("m")).isEmpty)
        #expect(done.status?.text == "Already completed")
        var quiz = DemoFixture.stateAtSwiftQuiz()
        #expect(press(&quiz, .character("m")).isEmpty)
        #expect(quiz.status?.text == "A quiz completes when you pass it")
        var home = DemoFixture.state()
        #expect(press(&home, .character("m")).isEmpty)
    }

    @Test func playingAVideo() {
        var state = lesson("Installing the toolchain")
        let lessonID = DemoFixture.lesson("Installing the toolchain").id
        #expect(press(&state, .character("o")) == [.openPlayer(url: "https://videos.demo.lms/swift/install.mp4", lesson: lessonID, duration: 420)])
        #expect(press(&state, .enter) == [.openPlayer(url: "https://videos.demo.lms/swift/install.mp4", lesson: lessonID, duration: 420)])
        // Watching 100 s of a lesson already watched 140 s keeps the 140.
        #expect(App.update(&state, .playerFinished(lesson: lessonID, seconds: 100, error: nil))
                == [.enqueue(.progressUpsert(ProgressUpsert(lessonID: lessonID, progressSeconds: 140)), label: "Recorded 2m watched")])
        #expect(App.update(&state, .playerFinished(lesson: lessonID, seconds: 0, error: nil)).isEmpty)
        #expect(App.update(&state, .playerFinished(lesson: lessonID, seconds: 0, error: "mpv exited with status 2")).isEmpty)
        #expect(state.status == StatusMessage(text: "mpv exited with status 2", isError: true))
        var text = lesson("Hello, world", records: DemoFixture.records(completing: ["Installing the toolchain"]))
        #expect(press(&text, .character("o")).isEmpty)
        #expect(press(&text, .enter).isEmpty)
    }

    @Test("Text scrolls, and stops at its last line")
    func textLessonsScroll() {
        var state = lesson("Hello, world", records: DemoFixture.records(completing: ["Installing the toolchain"]))
        // At 80x24 the whole lesson fits: nothing to scroll.
        press(&state, .down, .pageDown)
        #expect(state.scroll == 0)
        _ = App.update(&state, .resize(width: 50, height: 12))
        let limit = state.route.screen.scrollLimit(state) ?? 0
        #expect(limit == 3)  // 9 wrapped lines, 6 on screen
        press(&state, .down, .down)
        #expect(state.scroll == 2)
        press(&state, .up, .up, .up)
        #expect(state.scroll == 0)
        press(&state, .pageDown, .pageDown, .down)
        #expect(state.scroll == limit)
        // The last line of the text is on screen, above the hint.
        let lines = state.screen
        #expect(lines[9].hasPrefix(" program."))
        #expect(lines[10].contains("j/k scroll"))
        press(&state, .character("g"))
        #expect(state.scroll == 0)
        press(&state, .character("G"), .escape)
        #expect(state.scroll == 0)
    }

    @Test("Help scrolls to its last binding on a small screen")
    func helpScrolls() {
        let lines = Keymap.helpLines(unicode: true)
        var state = DemoFixture.state()
        press(&state, .character("?"))
        #expect(!state.screenText.contains(lines.last!.action))
        #expect(state.screen[1].contains("Keys · j/k: scroll"))
        press(&state, .character("G"))
        // 24 rows less header, status line, title and a blank line.
        #expect(state.scroll == lines.count - 20)
        #expect(state.screen[22].contains(lines.last!.action))
        var tall = DemoFixture.state(width: 120, height: 40)
        press(&tall, .character("?"), .up)
        #expect(tall.scroll == 0 && tall.screenText.contains(lines.first!.action))
    }

    /// Dispatch and help read the same tables: every binding is on the help screen, and a key
    /// that is in no table does nothing anywhere.
    @Test("Help lists every binding; keys it does not list do nothing")
    func helpCannotLie() {
        var state = DemoFixture.state(width: 120, height: 40)
        press(&state, .character("?"))
        var shown = state.screenText
        for _ in 0..<10 {
            press(&state, .pageDown)
            shown += state.screenText
        }
        for line in Keymap.helpLines(unicode: true) {
            #expect(shown.contains(line.keys) && shown.contains(line.action), "help misses \(line.keys): \(line.action)")
        }
        let listed = Set(Keymap.tables.flatMap { $0.bindings.flatMap(\.keys) })
        let unlisted: [Key] = [.character("x"), .character("z"), .character("Q"), .delete, .function(5), .ctrl("a")]
        #expect(listed.isDisjoint(with: unlisted))
        for start in [Key.character("c"), .character("p"), .character("b"), .character("?")] {
            var screen = DemoFixture.state()
            press(&screen, start, .down)
            for key in unlisted {
                var after = screen
                let effects = press(&after, key)
                #expect(effects.isEmpty && after.stack == screen.stack && after.lists == screen.lists && after.scroll == screen.scroll,
                        "\(key) did something after \(start)")
            }
        }
    }

    @Test("b buys a course on sale: checkout, its page shown and opened with o, unlocked when the purchase arrives")
    func buyingACourse() {
        let databases = DemoFixture.course("databases-in-depth")
        var state = DemoFixture.state()
        _ = App.openCourse(databases.course.id, &state)
        #expect(state.screenText.contains("b buys it and unlocks every lesson"))
        #expect(press(&state, .character("o")).isEmpty)
        #expect(state.status?.text == "No payment page yet: b starts buying the course")
        #expect(press(&state, .character("b")) == [.checkout(courseID: databases.course.id)])
        let url = "http://127.0.0.1:9/checkout/test/cs_test_1"
        #expect(App.update(&state, .checkoutStarted(courseID: databases.course.id, url: url)).isEmpty)
        #expect(state.screenText.contains("pay at \(url)"))
        #expect(press(&state, .character("o")) == [.openPage(url)])
        // The purchase arrives with a sync.
        var records = DemoFixture.records
        records.purchases.append(Purchase(id: UUID(), userID: DemoFixture.learnerID, courseID: databases.course.id, amount: 49,
                                          currency: .usd, status: .completed, createdAt: DemoFixture.now, updatedAt: DemoFixture.now))
        _ = App.update(&state, .libraryLoaded(DemoFixture.library(records: records), notices: []))
        #expect(state.status?.text == "Bought 'Databases in Depth': the course is yours")
        #expect(state.checkout == nil && !state.screenText.contains("b buys"))
        // Nothing to buy now: b is badges again.
        press(&state, .character("b"))
        #expect(state.route == .badges)
    }

    @Test("An instructor's draft keeps its whole [draft] tag beside its title, at any width", arguments: [80, 120, 200])
    func draftTagIsNeverCut(width: Int) {
        var draft = DemoFixture.databases.course
        draft.title = String(repeating: "A very long course title ", count: 6)
        draft.status = .draft
        let state = DemoFixture.state(width: width, library: DemoFixture.library(role: .instructor))
        let row = CatalogScreen.row(draft, ownership: nil, titleWidth: max(10, width - 2 - 34), state)
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: width - 2, height: 1))
        buffer.write(row, x: 2, y: 0, maxWidth: width - 4)
        #expect(buffer.lines[0].contains("[draft]"), "\(buffer.lines[0])")
    }

    @Test("The course's instructor is never offered to buy it")
    func instructorsDoNotBuyTheirCourse() {
        let databases = DemoFixture.course("databases-in-depth")
        var state = DemoFixture.state(library: DemoFixture.library(role: .instructor))
        _ = App.openCourse(databases.course.id, &state)
        #expect(!state.screenText.contains("b buys"))
        #expect(press(&state, .character("b")).isEmpty && state.route == .badges)
    }

    @Test func instructorPreviewScrolls() {
        var state = DemoFixture.state(width: 80, height: 12, library: DemoFixture.library(role: .instructor))
        press(&state, .character("c"), .down, .down, .enter, .character("i"))
        _ = App.update(&state, .previewLoaded(DemoFixture.instructorOutline(DemoFixture.swift), error: nil))
        #expect(!state.screenText.contains("Check your understanding"))
        press(&state, .character("G"))
        // Every lesson, the texts and the quiz's questions with their answers; the last row is
        // the last question's accepted answer.
        let lines = PreviewScreen.lines(state, state.preview!)
        #expect(state.scroll == lines.count - 6)
        #expect(state.screen[10].contains("accepted: \"nil\""))
        press(&state, .character("g"))
        #expect(state.scroll == 0)
    }
}

@Suite("App.update: quiz")
struct QuizTests {
    private let quizLesson = DemoFixture.lesson("Check your understanding")
    private var questions: [QuizQuestion] { DemoFixture.swift.questions[quizLesson.id]! }

    private func started() -> AppState {
        var state = DemoFixture.stateAtSwiftQuiz()
        #expect(state.route == .lesson(course: DemoFixture.swift.course.id, lesson: quizLesson.id))
        press(&state, .enter)
        #expect(state.route == .quiz(course: DemoFixture.swift.course.id, lesson: quizLesson.id))
        #expect(state.quiz?.questions.map(\.question) == questions.map(\.question))
        return state
    }

    @Test("Single, multiple, true/false and short answer, review, then submit")
    func wholeQuiz() throws {
        var state = started()
        // Single choice: moving and choosing replaces the answer.
        #expect(state.quiz?.current?.type == .singleChoice)
        press(&state, .down, .character(" "))
        #expect(state.quiz?.answers[questions[0].id]?.selectedOptionIDs == ["b"])
        press(&state, .character("j"), .character(" "), .character("k"), .character(" "))
        #expect(state.quiz?.answers[questions[0].id]?.selectedOptionIDs == ["b"])
        press(&state, .up, .up, .up)
        #expect(state.quiz?.cursor == 0)
        press(&state, .enter)  // already answered: Enter only moves on
        #expect(state.quiz?.page == 1)
        #expect(state.quiz?.answers[questions[0].id]?.selectedOptionIDs == ["b"])

        // Multiple choice: Space ticks and unticks.
        #expect(state.quiz?.cursor == 0)
        press(&state, .character(" "), .down, .character(" "), .down, .character(" "))
        #expect(state.quiz?.answers[questions[1].id]?.selectedOptionIDs == ["a", "b", "c"])
        press(&state, .character(" "))
        #expect(state.quiz?.answers[questions[1].id]?.selectedOptionIDs == ["a", "b"])
        press(&state, .down, .down, .down)
        #expect(state.quiz?.cursor == 3)
        press(&state, .right)
        #expect(state.quiz?.page == 2)

        // True/false: Enter on an unanswered question chooses the highlighted option.
        press(&state, .enter)
        #expect(state.quiz?.answers[questions[2].id]?.selectedOptionIDs == ["true"])
        #expect(state.quiz?.page == 3)

        // Short answer: every printable key is text, even q and j.
        #expect(state.quiz?.current?.type == .shortAnswer)
        type(&state, "nqj")
        press(&state, .backspace, .backspace)
        type(&state, "il")
        #expect(state.quiz?.text.value == "nil")
        #expect(state.route == .quiz(course: DemoFixture.swift.course.id, lesson: quizLesson.id))
        press(&state, .enter)
        #expect(state.quiz?.phase == .review)
        #expect(state.quiz?.answers[questions[3].id] == QuizAnswer(questionID: questions[3].id, text: "nil"))

        // ← from the review goes back to the last question with its text.
        press(&state, .left)
        #expect(state.quiz?.phase == .answering && state.quiz?.page == 3 && state.quiz?.text.value == "nil")
        press(&state, .enter)
        #expect(state.quiz?.phase == .review)

        let effects = press(&state, .enter)
        guard case .submitted(let attempt)? = state.quiz?.phase else {
            Issue.record("not submitted: \(String(describing: state.quiz?.phase))")
            return
        }
        let expected = QuizSubmission(clientAttemptID: attempt, answers: [
            QuizAnswer(questionID: questions[0].id, selectedOptionIDs: ["b"]),
            QuizAnswer(questionID: questions[1].id, selectedOptionIDs: ["a", "b"]),
            QuizAnswer(questionID: questions[2].id, selectedOptionIDs: ["true"]),
            QuizAnswer(questionID: questions[3].id, text: "nil"),
        ], completedAt: DemoFixture.now)
        // Submitted work is in the outbox: the draft is dropped from disk.
        #expect(effects == [.enqueue(.quizSubmit(lessonID: quizLesson.id, expected), label: "Quiz submitted"), .saveQuizDrafts([])])
        #expect(App.update(&state, .enqueued("Quiz submitted")) == [.loadLibrary, .sync])

        // Graded on the next sync: the result appears, then Enter goes back to the lesson.
        var records = DemoFixture.records(completing: DemoFixture.swiftBeforeQuiz)
        records.quizResults = [QuizResult(
            id: DemoFixture.id(11, 1), userID: DemoFixture.learnerID, lessonID: quizLesson.id, score: 5, maxScore: 5, passed: true,
            answers: [], attemptNumber: 1, clientAttemptID: attempt, completedAt: DemoFixture.now, createdAt: DemoFixture.now)]
        _ = App.update(&state, .libraryLoaded(DemoFixture.library(records: records), notices: []))
        #expect(state.screenText.contains("✓ Passed"))
        #expect(state.screenText.contains("Score: 5/5 (100%) · attempt 1"))
        press(&state, .enter)
        #expect(state.route == .lesson(course: DemoFixture.swift.course.id, lesson: quizLesson.id))
        #expect(state.quiz == nil)
    }

    @Test func everyAttemptHasItsOwnClientID() {
        var first = started(), second = started()
        press(&first, .enter, .enter, .enter, .enter, .enter)
        press(&second, .enter, .enter, .enter, .enter, .enter)
        guard case .submitted(let a)? = first.quiz?.phase, case .submitted(let b)? = second.quiz?.phase else {
            Issue.record("not submitted")
            return
        }
        #expect(a != b)
    }

    @Test func unansweredQuestionsAreLeftOutAndShownInTheReview() {
        var state = started()
        press(&state, .right, .right, .right, .right)
        #expect(state.quiz?.phase == .review)
        #expect(state.screenText.contains("(no answer)"))
        let effects = press(&state, .enter)
        guard case .enqueue(.quizSubmit(_, let submission), _)? = effects.first else {
            Issue.record("\(effects)")
            return
        }
        #expect(submission.answers.isEmpty)
    }

    @Test func movingBetweenQuestions() {
        var state = started()
        press(&state, .right, .right)
        #expect(state.quiz?.page == 2)
        press(&state, .left, .character("h"), .left)
        #expect(state.quiz?.page == 0)
        press(&state, .tab)
        #expect(state.quiz?.page == 1)
        press(&state, .backTab)
        #expect(state.quiz?.page == 0)
    }

    @Test("Leaving a quiz keeps its answers, and opening it again goes on from there", arguments: [Key.escape, .character("q")])
    func leaving(_ key: Key) {
        let lessonPage = Route.lesson(course: DemoFixture.swift.course.id, lesson: quizLesson.id)
        var answering = started()
        press(&answering, .character(" "), key)
        #expect(answering.route == lessonPage)
        #expect(answering.quiz == nil)
        #expect(answering.quizzes[quizLesson.id]?.answers[questions[0].id]?.selectedOptionIDs == ["a"])
        press(&answering, .enter)
        #expect(answering.quiz?.answers[questions[0].id]?.selectedOptionIDs == ["a"])
        #expect(answering.status?.text.contains("answer so far is kept") == true, "\(String(describing: answering.status))")

        var review = started()
        press(&review, .right, .right, .right, .right)
        #expect(press(&review, key).isEmpty)
        #expect(review.route == lessonPage)
        press(&review, .enter)
        #expect(review.quiz?.phase == .review)

        var short = started()
        press(&short, .right, .right, .right)
        type(&short, "nil")
        press(&short, .escape)
        #expect(short.quiz == nil)
        #expect(short.stack.count == 2, "\(short.stack)")
        #expect(short.quizzes[quizLesson.id]?.page == 3)
    }

    @Test("n inside a quiz keeps the answers and the way back true")
    func nextFromAQuiz() {
        // The next lesson is this quiz: it stays, and says why.
        var state = started()
        press(&state, .character(" "), .character("n"))
        #expect(state.route == .quiz(course: DemoFixture.swift.course.id, lesson: quizLesson.id))
        #expect(state.status?.text.contains("This quiz is the next lesson") == true)
        #expect(state.quiz?.answers[questions[0].id]?.selectedOptionIDs == ["a"])

        // A quiz taken again once passed: the next lesson is another. The quiz and its lesson
        // page make way for it, and back goes where the quiz's lesson page would have.
        var retake = started()
        retake.library = DemoFixture.library(records: DemoFixture.records(completing: DemoFixture.swiftBeforeQuiz + [quizLesson.title]))
        let beforeLessonPage = Array(retake.stack.dropLast(2))
        press(&retake, .character(" "), .character("n"))
        guard case .lesson(_, let next) = retake.route else {
            Issue.record("n led to \(retake.route)")
            return
        }
        #expect(next != quizLesson.id)
        #expect(retake.stack == beforeLessonPage + [retake.route])
        #expect(retake.quizzes[quizLesson.id]?.answers[questions[0].id]?.selectedOptionIDs == ["a"])
        press(&retake, .escape)
        #expect(retake.stack == beforeLessonPage)
    }

    @Test("Two quizzes begun keep their own answers, whatever the order of the screens")
    func twoQuizzes() throws {
        var state = started()
        press(&state, .character(" "))
        let first = try #require(state.quiz)
        // Another quiz on top (as `n` or the catalog could lead to), then back down.
        let other = QuizSession(lessonID: UUID(), questions: [])
        state.quizzes[other.lessonID] = other
        state.stack.append(.quiz(course: DemoFixture.swift.course.id, lesson: other.lessonID))
        #expect(state.quiz?.lessonID == other.lessonID)
        press(&state, .escape)
        #expect(state.quiz == first)
    }

    @Test func quizWithoutDownloadedQuestions() {
        var state = DemoFixture.stateAtSwiftQuiz()
        let id = DemoFixture.swift.course.id
        state.courses[id]?.contents.removeAll { $0.lesson.type == .quiz }
        #expect(press(&state, .enter).isEmpty)
        #expect(state.status == StatusMessage(text: "The questions are not downloaded yet: press s to sync", isError: true))
    }

    @Test func aQuizLockedBehindItsLessonsDoesNotOpen() {
        var state = DemoFixture.state()
        _ = App.open(lesson: quizLesson, course: DemoFixture.swift.course.id, &state)
        #expect(state.route == .home)
        #expect(state.status?.text == "Locked: Complete 'Optionals explained' first")
    }
}

@Suite("App.update: themes and sync")
struct ThemeAndSyncTests {
    @Test("The theme picker previews on move and restores on Esc")
    func themePicker() {
        var state = DemoFixture.state()
        #expect(state.themeNames == ["dark", "default", "high-contrast", "light", "mono"])
        press(&state, .character("t"))
        #expect(state.route == .themes && state.themeBeforePicker == "default")
        #expect(state.list(.themes).selected == 1)  // opens on the theme in use
        #expect(press(&state, .down) == [.loadTheme("high-contrast")])
        _ = App.update(&state, .themeLoaded(Theme.load("high-contrast", directories: [DemoFixture.themesDirectory])))
        #expect(state.theme.name == "high-contrast")
        #expect(press(&state, .character("k"), .character("k")) == [.loadTheme("default"), .loadTheme("dark")])
        _ = App.update(&state, .themeLoaded(Theme.load("dark", directories: [DemoFixture.themesDirectory])))
        #expect(press(&state, .escape) == [.loadTheme("default")])
        #expect(state.route == .home)
        // Esc restores even when the preview has not arrived yet (keys typed faster than files load).
        var fast = DemoFixture.state()
        #expect(press(&fast, .character("t"), .down, .escape) == [.loadTheme("high-contrast"), .loadTheme("default")])
    }

    @Test func enterKeepsAndSavesTheTheme() {
        var state = DemoFixture.state()
        press(&state, .character("t"), .character("G"))
        _ = App.update(&state, .themeLoaded(Theme.load("mono", directories: [DemoFixture.themesDirectory])))
        #expect(press(&state, .enter) == [.saveThemeChoice("mono")])
        #expect(state.route == .home && state.theme.name == "mono")
        #expect(state.status?.text == "Theme 'mono' saved")

        // Enter without moving keeps the theme in use.
        var unchanged = DemoFixture.state()
        #expect(press(&unchanged, .character("t"), .enter) == [.saveThemeChoice("default")])
        // Enter on a theme not previewed yet (its load still on the way) loads it too.
        var quick = DemoFixture.state()
        #expect(press(&quick, .character("t"), .down, .enter) == [.loadTheme("high-contrast"), .saveThemeChoice("high-contrast"), .loadTheme("high-contrast")])
    }

    @Test func aThemeWithProblemsSaysSo() {
        var state = DemoFixture.state()
        _ = App.update(&state, .themeLoaded(Theme.load("no-such-theme", directories: [DemoFixture.themesDirectory])))
        #expect(state.status == StatusMessage(text: "Theme 'no-such-theme' was not found; using the built-in default", isError: true, sticky: true))
    }

    @Test("s while a sync runs does not start another")
    func syncOnce() {
        var state = DemoFixture.state()
        #expect(press(&state, .character("s")) == [.sync])
        #expect(state.sync.running)
        #expect(state.status?.text == "Syncing…")
        #expect(press(&state, .character("s")).isEmpty)
        _ = App.update(&state, .syncProgress(.pulling(changes: 10, pages: 1)))
        #expect(press(&state, .character("s")).isEmpty)
        var report = SyncReport()
        report.pushed = 2
        report.pulledChanges = 7
        #expect(App.update(&state, .syncFinished(report, error: nil, offline: false)) == [.loadLibrary])
        #expect(!state.sync.running && state.sync.online == true)
        #expect(state.status == StatusMessage(text: "Synced: sent 2 changes, received 7 changes", isError: false, untilKey: true))
        #expect(press(&state, .character("s")) == [.sync])
    }

    @Test("An unreachable server is tried again, quietly, waiting longer each time, until it answers")
    func retriesWhileOffline() {
        var state = DemoFixture.state()
        #expect(press(&state, .character("s")) == [.sync])
        let offline = "Cannot reach the server (couldn't connect to server); working offline"
        #expect(App.update(&state, .syncFinished(nil, error: offline, offline: true)) == [.loadLibrary, .syncLater(after: 2, ticket: 1)])
        #expect(state.status == StatusMessage(text: offline, isError: true))
        state.status = nil
        // The wait is over: a quiet sync, whose failure says nothing new and waits longer.
        #expect(App.update(&state, .syncDue(ticket: 1)) == [.sync])
        #expect(state.sync.running && state.status == nil)
        #expect(App.update(&state, .syncFinished(nil, error: offline, offline: true)) == [.loadLibrary, .syncLater(after: 4, ticket: 2)])
        #expect(state.status == nil)
        // A wait from before another sync finished is stale: that one set its own.
        #expect(App.update(&state, .syncDue(ticket: 1)).isEmpty)
        for ticket in 3...8 {
            #expect(App.update(&state, .syncDue(ticket: ticket - 1)) == [.sync])
            let effects = App.update(&state, .syncFinished(nil, error: offline, offline: true))
            #expect(effects == [.loadLibrary, .syncLater(after: min(60, 2 * pow(2, Double(ticket - 1))), ticket: ticket)])
        }
        // The server is back: the queued work leaves, and the learner is told.
        #expect(App.update(&state, .syncDue(ticket: 8)) == [.sync])
        var report = SyncReport()
        report.pushed = 1
        #expect(App.update(&state, .syncFinished(report, error: nil, offline: false)) == [.loadLibrary])
        #expect(state.status == StatusMessage(text: "Back online: sent 1 change", isError: false, untilKey: true))
        #expect(state.sync.failedInARow == 0 && state.sync.online == true)
        #expect(App.update(&state, .syncDue(ticket: 8)).isEmpty)
    }

    @Test("With a sync interval the app syncs by itself, quietly, every interval while it is open")
    func syncInterval() {
        var state = DemoFixture.state()
        state.sync.interval = 300
        #expect(press(&state, .character("s")) == [.sync])
        #expect(App.update(&state, .syncFinished(SyncReport(), error: nil, offline: false)) == [.loadLibrary, .syncLater(after: 300, ticket: 1)])
        #expect(App.update(&state, .syncDue(ticket: 1)) == [.sync])
        var report = SyncReport()
        report.pulledChanges = 3
        state.status = nil
        #expect(App.update(&state, .syncFinished(report, error: nil, offline: false)) == [.loadLibrary, .syncLater(after: 300, ticket: 2)])
        #expect(state.status == nil, "a periodic sync with nothing to tell says nothing")
        // The learner syncs meanwhile: the earlier wait is stale, the new one counts.
        #expect(press(&state, .character("s")) == [.sync])
        _ = App.update(&state, .syncFinished(SyncReport(), error: nil, offline: false))
        #expect(App.update(&state, .syncDue(ticket: 2)).isEmpty)
        #expect(App.update(&state, .syncDue(ticket: 3)) == [.sync])
    }

    @Test func syncOutcomes() {
        var state = DemoFixture.state()
        _ = App.update(&state, .syncFinished(nil, error: "The server could not be reached", offline: true))
        #expect(state.sync.online == false)
        #expect(state.status == StatusMessage(text: "The server could not be reached", isError: true))
        var report = SyncReport()
        report.awardedBadges = [UserBadge(id: DemoFixture.id(8, 2), userID: DemoFixture.learnerID, badgeID: DemoFixture.badges[1].id, earnedAt: DemoFixture.now)]
        _ = App.update(&state, .syncFinished(report, error: nil, offline: false))
        #expect(state.status?.text == "New badge: Quiz Whiz! Back online: nothing to send or receive")
        var refused = SyncReport()
        let mutation = SyncMutation(id: DemoFixture.id(12, 1), createdAt: DemoFixture.now, kind: .progressUpsert(ProgressUpsert(lessonID: DemoFixture.id(4, 99))))
        refused.newlyRejected = [OutboxEntry(mutation: mutation, state: .rejected, rejection: APIErrorBody(code: .notFound, message: "No such lesson"))]
        _ = App.update(&state, .syncFinished(refused, error: nil, offline: false))
        #expect(state.status == StatusMessage(text: "Refused by the server: No such lesson", isError: true))
    }

    @Test("News asks nothing of the learner and goes with the next key; a refusal stays")
    func newsGoesWithTheNextKey() {
        var state = DemoFixture.state()
        var report = SyncReport()
        report.pulledChanges = 3
        _ = App.update(&state, .syncFinished(report, error: nil, offline: false))
        #expect(state.status?.text == "Synced: received 3 changes")
        press(&state, .down)
        #expect(state.status == nil)
        press(&state, .character("s"))
        _ = App.update(&state, .syncFinished(SyncReport(), error: nil, offline: false))
        #expect(state.status?.text == "Up to date")
        var refused = SyncReport()
        let mutation = SyncMutation(id: DemoFixture.id(12, 1), createdAt: DemoFixture.now, kind: .progressUpsert(ProgressUpsert(lessonID: DemoFixture.id(4, 99))))
        refused.newlyRejected = [OutboxEntry(mutation: mutation, state: .rejected, rejection: APIErrorBody(code: .notFound, message: "No such lesson"))]
        _ = App.update(&state, .syncFinished(refused, error: nil, offline: false))
        press(&state, .down)
        #expect(state.status?.text == "Refused by the server: No such lesson")
    }

    @Test("The quiz's 'next lesson' note goes when the quiz is left with Esc")
    func quizNoteGoesWithEsc() {
        var state = DemoFixture.stateAtSwiftQuiz()
        press(&state, .enter, .character("n"))
        #expect(state.status?.text.contains("This quiz is the next lesson") == true)
        press(&state, .escape)
        #expect(state.status == nil, "\(String(describing: state.status))")
    }

    @Test("n with every course taken complete says so and points at the catalog")
    func nWhenAllIsDone() {
        let taken = Set(DemoFixture.library().myCourses.map(\.id))
        let titles = DemoFixture.courses.filter { taken.contains($0.course.id) }.flatMap(\.lessons).map(\.title)
        var state = DemoFixture.state(library: DemoFixture.library(records: DemoFixture.records(completing: titles)))
        press(&state, .character("n"))
        #expect(state.status?.text == "All done: every course you take is complete (c: catalog)")
        #expect(state.route == .home)
    }
}
