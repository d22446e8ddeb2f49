import Foundation
import LMSClient
import LMSKit
import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp

struct Size: Sendable, Hashable, CustomTestStringConvertible {
    let width: Int
    let height: Int
    var testDescription: String { "\(width)x\(height)" }
}

/// Every screen of the app, in a realistic state built from the demo data.
enum GoldenScreen: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case home, catalog, catalogFilter = "catalog-filter", catalogFiltered = "catalog-filtered"
    case course, courseFolded = "course-folded", courseLocked = "course-locked", courseJapanese = "course-japanese"
    case lessonVideo = "lesson-video", lessonText = "lesson-text"
    case lessonQuiz = "lesson-quiz", lessonQuizAttempts = "lesson-quiz-attempts"
    case quizSingle = "quiz-single", quizMultiple = "quiz-multiple", quizTrueFalse = "quiz-true-false", quizShort = "quiz-short"
    case quizReview = "quiz-review", quizResult = "quiz-result", quizPending = "quiz-pending"
    case progress, badges, preview, help, themes, statusError = "status-error", ascii
    case quizFeedback = "quiz-feedback", homeInstructor = "home-instructor", allDone = "all-done", upToDate = "up-to-date"

    var testDescription: String { rawValue }

    static let quizLesson = DemoFixture.lesson("Check your understanding")
    static let attemptID = DemoFixture.id(12, 1)

    /// The Swift quiz answered right, graded 5/5 on the server.
    static var gradedResult: QuizResult {
        let questions = DemoFixture.swift.questions[quizLesson.id]!
        return QuizResult(
            id: DemoFixture.id(11, 1), userID: DemoFixture.learnerID, lessonID: quizLesson.id, score: 5, maxScore: 5, passed: true,
            answers: [
                GradedAnswer(questionID: questions[0].id, selectedOptionIDs: ["b"], text: nil, isCorrect: true, pointsAwarded: 1, pointsPossible: 1),
                GradedAnswer(questionID: questions[1].id, selectedOptionIDs: ["a", "b"], text: nil, isCorrect: true, pointsAwarded: 2, pointsPossible: 2),
                GradedAnswer(questionID: questions[2].id, selectedOptionIDs: ["true"], text: nil, isCorrect: true, pointsAwarded: 1, pointsPossible: 1),
                GradedAnswer(questionID: questions[3].id, selectedOptionIDs: [], text: "nil", isCorrect: true, pointsAwarded: 1, pointsPossible: 1),
            ],
            attemptNumber: 2, clientAttemptID: attemptID, completedAt: DemoFixture.now, createdAt: DemoFixture.now)
    }

    static var pendingAttempt: OutboxEntry {
        let questions = DemoFixture.swift.questions[quizLesson.id]!
        let submission = QuizSubmission(clientAttemptID: attemptID, answers: [
            QuizAnswer(questionID: questions[0].id, selectedOptionIDs: ["b"]),
            QuizAnswer(questionID: questions[3].id, text: "nil"),
        ], completedAt: DemoFixture.now)
        return OutboxEntry(mutation: SyncMutation(id: DemoFixture.id(13, 1), createdAt: DemoFixture.now, kind: .quizSubmit(lessonID: quizLesson.id, submission)))
    }

    /// The Swift quiz with three of four answers wrong, graded 1/5.
    static var failedWithAnswers: QuizResult {
        let questions = DemoFixture.swift.questions[quizLesson.id]!
        return QuizResult(
            id: DemoFixture.id(11, 3), userID: DemoFixture.learnerID, lessonID: quizLesson.id, score: 1, maxScore: 5, passed: false,
            answers: [
                GradedAnswer(questionID: questions[0].id, selectedOptionIDs: ["a"], text: nil, isCorrect: false, pointsAwarded: 0, pointsPossible: 1),
                GradedAnswer(questionID: questions[1].id, selectedOptionIDs: ["a", "c"], text: nil, isCorrect: false, pointsAwarded: 0, pointsPossible: 2),
                GradedAnswer(questionID: questions[2].id, selectedOptionIDs: ["true"], text: nil, isCorrect: true, pointsAwarded: 1, pointsPossible: 1),
                GradedAnswer(questionID: questions[3].id, selectedOptionIDs: [], text: "null", isCorrect: false, pointsAwarded: 0, pointsPossible: 1),
            ],
            attemptNumber: 1, clientAttemptID: attemptID, completedAt: DemoFixture.now, createdAt: DemoFixture.now)
    }

    /// An earlier attempt that failed, yesterday.
    static var failedResult: QuizResult {
        QuizResult(id: DemoFixture.id(11, 2), userID: DemoFixture.learnerID, lessonID: quizLesson.id, score: 2, maxScore: 5, passed: false,
                   answers: [], attemptNumber: 1, clientAttemptID: DemoFixture.id(12, 2), completedAt: DemoFixture.yesterday, createdAt: DemoFixture.yesterday)
    }

    /// At the quiz, answered: the first question "let", the second "struct" and "enum", the third
    /// "True", and "ni" typed into the fourth.
    private static func quiz(_ width: Int, _ height: Int, page: Int) -> AppState {
        var state = DemoFixture.stateAtSwiftQuiz(width: width, height: height)
        press(&state, .enter)
        if page == 0 { press(&state, .down, .character(" ")); return state }
        press(&state, .down, .enter)
        if page == 1 { press(&state, .character(" "), .down, .character(" "), .down); return state }
        press(&state, .character(" "), .down, .character(" "), .enter)
        if page == 2 { return state }
        press(&state, .enter)
        type(&state, "ni")
        if page == 3 { return state }
        type(&state, "l")
        press(&state, .enter)
        return state
    }

    func state(width: Int, height: Int) -> AppState {
        let w = width, h = height
        switch self {
        case .home:
            return DemoFixture.state(width: w, height: h)
        case .catalog:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("c"), .down, .down)
            return state
        case .catalogFilter:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("c"), .character("/"))
            type(&state, "japan")
            return state
        case .catalogFiltered:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("c"), .character("/"))
            type(&state, "s")
            press(&state, .enter)
            return state
        case .course:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .down, .enter, .down, .down, .down)
            return state
        case .courseFolded:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .down, .enter, .character(" "))
            return state
        case .courseLocked:
            // Enter on a lesson locked behind the one before it: the status line says why.
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("c"), .enter, .down, .down, .enter)
            return state
        case .courseJapanese:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("c"), .character("G"), .enter, .down, .down)
            return state
        case .lessonVideo:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .enter)
            return state
        case .lessonText:
            var state = DemoFixture.state(width: w, height: h, library: DemoFixture.library(records: DemoFixture.records(completing: ["Installing the toolchain"])))
            press(&state, .character("n"))
            return state
        case .lessonQuiz:
            return DemoFixture.stateAtSwiftQuiz(width: w, height: h)
        case .lessonQuizAttempts:
            var records = DemoFixture.records(completing: DemoFixture.swiftBeforeQuiz)
            records.quizResults = [Self.failedResult]
            var state = DemoFixture.state(width: w, height: h, library: DemoFixture.library(records: records, outbox: [Self.pendingAttempt]))
            press(&state, .character("n"))
            return state
        case .quizSingle: return Self.quiz(w, h, page: 0)
        case .quizMultiple: return Self.quiz(w, h, page: 1)
        case .quizTrueFalse: return Self.quiz(w, h, page: 2)
        case .quizShort: return Self.quiz(w, h, page: 3)
        case .quizReview: return Self.quiz(w, h, page: 4)
        case .quizResult, .quizPending:
            var state = Self.quiz(w, h, page: 4)
            state.quiz?.phase = .submitted(clientAttemptID: Self.attemptID)
            var records = DemoFixture.records(completing: DemoFixture.swiftBeforeQuiz)
            if self == .quizResult {
                records.quizResults = [Self.failedResult, Self.gradedResult]
                _ = App.update(&state, .libraryLoaded(DemoFixture.library(records: records), notices: []))
                _ = App.update(&state, .syncFinished(SyncReport(), error: nil, offline: false))
            } else {
                _ = App.update(&state, .libraryLoaded(DemoFixture.library(records: records, outbox: [Self.pendingAttempt]), notices: []))
                _ = App.update(&state, .syncFinished(nil, error: "Offline: the server could not be reached", offline: true))
            }
            return state
        case .progress:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("p"))
            return state
        case .badges:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("b"), .down)
            return state
        case .preview:
            var state = DemoFixture.state(width: w, height: h, library: DemoFixture.library(role: .instructor))
            press(&state, .character("c"), .down, .down, .enter, .character("i"))
            _ = App.update(&state, .previewLoaded(DemoFixture.instructorOutline(DemoFixture.swift), error: nil))
            return state
        case .help:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("?"))
            return state
        case .themes:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("t"), .down)
            _ = App.update(&state, .themeLoaded(Theme.load("high-contrast", directories: [DemoFixture.themesDirectory])))
            return state
        case .statusError:
            var state = DemoFixture.state(width: w, height: h)
            _ = App.update(&state, .enqueueFailed("Not saved: the disk is full"))
            return state
        case .quizFeedback:
            var state = Self.quiz(w, h, page: 4)
            state.quiz?.phase = .submitted(clientAttemptID: Self.attemptID)
            var records = DemoFixture.records(completing: DemoFixture.swiftBeforeQuiz)
            records.quizResults = [Self.failedWithAnswers]
            _ = App.update(&state, .libraryLoaded(DemoFixture.library(records: records), notices: []))
            return state
        case .homeInstructor:
            return DemoFixture.state(width: w, height: h, library: DemoFixture.library(role: .instructor))
        case .allDone:
            // Every lesson of every course taken is complete: n says so and points at the catalog.
            let taken = Set(DemoFixture.library().myCourses.map(\.id))
            let titles = DemoFixture.courses.filter { taken.contains($0.course.id) }.flatMap(\.lessons).map(\.title)
            var state = DemoFixture.state(width: w, height: h, library: DemoFixture.library(records: DemoFixture.records(completing: titles)))
            press(&state, .character("n"))
            return state
        case .upToDate:
            var state = DemoFixture.state(width: w, height: h)
            press(&state, .character("s"))
            _ = App.update(&state, .syncFinished(SyncReport(), error: nil, offline: false))
            return state
        case .ascii:
            // A terminal without UTF-8: every glyph has an ASCII stand-in.
            var state = DemoFixture.state(width: w, height: h)
            state.unicode = false
            press(&state, .down, .enter)
            return state
        }
    }
}

