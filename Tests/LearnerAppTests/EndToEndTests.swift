import Foundation
import LMSClient
import LMSTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `lms` and `lms-server` binaries, driven through tmux like a person at a terminal:
/// keys go in with `send-keys`, the screen comes out with `capture-pane`. Every wait polls the
/// screen every 100 ms up to a deadline; nothing sleeps a fixed time.
@Suite("End to end under tmux", .serialized)
struct EndToEndTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/debug/NAME`, built by `swift build` (the LMSClientTests target depends on `lms`;
    /// `swift build --build-tests` builds both binaries).
    static func binary(_ name: String) throws -> URL {
        let url = repositoryRoot.appendingPathComponent(".build/debug/\(name)")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestFailure("\(url.path) is missing: build it first with 'swift build --product \(name)' (running SwiftPM from inside 'swift test' would wait forever on its lock)")
        }
        return url
    }

    static var tmuxAvailable: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    // MARK: Scenario A: the demo

    /// `lms demo` in a 100x30 tmux pane with `environment` (locale, TERM) exported, once its
    /// Home is on screen; the pane's script says how lms exited.
    static func startDemo(locale environment: String) async throws -> (Scratch, Tmux) {
        let lms = try binary("lms")
        _ = try binary("lms-server")
        let work = try Scratch()
        let tmux = try Tmux(scratch: work)
        try await tmux.start(width: 100, height: 30, script: """
            export \(environment) HOME='\(work.url.path)' XDG_CONFIG_HOME='\(work.url.path)/config' XDG_DATA_HOME='\(work.url.path)/data'
            unset NO_COLOR LMS_PLAYER LMS_SERVER
            '\(lms.path)' demo --directory '\(work.url.path)/demo'
            echo "lms exited with status $?"
            """)
        do {
            try await tmux.waitFor("Welcome back, Ada", timeout: 60)
        } catch {
            tmux.kill()
            throw error
        }
        return (work, tmux)
    }

    @Test("lms demo: study Swift Fundamentals, pass the quiz, earn a badge, quit cleanly", .enabled(if: tmuxAvailable))
    func demo() async throws {
        let (work, tmux) = try await Self.startDemo(locale: "LANG=C.UTF-8 LC_ALL=C.UTF-8")
        defer { tmux.kill() }
        try await tmux.waitFor("● online", timeout: 60)
        try await tmux.waitFor("Continue: Installing the toolchain")

        // Open Swift Fundamentals from Home, then its second lesson.
        try await tmux.keys("Down", "Enter")
        try await tmux.waitFor("Getting started")
        try await tmux.keys("Down", "Down", "Enter")
        for title in ["Installing the toolchain", "Hello, world", "Constants and variables", "Optionals explained"] {
            try await tmux.waitFor("lms › Home › Swift Fundamentals › \(title)", "the page of '\(title)'")
            try await tmux.keys("m")
            try await tmux.waitFor("✓ completed", "'\(title)' completed")
            try await tmux.keys("n")
        }
        try await tmux.waitFor("4 questions · Enter: start")
        try await tmux.keys("Enter")
        try await tmux.waitFor("Which keyword declares a constant?")
        try await tmux.keys("Down", "Enter")  // let
        try await tmux.waitFor("Which of these are value types?")
        try await tmux.keys("Space", "Down", "Space", "Enter")  // struct, enum
        try await tmux.waitFor("An optional may hold no value.")
        try await tmux.keys("Enter")  // True
        try await tmux.waitFor("What literal stands for 'no value' in Swift?")
        try await tmux.type("nil")
        try await tmux.waitFor("nil")
        try await tmux.keys("Enter")
        try await tmux.waitFor("Review your answers")
        let review = try await tmux.capture()
        #expect(review.contains("→ let") && review.contains("→ struct, enum") && review.contains("→ True") && review.contains("→ \"nil\""))
        try await tmux.keys("Enter")
        try await tmux.waitFor("Passed", timeout: 60)
        try await tmux.waitFor("Score: 5/5", timeout: 30)
        try await tmux.waitFor("New badge", timeout: 60)

        try await tmux.quitWithQ()
        // With the lines above the screen: the shell's output after lms may scroll.
        let final = try await tmux.finalOutput()
        #expect(final.contains("lms exited with status 0"), "\(final)")
        #expect(final.contains("Demo server stopped"))
        // The terminal is back to normal: none of the app's screen is left on it.
        #expect(!final.contains("Welcome back") && !final.contains("? help") && !final.contains("Score: 5/5"), "\(final)")
        // lms's own exit status is the one the script printed; the pane's is the script's, which
        // tmux does not always manage to record, so only its end is checked.
        #expect(await tmux.paneDead())
        // The demo's server went away with it.
        #expect(Self.processes(mentioning: work.url.path + "/demo").isEmpty)
    }

    @Test("LANG=C and TERM=dumb: ASCII only on screen and from the CLI, arrows move and never quit", .enabled(if: tmuxAvailable))
    func fallbackTerminal() async throws {
        let (work, tmux) = try await Self.startDemo(locale: "LANG=C LC_ALL=C TERM=dumb")
        defer { withExtendedLifetime(work) { tmux.kill() } }
        try await tmux.waitFor("* online", timeout: 60)
        try await tmux.keys("c")
        try await tmux.waitFor("Catalog")
        // Down twice, as arrows: the selection moves, the app stays.
        try await tmux.keys("Down", "Down")
        try await tmux.waitFor("> Terminal Mastery")
        let catalog = try await tmux.capture()
        #expect(catalog.utf8.allSatisfy { $0 < 0x80 }, "non-ASCII on a LANG=C screen:\n\(catalog)")
        #expect(catalog.contains("Ada - learner"), "\(catalog)")
        #expect(catalog.contains("EUR 49.00"), "\(catalog)")
        #expect(catalog.contains("??? ??"), "the Japanese title as placeholders:\n\(catalog)")
        try await tmux.keys("Up", "Left")
        try await tmux.waitFor("Welcome back, Ada")
        try await tmux.keys("Left", "Escape")
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await tmux.capture().contains("Welcome back, Ada"), "back on Home quit the app")
        try await tmux.quitWithQ()
        #expect(try await tmux.finalOutput().contains("lms exited with status 0"))
    }

    // MARK: Scenario B: offline, then back online

    @Test("lms offline: the Shell quiz waits as pending grading, then is graded when the server is back", .enabled(if: tmuxAvailable))
    func offline() async throws {
        let work = try Scratch()
        let seeded = try await SeededServer.start(in: work)
        var server = seeded.process
        defer { server.child.signal() }
        try await seeded.login(at: server.url)
        let tmux = try await seeded.openApp()
        defer { tmux.kill() }
        try await tmux.waitFor("Welcome back, Ada", timeout: 60)
        try await tmux.waitFor("● online", timeout: 60)
        try await tmux.waitFor("Terminal Mastery  ✓ owned")
        // The first row, "continue", comes once the outlines are read: wait for it before moving.
        try await tmux.waitFor("Continue: Installing the toolchain")

        // The server goes away.
        await server.stop()

        // Terminal Mastery is the third row of Home: continue, Swift, Terminal.
        try await tmux.keys("Down", "Down", "Enter")
        try await tmux.waitFor("Shell quiz")
        try await tmux.keys("Down", "Enter")
        for title in ["What a shell does", "Pipes and redirection"] {
            try await tmux.waitFor("lms › Home › Terminal Mastery › \(title)", "the page of '\(title)'")
            try await tmux.keys("m")
            try await tmux.waitFor("✓ completed", "'\(title)' completed")
            try await tmux.keys("n")
        }
        try await tmux.waitFor("lms › Home › Terminal Mastery › Shell quiz")
        try await tmux.waitFor("2 questions · Enter: start")
        try await tmux.keys("Enter")
        try await tmux.waitFor("Which operator sends one program's output into another's input?")
        try await tmux.keys("Enter")  // "|"
        try await tmux.waitFor("`>` appends to a file.")
        try await tmux.keys("Down", "Enter")  // False
        try await tmux.waitFor("Review your answers")
        try await tmux.keys("Enter")
        try await tmux.waitFor("Pending grading")
        try await tmux.waitFor("You are offline", timeout: 60)
        try await tmux.waitFor("○ offline", timeout: 60)

        // Back on the same port and database; s syncs and the grade arrives.
        server = try ServerProcess(seeded.serverBinary, database: seeded.database, port: seeded.port, log: work.url.appendingPathComponent("server-2.log"))
        try await server.waitUntilHealthy()
        let deadline = Date().addingTimeInterval(60)
        while !(try await tmux.capture().contains("Passed")) {
            guard Date() < deadline else { throw TestFailure("the graded result never appeared; the screen:\n\(try await tmux.capture())") }
            if !(try await tmux.capture().contains("⟳")) { try await tmux.keys("s") }
            try await Task.sleep(for: .milliseconds(500))
        }
        try await tmux.waitFor("Score: 2/2")
        try await tmux.waitFor("● online", timeout: 60)
        try await tmux.quitWithQ()
        // With the lines above the screen: the shell's output after lms may scroll.
        let final = try await tmux.finalOutput()
        #expect(final.contains("lms exited with status 0"), "\(final)")
        #expect(!final.contains("Pending grading") && !final.contains("? help"), "\(final)")
    }

    // MARK: Scenario C: a server that accepts and never answers

    @Test("lms on a silent server: offline within seconds, the app keeps working, the work is sent once when it answers", .enabled(if: tmuxAvailable))
    func silentServer() async throws {
        let work = try Scratch()
        let seeded = try await SeededServer.start(in: work)
        defer { seeded.process.child.signal() }
        let database = seeded.database
        let proxy = try FlakyProxy(upstreamPort: seeded.port)
        defer { proxy.stop() }
        try await seeded.login(at: proxy.baseURL)
        let tmux = try await seeded.openApp()
        defer { tmux.kill() }
        try await tmux.waitFor("● online", timeout: 60)
        try await tmux.waitFor("Continue: Installing the toolchain")

        proxy.mode = .silent
        try await tmux.keys("Enter")
        try await tmux.waitFor("lms › Home › Installing the toolchain")
        let started = Date()
        try await tmux.keys("m")
        try await tmux.waitFor("✓ completed")
        try await tmux.waitFor("○ offline", timeout: 20)
        let offlineAfter = Date().timeIntervalSince(started)
        #expect(offlineAfter < 10, "the app showed offline after \(offlineAfter) s")
        #expect(try await tmux.capture().contains("1 pending"))
        // Still usable from the cache meanwhile.
        try await tmux.keys("n")
        try await tmux.waitFor("Hello, world")

        proxy.mode = .pass
        try await tmux.keys("s")
        try await tmux.waitFor("Back online: sent 1 change", timeout: 30)
        // The library is read again just after: then nothing is pending.
        let deadline = Date().addingTimeInterval(10)
        while try await tmux.capture().contains("1 pending") {
            guard Date() < deadline else { throw TestFailure("still pending once back online:\n\(try await tmux.capture())") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let rows = try await Self.sqlite(database, "SELECT count(*) FROM user_progress p JOIN lessons l ON l.id = p.lesson_id WHERE l.title = 'Installing the toolchain' AND p.completed")
        #expect(rows == "1")
        try await tmux.quitWithQ()
        #expect(try await tmux.finalOutput().contains("lms exited with status 0"))
    }

    /// One value from the server's SQLite file, read with python's sqlite3 (the server may hold it open).
    static func sqlite(_ path: String, _ query: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])", path, query]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Helpers

    /// Runs a command to its end, failing on a non-zero exit.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String], stdin: String? = nil, log: URL,
                    timeout: TimeInterval = 60) async throws {
        var input: URL?
        if let stdin {
            input = log.deletingPathExtension().appendingPathExtension("stdin")
            try Data(stdin.utf8).write(to: input!)
        }
        let child = try Child(executable, arguments, environment: environment, output: log, stdin: input)
        let status = await child.wait(timeout: timeout)
        guard status == 0 else {
            child.signal(SIGKILL)
            throw TestFailure("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) "
                              + (status.map { "exited with \($0)" } ?? "did not finish in \(Int(timeout)) s") + ":\n"
                              + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
        }
    }

    /// A loopback port nobody listens on (bind to 0, read it back, release it).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Pids of running processes whose command line mentions `text`.
    static func processes(mentioning text: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text)
        }
    }
}

/// The demo data seeded into a SQLite file in `work`, served by `lms-server` on a free port, and
/// the environment of a learner's `lms` whose files live in `work` too.
struct SeededServer {
    let lms: URL
    let serverBinary: URL
    let database: String
    let port: Int
    let environment: [String: String]
    let process: ServerProcess
    let work: Scratch

    static func start(in work: Scratch) async throws -> SeededServer {
        let lms = try EndToEndTests.binary("lms")
        let serverBinary = try EndToEndTests.binary("lms-server")
        let database = work.url.appendingPathComponent("lms.sqlite").path
        let environment = [
            "HOME": work.url.path, "XDG_CONFIG_HOME": work.url.path + "/config", "XDG_DATA_HOME": work.url.path + "/data",
            "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "LMS_ENV": "development",
        ]
        try await EndToEndTests.run(serverBinary, ["seed", "--demo", "--sqlite", database], environment: environment,
                                    log: work.url.appendingPathComponent("seed.log"))
        let port = try EndToEndTests.freePort()
        let process = try ServerProcess(serverBinary, database: database, port: port, log: work.url.appendingPathComponent("server.log"))
        do {
            try await process.waitUntilHealthy()
        } catch {
            process.child.signal()
            throw error
        }
        return SeededServer(lms: lms, serverBinary: serverBinary, database: database, port: port, environment: environment, process: process, work: work)
    }

    /// The signed-in learner's app in a 100x30 tmux pane; the script says how lms exited.
    func openApp() async throws -> Tmux {
        let tmux = try Tmux(scratch: work)
        do {
            try await tmux.start(width: 100, height: 30, script: """
                export LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME='\(work.url.path)' XDG_CONFIG_HOME='\(work.url.path)/config' XDG_DATA_HOME='\(work.url.path)/data'
                unset NO_COLOR LMS_PLAYER LMS_SERVER
                '\(lms.path)'
                echo "lms exited with status $?"
                """)
        } catch {
            tmux.kill()
            throw error
        }
        return tmux
    }

    /// `lms login URL` as the demo learner.
    func login(at url: String) async throws {
        try await EndToEndTests.run(lms, ["login", url, "--email", "learner@demo.lms", "--password-stdin"], environment: environment,
                                    stdin: "demo-password\n", log: work.url.appendingPathComponent("login.log"))
    }
}

/// A temporary folder, removed when released.
final class Scratch: Sendable {
    let url: URL

    init() throws {
        url = URL(fileURLWithPath: "/tmp").appendingPathComponent("lms-e2e-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// `lms-server serve` as a child process.
struct ServerProcess {
    let child: Child
    let url: String

    init(_ binary: URL, database: String, port: Int, log: URL) throws {
        url = "http://127.0.0.1:\(port)"
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = "warning"
        environment["LMS_PUBLIC_URL"] = url
        environment["LMS_ENV"] = "development"
        child = try Child(binary, ["serve", "--sqlite", database, "--hostname", "127.0.0.1", "--port", String(port)],
                          environment: environment, output: log)
    }

    func waitUntilHealthy(timeout: TimeInterval = 30) async throws {
        let http = HTTPSession(patience: Patience(connectSeconds: 1, stallSeconds: 2, minimumBytesPerSecond: 1))
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard child.isRunning else { throw TestFailure("lms-server exited with \(child.process.terminationStatus)") }
            if let response = try? await http.send(HTTPRequest(method: .get, url: url + "/healthz")), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("lms-server at \(url) was not healthy within \(Int(timeout)) s")
    }

    /// Stops the server and waits until it is gone.
    func stop() async {
        child.signal(SIGTERM)
        if await child.wait(timeout: 20) == nil {
            child.signal(SIGKILL)
            await child.wait(timeout: 10)
        }
    }
}

/// A private tmux server (its own socket), holding one session.
struct Tmux {
    let socket: String
    let scratch: Scratch
    let session = "e2e"
    /// The tmux server's pid, known once the session started.
    let serverPID = PIDBox()

    init(scratch: Scratch) throws {
        self.scratch = scratch
        socket = "lms-e2e-\(UUID().uuidString.prefix(8).lowercased())"
        let config = scratch.url.appendingPathComponent("tmux.conf")
        try """
            set -g remain-on-exit on
            set -g default-terminal "screen-256color"
            set -g status off
            set -g escape-time 10
            """.write(to: config, atomically: true, encoding: .utf8)
    }

    var prefix: [String] { ["-u", "-L", socket, "-f", scratch.url.appendingPathComponent("tmux.conf").path] }

    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        // Through system(3), not Process: the tmux server that new-session forks inherits the
        // descriptor Foundation watches to notice its child's exit, so a Process running tmux
        // never ends (the client stays a zombie). system() waits for its own child by pid.
        let output = scratch.url.appendingPathComponent("tmux-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let command = (["env", "-u", "TMUX", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "tmux"] + prefix + arguments).map(Self.quote).joined(separator: " ")
            + " >" + Self.quote(output.path) + " 2>&1 </dev/null"
        let status = system(command)
        let lost = status == -1 && errno == ECHILD
        let text = String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
        // ECHILD: another waiter in this process (Foundation's) reaped the shell first, so its
        // status is lost; tmux reports its own failures in its output.
        guard status == 0 || (lost && !text.contains("no server") && !text.contains("can't find") && !text.contains("error")) else {
            throw TestFailure("tmux \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    func start(width: Int, height: Int, script: String) async throws {
        let file = scratch.url.appendingPathComponent("run.sh")
        try ("#!/bin/sh\n" + script + "\n").write(to: file, atomically: true, encoding: .utf8)
        try await run(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), "sh '\(file.path)'"])
        serverPID.value = Int32(try await run(["display-message", "-p", "-t", session, "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The visible screen; with `history`, the lines scrolled off above it too.
    func capture(history: Bool = false) async throws -> String {
        try await run(["capture-pane", "-p", "-t", session] + (history ? ["-S", "-100"] : []))
    }

    func keys(_ names: String...) async throws {
        for name in names { try await run(["send-keys", "-t", session, name]) }
    }

    func type(_ text: String) async throws { try await run(["send-keys", "-t", session, "-l", text]) }

    /// Whether the program in the pane has ended (the pane stays, remain-on-exit).
    func paneDead() async -> Bool { (try? await run(["display-message", "-p", "-t", session, "#{pane_dead}"]))?.hasPrefix("1") ?? false }


    /// Polls the screen every 100 ms until it shows `text`.
    func waitFor(_ text: String, _ what: String? = nil, timeout: TimeInterval = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try await capture()
            if screen.contains(text) { return }
            if await paneDead() { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("waited \(Int(timeout)) s for \(what ?? "'\(text)'"); the screen was:\n\(screen)")
    }

    /// Presses q, screen after screen, until the program exits.
    /// Everything the pane shows once the script has ended, the lines above the screen included.
    /// tmux may mark the pane dead before it has drawn the script's last line: wait for it.
    func finalOutput(timeout: TimeInterval = 5) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var output = try await capture(history: true)
        while !output.contains("lms exited with status"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            output = try await capture(history: true)
        }
        return output
    }

    func quitWithQ(timeout: TimeInterval = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !(await paneDead()) {
            guard Date() < deadline else { throw TestFailure("lms did not exit on q; the screen was:\n\(try await capture())") }
            let before = try await capture()
            try await keys("q")
            // Wait for that q to act (a new screen, or the end) before the next.
            let step = Date().addingTimeInterval(5)
            while Date() < step, !(await paneDead()), (try await capture()) == before { try await Task.sleep(for: .milliseconds(100)) }
        }
    }

    /// Ends the tmux server (and with it the program in the pane, which gets SIGHUP). Synchronous,
    /// for `defer`: signals the server's pid, asked for when the session started.
    func kill() {
        if let pid = serverPID.value {
            _ = Glibc.kill(pid, SIGTERM)
        } else {
            _ = system((["tmux"] + prefix + ["kill-server"]).map(Self.quote).joined(separator: " ") + " >/dev/null 2>&1")
        }
    }
}

/// A started child process whose end can be awaited. `Process.waitUntilExit()` is not used: inside
/// the test runner it never noticed a child that had exited (left as a zombie), so every wait goes
/// through the termination handler instead.
final class Child: @unchecked Sendable {
    // @unchecked: `process` is only read after `run()`; the stream is thread-safe.
    let process = Process()
    private let ended: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(_ executable: URL, _ arguments: [String], environment: [String: String], output: URL, stdin: URL? = nil) throws {
        (ended, continuation) = AsyncStream<Void>.makeStream()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        let continuation = self.continuation
        process.terminationHandler = { _ in continuation.finish() }
        try process.run()
        try? handle.close()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Waits for the end; the exit status, or nil when `timeout` passed first.
    @discardableResult
    func wait(timeout: TimeInterval = 60) async -> Int32? {
        let ended = self.ended
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask { for await _ in ended {}; return true }
            group.addTask { try? await Task.sleep(for: .seconds(timeout)); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return finished ? process.terminationStatus : nil
    }

    /// Sends a signal (no waiting: usable from `defer`).
    func signal(_ signal: Int32 = SIGTERM) {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, signal) }
    }
}

final class PIDBox: @unchecked Sendable {
    // @unchecked: set once after start, read in defer, on the same task.
    var value: Int32?
}
