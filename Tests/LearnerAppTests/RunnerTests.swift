import Foundation
import LMSClient
import LMSKit
import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp

@Suite("AppRunner over a TestBackend", .serialized)
struct RunnerTests {
    @Test("start() draws the first frame from the cache alone, before any network call")
    func firstFrameFromTheCache() throws {
        let account = try DemoFixture.Account()
        let harness = RunnerHarness(session: try account.session())
        harness.runner.start()
        // No waiting: the frame is there when start() returns.
        #expect(harness.lines[0].hasPrefix(" lms › Home"))
        #expect(harness.text.contains("Welcome back, Ada"))
        #expect(harness.text.contains("2 courses · 1/6 badges"))
        #expect(harness.text.contains("Swift Fundamentals  free"))
        #expect(harness.text.contains("Terminal Mastery  ✓ owned"))
        #expect(harness.text.contains("synced 09:30 UTC"))
        #expect(!harness.state.sync.running)
        #expect(harness.backend.writes == 1)
    }

    @Test("Keys typed through handle(.key…) change the screen")
    func keysChangeTheScreen() async throws {
        let account = try DemoFixture.Account()
        let harness = RunnerHarness(session: try account.session())
        harness.runner.start()
        // Outlines load in the background; then "continue" appears on Home.
        try await harness.waitForText("Continue: Installing the toolchain")
        harness.press(.character("c"))
        #expect(harness.text.contains("4 courses · / to filter"))
        #expect(harness.lines[0].hasPrefix(" lms › Home › Catalog"))
        harness.press(.character("/"))
        harness.type("japan")
        #expect(harness.text.contains("Filter: japan"))
        #expect(!harness.text.contains("Swift Fundamentals"))
        harness.press(.enter, .enter)
        try await harness.waitForText("Hiragana quiz 🈁")
        #expect(harness.lines[0].contains("日本語 入門"))
        harness.press(.escape, .escape, .character("?"))
        #expect(harness.text.contains("Keys"))
        harness.press(.escape)
        #expect(harness.text.contains("Welcome back, Ada"))
        // Only what changed was printed for that last frame: Home's text, not the whole screen.
        #expect(harness.backend.lastWritePrinted > 0 && harness.backend.lastWritePrinted < 100 * 30 / 2)
    }

    @Test("Ctrl-Z gives the terminal back, stops the process, and redraws everything when continued")
    func ctrlZSuspends() async throws {
        let account = try DemoFixture.Account()
        let harness = RunnerHarness(session: try account.session())
        var calls: [String] = []
        harness.runner.suspend = { calls.append("suspend") }
        harness.runner.stopProcess = { calls.append("stop") }
        harness.runner.resume = { calls.append("resume") }
        harness.runner.start()
        let printed = harness.backend.cellsWritten
        harness.press(.ctrl("z"))
        #expect(calls == ["suspend", "stop", "resume"])
        #expect(!harness.state.quitting)
        // The whole screen again, as after a clear: the shell drew on it meanwhile.
        #expect(harness.backend.cellsWritten - printed > 100)
        #expect(harness.lines[0].hasPrefix(" lms › Home"))
    }

    @Test func resizeRedrawsAtTheNewSize() async throws {
        let account = try DemoFixture.Account()
        let harness = RunnerHarness(session: try account.session(), width: 80, height: 24)
        harness.runner.start()
        harness.backend.resize(width: 30, height: 8)
        harness.runner.handle(harness.backend.nextEvent(timeoutMilliseconds: 0)!)
        harness.runner.render()
        #expect(harness.lines.count == 8 && harness.lines.allSatisfy { DisplayWidth.of($0) == 30 })
        #expect(harness.text.contains("Terminal too small"))
        harness.backend.resize(width: 120, height: 40)
        harness.runner.handle(harness.backend.nextEvent(timeoutMilliseconds: 0)!)
        harness.runner.render()
        #expect(harness.lines.count == 40 && harness.lines[0].count == 120)
        #expect(harness.text.contains("Welcome back, Ada"))
    }

    @Test("Marking a lesson complete offline saves it in the outbox and shows it at once")
    func offlineCompletion() async throws {
        let account = try DemoFixture.Account()
        let session = try account.session()
        let harness = RunnerHarness(session: session)
        harness.runner.start()
        try await harness.waitForText("Continue: Installing the toolchain")
        harness.press(.enter)
        #expect(harness.text.contains("▶ Installing the toolchain"))
        harness.press(.character("m"))
        // Saved on disk before any sync, and shown as completed.
        var notices = AccountStore.Notices()
        let outbox = try session.store.outbox(notices: &notices)
        #expect(outbox.count == 1)
        try await harness.waitForText("✓ completed")
        // The sync that follows cannot reach the server: the work stays pending, the app says offline.
        try await harness.wait("the failed sync", timeout: 60) { $0.state.sync.online == false && !$0.state.sync.running }
        #expect(harness.text.contains("○ offline"))
        #expect(harness.text.contains("1 pending"))
        // The next lesson is open now.
        harness.press(.character("n"))
        #expect(harness.lines[0].contains("Hello, world"))
        #expect(harness.text.contains("# Hello, world"))
    }

