import Foundation
import LMSTestSupport
import LMSClient
import LMSKit
import Testing

@testable import LMSServer

/// The `lms` executable end to end, as a person (or a script) runs it.
@Suite("lms command line")
struct CLITests {
    /// Every output of a run, checked for escape codes at the end (NO_COLOR and not a terminal).
    final class Transcript: @unchecked Sendable {
        private(set) var results: [(String, CLI.Result)] = []
        let home: TestHome

        init(home: TestHome) { self.home = home }

        func run(_ arguments: [String], stdin: String? = nil) async throws -> CLI.Result {
            let result = try await CLI.run(arguments, home: home, stdin: stdin)
            results.append((arguments.joined(separator: " "), result))
            return result
        }

        func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Any {
            let result = try await run(arguments)
            try #require(result.status == 0, "lms \(arguments.joined(separator: " ")): \(result.all)", sourceLocation: sourceLocation)
            return try JSONSerialization.jsonObject(with: result.stdoutData)
        }
    }

    @Test("a whole session: login, sync, browse, complete, progress, badges, status, preview, logout")
    func wholeSession() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let lms = Transcript(home: home)
            let install = try await server.lessonID("Installing the toolchain")
            let hello = try await server.lessonID("Hello, world")

            // Not signed in: exit 3, whatever the command.
            for command in [["status"], ["sync"], ["courses"], ["complete", "x"], ["preview", "swift-fundamentals"]] {
                let result = try await lms.run(command)
                #expect(result.status == 3, "lms \(command): \(result.all)")
                #expect(result.stderr.contains("Not signed in: run 'lms login SERVER_URL' first"), "\(result.stderr)")
            }
            let wrong = try await lms.run(["login", server.baseURL, "--email", DemoAccounts.learner, "--password-stdin"], stdin: "nope\n")
            #expect(wrong.status == 3, "\(wrong.all)")
            #expect(wrong.stderr.contains("Wrong email or password"))

            let login = try await lms.run(["login", server.baseURL, "--email", DemoAccounts.learner, "--password-stdin"], stdin: "\(DemoAccounts.password)\n")
            #expect(login.status == 0, "\(login.all)")
            #expect(login.stdout.contains("Signed in to \(server.baseURL) as Ada Learner <\(DemoAccounts.learner)> (learner)."), "\(login.stdout)")
            var info = stat()
            #expect(stat(home.paths.credentialsFile.path, &info) == 0 && info.st_mode & 0o777 == 0o600)

            let sync = try await lms.run(["sync"])
            #expect(sync.status == 0, "\(sync.all)")
            #expect(sync.stdout.hasPrefix("Synced: 0 sent, 0 already on the server, "), "\(sync.stdout)")

            // courses --json: valid, stable, the learner's two courses.
            let courses = try await lms.run(["courses", "--json"])
            let coursesAgain = try await lms.run(["courses", "--json"])
            #expect(courses.status == 0 && courses.stdoutData == coursesAgain.stdoutData)
            let rows = try #require(try JSONSerialization.jsonObject(with: courses.stdoutData) as? [[String: Any]])
            #expect(rows.compactMap { ($0["course"] as? [String: Any])?["slug"] as? String } == ["swift-fundamentals", "terminal-mastery"])
            #expect(rows.map { $0["owned"] as? Bool } == [false, true])
            #expect(rows.first?["completed_lessons"] as? Int == 1 && rows.first?["total_lessons"] as? Int == 6)
            let all = try #require(try await lms.json(["courses", "--all", "--json"]) as? [[String: Any]])
            #expect(all.count == 4)

            let course = try await lms.run(["course", "swift-fundamentals"])
            #expect(course.status == 0, "\(course.all)")
            for text in ["Swift Fundamentals", "Getting started", "Values and types", "Welcome to Swift", "Check your understanding",
                         "Complete 'Installing the toolchain' first"] {
                #expect(course.stdout.contains(text), "lms course: no '\(text)' in\n\(course.stdout)")
            }
            let unknown = try await lms.run(["course", "no-such-course"])
            #expect(unknown.status == 5, "\(unknown.all)")

