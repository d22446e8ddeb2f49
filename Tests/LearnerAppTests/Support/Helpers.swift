import Foundation
import LMSClient
import LMSKit
import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp

/// Sends keys through `App.update`, returning every effect asked for.
@discardableResult
func press(_ state: inout AppState, _ keys: Key..., now: Date = DemoFixture.now) -> [Effect] {
    keys.flatMap { App.update(&state, .key($0), now: now) }
}

/// Types text, one `.character` key per character.
@discardableResult
func type(_ state: inout AppState, _ text: String) -> [Effect] {
    text.flatMap { App.update(&state, .key(.character($0)), now: DemoFixture.now) }
}

extension DemoFixture {
    /// The demo records with more lessons completed (in this order, a second apart).
    static func records(completing titles: [String]) -> LearnerRecords {
        var records = records
        for (offset, title) in titles.enumerated() {
            let lesson = lesson(title)
            let courseID = courses.first { $0.lessons.contains(lesson) }!.course.id
            let at = now.addingTimeInterval(Double(offset + 1))
            records.progress.removeAll { $0.lessonID == lesson.id }
            records.progress.append(UserProgress(
                id: id(7, 100 + offset), userID: learnerID, courseID: courseID, lessonID: lesson.id, completed: true,
                progressSeconds: lesson.duration, completedAt: at, createdAt: at, updatedAt: at))
        }
        return records
    }

    static let swiftBeforeQuiz = ["Installing the toolchain", "Hello, world", "Constants and variables", "Optionals explained"]

    /// A state on the Swift quiz's lesson page, every lesson before it done.
    static func stateAtSwiftQuiz(width: Int = 80, height: Int = 24) -> AppState {
        var state = DemoFixture.state(width: width, height: height, library: library(records: records(completing: swiftBeforeQuiz)))
        press(&state, .character("n"))
        return state
    }
}

extension AppState {
    /// The text of the whole screen.
    var screen: [String] { renderScreen(self).lines }
    var screenText: String { screen.joined(separator: "\n") }
}

// MARK: Driving an AppRunner

/// A runner over a `TestBackend`, for one account on disk.
struct RunnerHarness {
    let runner: AppRunner
    let backend: TestBackend

    init(session: ClientSession, width: Int = 100, height: Int = 30, syncOnStart: Bool = false, theme: String = "default",
         capabilities: Capabilities = Capabilities(colors: .sixteen, unicode: true)) {
        backend = TestBackend(width: width, height: height, capabilities: capabilities)
        runner = AppRunner(
            terminal: Terminal(backend: backend),
            environment: AppEnvironment(session: session, themeDirectories: [DemoFixture.themesDirectory], player: nil, syncOnStart: syncOnStart),
            theme: Theme.load(theme, directories: [DemoFixture.themesDirectory]))
    }

    var lines: [String] { backend.lines }
    var text: String { backend.lines.joined(separator: "\n") }
    var state: AppState { runner.state }

    /// Keys as the backend would deliver them, then a frame.
    func press(_ keys: Key...) {
        for key in keys { runner.handle(.key(key)) }
        runner.render()
    }

    func type(_ text: String) {
        for character in text { runner.handle(.key(.character(character))) }
        runner.render()
    }

    /// Lets background work report and redraws until `condition` holds, polling every 20 ms.
    /// Waits with `Task.sleep`, never blocking a thread the app's background tasks need.
    func wait(_ what: String, timeout: TimeInterval = 30, until condition: (RunnerHarness) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            runner.settle(timeout: 0)
            if condition(self) { return }
            guard Date() < deadline else {
                throw TestFailure("timed out after \(Int(timeout)) s waiting for \(what); the screen was:\n\(text)\nstatus: \(String(describing: state.status))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func waitForText(_ needle: String, timeout: TimeInterval = 30) async throws {
        try await wait("'\(needle)' on screen", timeout: timeout) { $0.text.contains(needle) }
    }
}