    @Test("The theme picker loads themes from disk and saves the choice")
    func themePicker() async throws {
        let account = try DemoFixture.Account()
        let session = try account.session()
        let harness = RunnerHarness(session: session)
        harness.runner.start()
        harness.press(.character("t"), .down)
        try await harness.wait("the high-contrast theme") { $0.state.theme.name == "high-contrast" }
        harness.press(.enter)
        #expect(harness.state.route == .home)
        let saved = try String(contentsOf: session.paths.configDirectory.appendingPathComponent("theme"), encoding: .utf8)
        #expect(saved == "high-contrast\n")
        harness.press(.character("t"), .up, .escape)
        try await harness.wait("the theme restored") { $0.state.theme.name == "high-contrast" && $0.state.route == .home }
    }

    @Test("run() returns when q is pressed on Home, and the terminal is left alone")
    func runUntilQuit() throws {
        let account = try DemoFixture.Account()
        let harness = RunnerHarness(session: try account.session())
        harness.backend.pendingEvents = [.key(.character("c")), .key(.character("q")), .key(.character("q"))]
        harness.runner.run()
        #expect(harness.state.quitting)
        #expect(harness.backend.pendingEvents.isEmpty)
        #expect(harness.text.contains("Welcome back, Ada"))
    }

    @Test("Without colour the app still shows what is selected")
    func monochromeTerminal() throws {
        let account = try DemoFixture.Account()
        let harness = RunnerHarness(session: try account.session(), theme: "dark", capabilities: Capabilities(colors: .monochrome, unicode: false))
        harness.runner.start()
        #expect(harness.state.monochrome && !harness.state.unicode)
        #expect(harness.lines[0].hasPrefix(" lms > Home"))
        let screen = harness.backend.screen
        let selected = harness.lines.firstIndex { $0.hasPrefix(" > ") }!
        #expect(screen[50, selected].style.modifiers.contains(.reverse))
        #expect(!screen[50, selected + 1].style.modifiers.contains(.reverse))
    }

    @Test func aDamagedCacheFileIsReported() async throws {
        let account = try DemoFixture.Account()
        let session = try account.session()
        try Data("{ not json".utf8).write(to: session.store.directory.appendingPathComponent("learner.json"))
        let harness = RunnerHarness(session: session)
        harness.runner.start()
        #expect(harness.state.status?.isError == true)
        #expect(harness.text.contains("Welcome back, Ada"))
        #expect(harness.text.contains("0/0 badges"))
    }
}

@Suite("AppRunner: start-up details", .serialized)
struct RunnerStartTests {
    @Test("The sync on start runs even in a terminal too small for keys")
    func syncOnStartInATinyTerminal() async throws {
        let account = try DemoFixture.Account()
        let harness = RunnerHarness(session: try account.session(), width: 30, height: 8, syncOnStart: true)
        harness.runner.start()
        #expect(harness.state.sync.running)
        #expect(harness.text.contains("Terminal too small"))
        // Nobody listens at the account's server: the sync ends offline.
        try await harness.wait("the failed sync", timeout: 60) { !$0.state.sync.running }
        #expect(harness.state.sync.online == false)
    }

    @Test("The lesson page names the player the runner was given, and never offers one that is not installed",
          arguments: [("true --fs", "Enter/o: play in true · m: mark complete"),
                      ("no-such-player-lms --fs", "No video player found (set LMS_PLAYER, e.g. mpv) · m: mark complete")])
    func playerName(_ player: String, _ line: String) async throws {
        let account = try DemoFixture.Account()
        let session = try account.session()
        let backend = TestBackend(width: 100, height: 30)
        let runner = AppRunner(
            terminal: Terminal(backend: backend),
            environment: AppEnvironment(session: session, themeDirectories: [DemoFixture.themesDirectory], player: player, syncOnStart: false),
            theme: DemoFixture.defaultTheme)
        runner.start()
        #expect(runner.state.player == String(player.split(separator: " ")[0]))
        let deadline = Date().addingTimeInterval(30)
        while !backend.lines.joined().contains("Continue:"), Date() < deadline {
            runner.settle(timeout: 0)
            try await Task.sleep(for: .milliseconds(20))
        }
        runner.handle(.key(.enter))
        runner.render()
        #expect(backend.lines.joined().contains(line))
        // Asked to play anyway, it says where the video is instead of failing on the terminal.
        runner.handle(.key(.character("o")))
        if !runner.state.playerAvailable {
            #expect(runner.state.status?.text.hasPrefix("No video player found: set LMS_PLAYER") == true)
        }
    }
}