            // Complete online: sent at once.
            let complete = try await lms.run(["complete", install.uuidString.lowercased()])
            #expect(complete.status == 0, "\(complete.all)")
            #expect(complete.stdout.contains("Completed 'Installing the toolchain'."))
            #expect(try await server.progressRows(lesson: install) == 1)
            let next = try #require(try await lms.json(["next", "--json"]) as? [String: Any])
            #expect((next["lesson"] as? [String: Any])?["title"] as? String == "Hello, world")
            let locked = try await lms.run(["complete", try await server.lessonID("Constants and variables").uuidString])
            #expect(locked.status == 5 && locked.stderr.contains("is locked"), "\(locked.all)")

            let progress = try #require(try await lms.json(["progress", "--json"]) as? [[String: Any]])
            let swift = try #require(progress.first { $0["slug"] as? String == "swift-fundamentals" })
            #expect(swift["completed_lessons"] as? Int == 2 && swift["total_lessons"] as? Int == 6)
            #expect((swift["chapters"] as? [[String: Any]])?.count == 2)

            let badges = try #require(try await lms.json(["badges", "--json"]) as? [[String: Any]])
            #expect(badges.count == 6)
            let earned = badges.filter { $0["earned_at"] != nil && !($0["earned_at"] is NSNull) }
            #expect(earned.compactMap { ($0["badge"] as? [String: Any])?["name"] as? String } == ["First Steps"])

            let status = try #require(try await lms.json(["status", "--json"]) as? [String: Any])
            #expect(status["server"] as? String == server.baseURL)
            #expect(status["email"] as? String == DemoAccounts.learner)
            #expect(status["pending"] as? Int == 0 && status["courses"] as? Int == 4)
            #expect((status["rejected"] as? [Any])?.isEmpty == true)

            // Previews are for instructors.
            let refused = try await lms.run(["preview", "swift-fundamentals", "--format", "markdown"])
            #expect(refused.status == 5, "\(refused.all)")

            // Work left unsynced survives logout, with a warning.
            let offline = try await lms.run(["complete", hello.uuidString, "--offline"])
            #expect(offline.status == 0 && offline.stdout.contains("Saved; it will be sent on the next 'lms sync'."), "\(offline.all)")
            let logout = try await lms.run(["logout"])
            #expect(logout.status == 0, "\(logout.all)")
            #expect(logout.stdout.contains("Signed out of \(server.baseURL)."))
            #expect(logout.stdout.contains("Warning: 1 change is not synced yet."), "\(logout.stdout)")
            #expect(!FileManager.default.fileExists(atPath: home.paths.credentialsFile.path))
            #expect(try await liveRefreshTokens(server) == 0)
            let store = AccountStore(paths: home.paths, server: server.baseURL, userID: server.learnerID)
            var notices = AccountStore.Notices()
            #expect(try store.outbox(notices: &notices).count == 1)
            #expect(try await lms.run(["sync"]).status == 3)

            // The instructor's preview.
            let instructor = try await lms.run(["login", server.baseURL, "--email", DemoAccounts.instructor, "--password-stdin"], stdin: DemoAccounts.password)
            #expect(instructor.status == 0, "\(instructor.all)")
            let preview = try await lms.run(["preview", "swift-fundamentals", "--format", "markdown"])
            #expect(preview.status == 0, "\(preview.all)")
            #expect(preview.stdout.hasPrefix("# Swift Fundamentals\n\nStatus: **published** · 2 chapters · 6 lessons"), "\(preview.stdout)")
            for line in ["## Getting started", "## Values and types", "- Welcome to Swift (video, 5m) — free preview",
                         "- Check your understanding (quiz, 5m) — 4 questions", "Counters match the outline."] {
                #expect(preview.stdout.contains(line), "no '\(line)' in\n\(preview.stdout)")
            }
            let tree = try await lms.run(["preview", "swift-fundamentals"])
            #expect(tree.status == 0 && tree.stdout.contains("└─"), "\(tree.all)")
            let json = try #require(try await lms.json(["preview", "swift-fundamentals", "--format", "json"]) as? [String: Any])
            #expect((json["chapters"] as? [Any])?.count == 2)
            #expect(try await lms.run(["preview", "no-such-course"]).status == 5)
            #expect(try await lms.run(["logout"]).status == 0)