@Suite("Screens: golden snapshots")
struct GoldenScreenTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    @Test("Every screen at 80x24 and 120x40", arguments: GoldenScreen.allCases, sizes)
    func golden(_ screen: GoldenScreen, _ size: Size) throws {
        let state = screen.state(width: size.width, height: size.height)
        let backend = renderScreen(state)
        #expect(backend.size == (size.width, size.height))
        backend.screen.checkInvariants()
        try Golden.check("\(screen.rawValue)-\(size.width)x\(size.height)", backend.lines)
    }

    @Test("Progress bars on one screen share one width", arguments: [GoldenScreen.progress, .badges], sizes)
    func barsShareOneWidth(_ screen: GoldenScreen, _ size: Size) {
        let lines = renderScreen(screen.state(width: size.width, height: size.height)).lines
        let widths = lines.compactMap { line -> Int? in
            let bar = line.drop { $0 != "█" && $0 != "░" }.prefix { $0 == "█" || $0 == "░" }
            return bar.isEmpty ? nil : bar.count
        }
        #expect(widths.count >= 3 && Set(widths).count == 1, "\(screen): \(widths)")
    }

    @Test("The last sync is on the learner's clock")
    func syncedOnTheLearnersClock() throws {
        var state = DemoFixture.state(width: 120, height: 40)
        state.timeZone = try #require(TimeZone(identifier: "Europe/Paris"))
        let status = try #require(renderScreen(state).lines.last)
        #expect(status.hasSuffix("synced 10:30 ") && !status.contains("UTC"), "\(status)")
        state.timeZone = try #require(TimeZone(identifier: "America/New_York"))
        #expect(renderScreen(state).lines.last?.hasSuffix("synced 04:30 ") == true)
    }

    @Test("The too-small notice", arguments: [Size(width: 39, height: 9), Size(width: 39, height: 24), Size(width: 80, height: 9), Size(width: 20, height: 4)])
    func tooSmall(_ size: Size) throws {
        let state = DemoFixture.state(width: size.width, height: size.height)
        let backend = renderScreen(state)
        backend.screen.checkInvariants()
        try Golden.check("too-small-\(size.width)x\(size.height)", backend.lines)
    }

    @Test("Sign-in form", arguments: sizes)
    func signIn(_ size: Size) throws {
        var form = LoginForm(server: "http://127.0.0.1:8080")
        for character in "learner@demo.lms" { _ = form.handle(.character(character)) }
        _ = form.handle(.tab)
        for character in "demo-password" { _ = form.handle(.character(character)) }
        let backend = TestBackend(width: size.width, height: size.height)
        Terminal(backend: backend).draw { form.render(into: &$0, theme: DemoFixture.defaultTheme, unicode: true) }
        backend.screen.checkInvariants()
        #expect(!backend.lines.joined().contains("demo-password"))
        try Golden.check("login-\(size.width)x\(size.height)", backend.lines)

        var failed = LoginForm(server: "")
        #expect(failed.handle(.enter) == .none)  // email → password
        #expect(failed.handle(.enter) == .none)
        #expect(failed.error == "Fill in the server, your email and your password")
        let errorBackend = TestBackend(width: size.width, height: size.height)
        Terminal(backend: errorBackend).draw { failed.render(into: &$0, theme: DemoFixture.defaultTheme, unicode: false) }
        try Golden.check("login-error-\(size.width)x\(size.height)", errorBackend.lines)

        // A long error breaks between words, on two lines, every word shown.
        var down = LoginForm(server: "https://lms.example.com")
        down.error = "Cannot reach https://lms.example.com (could not resolve host): check the address, and that the server is running"
        let downBackend = TestBackend(width: size.width, height: size.height)
        Terminal(backend: downBackend).draw { down.render(into: &$0, theme: DemoFixture.defaultTheme, unicode: true) }
        let shown = downBackend.lines.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " │")) }.joined(separator: " ")
        for word in down.error!.split(separator: " ") { #expect(shown.contains(word), "'\(word)' cut from the error:\n\(downBackend.lines.joined(separator: "\n"))") }
    }

    @Test("Every screen survives tiny and minimum sizes", arguments: [Size(width: 1, height: 1), Size(width: 39, height: 9), Size(width: 40, height: 10), Size(width: 41, height: 11), Size(width: 200, height: 3)])
    func tinySizes(_ size: Size) {
        for screen in GoldenScreen.allCases {
            // Built at a workable size, then shown on the small terminal.
            var state = screen.state(width: 80, height: 24)
            _ = App.update(&state, .resize(width: size.width, height: size.height))
            let backend = renderScreen(state)
            backend.screen.checkInvariants()
            if size.width < Layout.minimumWidth || size.height < Layout.minimumHeight {
                let text = backend.lines.joined(separator: "\n")
                #expect(size.width < 18 || text.contains("Terminal too small"), "\(screen)")
            }
        }
        var form = LoginForm(server: "http://127.0.0.1:8080")
        _ = form.handle(.character("x"))
        let backend = TestBackend(width: size.width, height: size.height)
        Terminal(backend: backend).draw { form.render(into: &$0, theme: DemoFixture.defaultTheme, unicode: true) }
        backend.screen.checkInvariants()
    }

    @Test("Too small: the notice says the size and how to quit")
    func tooSmallText() {
        let lines = renderScreen(DemoFixture.state(width: 39, height: 9)).lines
        #expect(lines[3].contains("Terminal too small"))
        #expect(lines[4].contains("(39×9, needs 40×10)"))
        #expect(lines[5].contains("q: quit"))
        let one = renderScreen(DemoFixture.state(width: 1, height: 1)).lines
        #expect(one == ["T"])
    }
}

@Suite("Screens: wide characters")
struct WideCharacterTests {
    private func column(of needle: String, in line: String) -> Int? {
        guard let range = line.range(of: needle) else { return nil }
        return DisplayWidth.of(line[..<range.lowerBound])
    }

    @Test("The Japanese course's catalog row is aligned with the others", arguments: GoldenScreenTests.sizes)
    func catalogRowsAlign(_ size: Size) {
        var state = DemoFixture.state(width: size.width, height: size.height)
        press(&state, .character("c"))
        let lines = renderScreen(state).lines
        let titles = ["Databases in Depth", "Swift Fundamentals", "Terminal Mastery", "日本語 入門 — Japanese for Beginners 🎌"]
        var priceColumns: [Int] = []
        for title in titles {
            let row = lines.first { $0.contains(title) || $0.contains(String(title.prefix(12))) }
            guard let row else {
                Issue.record("no row for \(title) in\n\(lines.joined(separator: "\n"))")
                continue
            }
            let price = ["€49.00", "free", "✓ owned"].compactMap { column(of: $0, in: row) }.min()
            priceColumns.append(price ?? -1)
        }
        #expect(Set(priceColumns).count == 1, "price labels start at columns \(priceColumns)")
        #expect(!priceColumns.contains(-1))
        // The Japanese title is shown whole, emoji included, at 120 columns.
        if size.width >= 120 { #expect(lines.contains { $0.contains("日本語 入門 — Japanese for Beginners 🎌") }) }
    }

    @Test("Wide titles in the header, lists and lesson pages keep every row exactly as wide as the screen")
    func wideTitlesEverywhere() {
        for size in [Size(width: 40, height: 10), Size(width: 57, height: 15), Size(width: 80, height: 24), Size(width: 121, height: 40)] {
            let records = DemoFixture.records(completing: ["あいうえお"])
            var state = DemoFixture.state(width: size.width, height: size.height, library: DemoFixture.library(records: records))
            press(&state, .character("c"), .character("G"), .enter)
            var backend = renderScreen(state)
            backend.screen.checkInvariants()
            #expect(backend.lines[0].contains("日"), "\(backend.lines[0])")
            press(&state, .down, .enter)
            backend = renderScreen(state)
            backend.screen.checkInvariants()
            press(&state, .escape, .down, .enter)
            backend = renderScreen(state)
            backend.screen.checkInvariants()
            press(&state, .enter)  // the quiz: "How is あ read?"
            type(&state, "あ")
            backend = renderScreen(state)
            backend.screen.checkInvariants()
            #expect(backend.lines.joined().contains("How is あ read?"))
        }
    }

    @Test("The 🔒 of a locked lesson takes two columns and the text after it lines up")
    func lockGlyph() {
        var state = DemoFixture.state()
        press(&state, .down, .enter)
        let lines = renderScreen(state).lines
        let open = lines.first { $0.contains("Installing the toolchain") }!
        let locked = lines.first { $0.contains("Hello, world") }!
        #expect(locked.contains("🔒"))
        #expect(column(of: "Installing", in: open) == column(of: "Hello, world", in: locked))
    }
}

@Suite("Screens: monochrome and colour")
struct ColourTests {
    @Test("Without colour, state still shows: selection and status line in reverse video")
    func monochrome() {
        let dark = Theme.load("dark", directories: [DemoFixture.themesDirectory])
        var state = DemoFixture.state(theme: dark)
        state.monochrome = true
        let backend = renderScreen(state, capabilities: Capabilities(colors: .monochrome, unicode: true))
        let screen = backend.screen
        for y in 0..<24 {
            for x in 0..<80 {
                let style = screen[x, y].style
                #expect(style.foreground == nil && style.background == nil)
            }
        }
        // Ordinary text is not reversed, even though the theme paints a background everywhere.
        let welcome = backend.lines.firstIndex { $0.contains("Welcome back, Ada") }!
        #expect(!screen[1, welcome].style.modifiers.contains(.reverse))
        // The header, the selected row and the status line are.
        #expect(screen[0, 0].style.modifiers.contains(.reverse))
        let selected = backend.lines.firstIndex { $0.contains("▶ Continue") }!
        #expect(screen[40, selected].style.modifiers.contains(.reverse))
        #expect(screen[79, 23].style.modifiers.contains(.reverse))
    }

    @Test("A truecolour theme reaches a 256-colour terminal as palette colours")
    func downsampledTheme() {
        let dark = Theme.load("dark", directories: [DemoFixture.themesDirectory])
        let backend = renderScreen(DemoFixture.state(theme: dark), capabilities: Capabilities(colors: .indexed256, unicode: true))
        for y in 0..<24 {
            for x in 0..<80 {
                for color in [backend.screen[x, y].style.foreground, backend.screen[x, y].style.background] {
                    if case .rgb? = color { Issue.record("rgb colour at \(x),\(y)") }
                }
            }
        }
        #expect(backend.screen[5, 5].style.background == .indexed(234))
    }
}