            // Back as the learner, the kept work is sent.
            #expect(try await lms.run(["login", server.baseURL, "--email", DemoAccounts.learner, "--password-stdin"], stdin: DemoAccounts.password).status == 0)
            let resumed = try await lms.run(["sync"])
            #expect(resumed.status == 0 && resumed.stdout.hasPrefix("Synced: 1 sent"), "\(resumed.all)")
            #expect(try await server.progressRows(lesson: hello) == 1)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == 2)
            try await expectConsistent(try home.session(), server)

            // Bad usage is exit 2.
            #expect(try await lms.run(["courses", "--no-such-flag"]).status == 2)

            // NO_COLOR (and output to a file): not a single escape code anywhere.
            for (command, result) in lms.results {
                #expect(!result.stdoutData.contains(0x1B), "escape code in the output of lms \(command)")
                #expect(!result.stderr.contains("\u{1B}"), "escape code in the errors of lms \(command)")
            }
        }
    }

    @Test("on a terminal lms uses colour, unless NO_COLOR is set")
    func noColorOnATerminal() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let (plainStatus, plain) = try await CLI.runInTerminal(
                ["course", "swift-fundamentals"], home: home, environment: ["NO_COLOR": "1", "TERM": "xterm-256color"])
            #expect(plainStatus == 0)
            #expect(String(decoding: plain, as: UTF8.self).contains("Swift Fundamentals"))
            #expect(!plain.contains(0x1B), "escape codes despite NO_COLOR")
            let (colourStatus, coloured) = try await CLI.runInTerminal(["course", "swift-fundamentals"], home: home, environment: ["TERM": "xterm-256color"])
            #expect(colourStatus == 0)
            #expect(coloured.contains(0x1B), "no colour on a terminal without NO_COLOR")
        }
    }

    @Test("lms buy: the payment page's address, the course unlocked by the sync after paying; nothing to buy says why")
    func buying() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let buy = try await CLI.run(["buy", "databases-in-depth"], home: home)
            #expect(buy.status == 0, "\(buy.all)")
            let url = try #require(buy.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("http") })
            #expect(url.hasPrefix(server.baseURL + "/checkout/test/"), "\(buy.stdout)")
            #expect(buy.stdout.contains("Once paid, 'lms sync'"))
            // Buying again continues the same checkout.
            let twice = try await CLI.run(["buy", "databases-in-depth", "--json"], home: home)
            #expect(twice.status == 0 && twice.stdout.contains(String(url.split(separator: "/").last!)), "\(twice.all)")
            #expect(try await server.count("purchases", where: "user_id = \(bind: server.learnerID) AND status = 'pending'") == 1)
            // Paying as a browser does: the page, then its Pay (test) form.
            let http = HTTPSession()
            let page = String(decoding: try await http.send(HTTPRequest(method: .get, url: url)).body, as: UTF8.self)
            let formToken = try #require(page.range(of: #"value="[0-9a-f]{64}""#, options: .regularExpression).map { String(page[$0].dropFirst(7).dropLast()) }, "\(page)")
            let paid = try await http.send(HTTPRequest(
                method: .post, url: url + "/pay", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data("token=\(formToken)".utf8)))
            #expect(paid.status == 200, "\(String(decoding: paid.body, as: UTF8.self))")
            let sync = try await CLI.run(["sync"], home: home)
            #expect(sync.status == 0, "\(sync.all)")
            let courses = try await CLI.run(["courses", "--all"], home: home)
            #expect(courses.stdout.split(separator: "\n").contains { $0.contains("Databases in Depth") && $0.contains("owned") }, "\(courses.all)")
            let again = try await CLI.run(["buy", "databases-in-depth"], home: home)
            #expect(again.status == 5 && again.stderr.contains("You own 'Databases in Depth' already"), "\(again.all)")
            let free = try await CLI.run(["buy", "swift-fundamentals"], home: home)
            #expect(free.status == 5 && free.stderr.contains("is free"), "\(free.all)")

            let instructorHome = try TestHome()
            let instructor = try await instructorHome.login(server, as: DemoAccounts.instructor)
            _ = try await instructor.engine().run()
            let own = try await CLI.run(["buy", "databases-in-depth"], home: instructorHome)
            #expect(own.status == 5 && own.stderr.contains("open to you as its instructor"), "\(own.all)")
        }
    }

    @Test("LANG=C: every line lms prints is ASCII, the box drawing and prices included; JSON stays UTF-8")
    func asciiLocale() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server, as: DemoAccounts.instructor)
            _ = try await session.engine().run()
            let environment = ["LANG": "C", "LC_ALL": "C"]
            for command in [["courses", "--all"], ["course", "japanese-for-beginners"], ["preview", "swift-fundamentals"], ["status"], ["progress"]] {
                let result = try await CLI.run(command, home: home, environment: environment)
                #expect(result.status == 0, "lms \(command): \(result.all)")
                #expect(result.all.utf8.allSatisfy { $0 < 0x80 }, "lms \(command) printed non-ASCII under LANG=C:\n\(result.all)")
            }
            let courses = try await CLI.run(["courses", "--all"], home: home, environment: environment)
            #expect(courses.stdout.contains("EUR 49.00") || courses.stdout.contains("USD"), "\(courses.stdout)")
            let json = try await CLI.run(["courses", "--all", "--json"], home: home, environment: environment)
            #expect(json.stdout.contains("日本語"), "JSON is data: its text stays as it is")
        }
    }

    @Test("Sign-in says what went wrong: wrong password, server down; after logout the last server is offered again")
    func signInMessages() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let login = ["login", "--email", DemoAccounts.learner, "--password-stdin"]
            let wrong = try await CLI.run(["login", server.baseURL] + login.dropFirst(), home: home, stdin: "nope\n")
            #expect(wrong.status == 3)
            #expect(wrong.stderr == "lms: Wrong email or password\n", "\(wrong.all)")
            let right = try await CLI.run(["login", server.baseURL] + login.dropFirst(), home: home, stdin: "\(DemoAccounts.password)\n")
            #expect(right.status == 0, "\(right.all)")
            #expect(try await CLI.run(["logout"], home: home).status == 0)
            // No server given: the last one, not a default.
            let again = try await CLI.run(login, home: home, stdin: "\(DemoAccounts.password)\n")
            #expect(again.status == 0 && again.stdout.contains("Signed in to \(server.baseURL)"), "\(again.all)")

            await server.stop()
            #expect(try await CLI.run(["logout"], home: home).status == 0)
            let down = try await CLI.run(login, home: home, stdin: "\(DemoAccounts.password)\n")
            #expect(down.status == 4)
            #expect(down.stderr.contains("Cannot reach \(server.baseURL)") && down.stderr.contains("check the address"), "\(down.all)")
            #expect(!down.stderr.contains("working offline"))
        }
    }

    @Test("--verbose logs each request on stderr; every run logs to the state folder, with no token; status points at the log")
    func logging() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            _ = try await home.login(server)
            let environment = ["XDG_STATE_HOME": home.root.appendingPathComponent("state").path]
            let sync = try await CLI.run(["--verbose", "sync"], home: home, environment: environment)
            #expect(sync.status == 0, "\(sync.all)")
            #expect(sync.stderr.contains("GET /api/v1/sync/changes 200"), "\(sync.stderr)")
            let logFile = home.root.appendingPathComponent("state/lms/lms.log")
            let log = try String(contentsOf: logFile, encoding: .utf8)
            #expect(log.contains("GET /api/v1/sync/changes 200"))
            #expect(!log.contains("eyJ") && !log.lowercased().contains("bearer e"), "a token in the log:\n\(log)")
            let status = try await CLI.run(["status"], home: home, environment: environment)
            #expect(status.stdout.contains("Log:        \(logFile.path)"), "\(status.stdout)")
            // Without --verbose nothing extra on stderr.
            let quiet = try await CLI.run(["sync"], home: home, environment: environment)
            #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        }
    }

    @Test("a mistyped command or option says so, exit 2; with --json as JSON on stdout too")
    func usageErrors() async throws {
        let home = try TestHome()
        let unknown = try await CLI.run(["foo"], home: home)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("lms: unknown command 'foo'."), "\(unknown.all)")
        let typo = try await CLI.run(["sycn"], home: home)
        #expect(typo.stderr.contains("Did you mean 'sync'?"), "\(typo.all)")
        let option = try await CLI.run(["courses", "--jsn", "--json"], home: home)
        #expect(option.status == 2)
        let failure = try #require(try JSONSerialization.jsonObject(with: option.stdoutData) as? [String: [String: String]])
        #expect(failure["error"]?["code"] == "usage")
        #expect(failure["error"]?["message"]?.contains("--jsn") == true)
        let role = try await CLI.run(["demo", "--role", "teacher"], home: home)
        #expect(role.status == 2 && role.stderr.contains("'learner', 'instructor' or 'admin'"), "\(role.all)")
        let notSignedIn = try await CLI.run(["courses", "--json"], home: home)
        #expect(notSignedIn.status == 3)
        let parsed = try #require(try JSONSerialization.jsonObject(with: notSignedIn.stdoutData) as? [String: [String: String]])
        #expect(parsed["error"]?["code"] == "not_signed_in")
    }

    @Test("lms sync with the server down: exit code 4, offline work kept")
    func serverDown() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let install = try await server.lessonID("Installing the toolchain")
            let hello = try await server.lessonID("Hello, world")
            await server.stop()

            // Completing with the server down takes no retries: saved at once, said so.
            let started = Date()
            let complete = try await CLI.run(["complete", install.uuidString], home: home)
            #expect(complete.status == 0, "\(complete.all)")
            #expect(complete.stdout.contains("Saved offline"), "\(complete.all)")
            #expect(Date().timeIntervalSince(started) < 3, "lms complete with the server down took \(Date().timeIntervalSince(started)) s")
            let before = snapshotFiles(session.store.directory)
            let sync = try await CLI.run(["sync"], home: home)
            #expect(sync.status == 4, "\(sync.all)")
            #expect(sync.stderr.hasPrefix("lms: Cannot reach the server"), "\(sync.stderr)")
            // With --json the failure is JSON on stdout too.
            let jsonSync = try await CLI.run(["sync", "--json"], home: home)
            #expect(jsonSync.status == 4)
            let failure = try #require(try JSONSerialization.jsonObject(with: jsonSync.stdoutData) as? [String: [String: String]])
            #expect(failure["error"]?["code"] == "unreachable")
            #expect(failure["error"]?["message"]?.hasPrefix("Cannot reach the server") == true)
            #expect(!sync.all.contains("\u{1B}"))
            #expect(snapshotFiles(session.store.directory) == before)
            let status = try await CLI.run(["status", "--json"], home: home)
            let parsed = try #require(try JSONSerialization.jsonObject(with: status.stdoutData) as? [String: Any])
            #expect(parsed["pending"] as? Int == 1)

            // Still down: other commands work from the cache and keep the work queued, quietly.
            let offlineProgress = try await CLI.run(["progress"], home: home)
            #expect(offlineProgress.status == 0 && offlineProgress.stderr.isEmpty, "\(offlineProgress.all)")

            // A refused connection costs nothing to try again: the next command does, at once.
            let again = Date()
            let remembered = try await CLI.run(["complete", hello.uuidString], home: home)
            #expect(remembered.status == 0 && remembered.stdout.contains("Saved offline (Cannot reach the server"), "\(remembered.all)")
            #expect(Date().timeIntervalSince(again) < 3)

            // Back, 30 s on: the next command of any kind sends the queued work first.
            try await server.restart()
            ReachabilityMemory(paths: home.paths).record(session.credentials.server, reachable: false, now: Date().addingTimeInterval(-31))
            let back = try await CLI.run(["progress"], home: home)
            #expect(back.status == 0, "\(back.all)")
            #expect(back.stderr.contains("sent 2 changes saved offline earlier"), "\(back.all)")
            #expect(try await server.progressRows(lesson: install) == 1)
            let nothingLeft = try await CLI.run(["sync"], home: home)
            #expect(nothingLeft.status == 0 && nothingLeft.stdout.hasPrefix("Synced: 0 sent"), "\(nothingLeft.all)")
            try await expectConsistent(session, server)
        }
    }
}
