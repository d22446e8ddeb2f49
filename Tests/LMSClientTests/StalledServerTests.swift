import Foundation
import LMSClient
import LMSKit
import LMSTestSupport
import Testing

/// A server that takes the connection and then says nothing, or a byte a second: lms must call it
/// offline within seconds, keep the work, and deliver it exactly once when the server is back.
@Suite("A server that accepts and never answers")
struct StalledServerTests {
    /// Loose on purpose: the point is seconds, not minutes (libcurl's defaults took 2½ minutes).
    static let offlineWithin: TimeInterval = 9

    /// A demo server behind a `FlakyProxy` that passes for now, and a learner signed in and
    /// synced through it.
    static func withProxiedLearner(_ body: (LiveServer, FlakyProxy, TestHome, ClientSession) async throws -> Void) async throws {
        try await withLiveServer { server in
            let proxy = try FlakyProxy(upstreamPort: server.port)
            defer { proxy.stop() }
            let home = try TestHome()
            let session = try await home.login(url: proxy.baseURL)
            _ = try await session.sync()
            try await body(server, proxy, home, session)
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> TimeInterval {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test("the transport gives up on a silent server, and on one a byte a second, within the patience")
    func transportGivesUp() async throws {
        try await withLiveServer { server in
            for mode in [FlakyProxy.Mode.silent, .trickle] {
                let proxy = try FlakyProxy(upstreamPort: server.port, mode: mode)
                defer { proxy.stop() }
                let http = HTTPSession(patience: .interactive)
                let started = ContinuousClock.now
                do throws(ClientError) {
                    let response = try await http.send(HTTPRequest(method: .get, url: proxy.baseURL + "/healthz"))
                    Issue.record("\(mode): expected a failure, got HTTP \(response.status)")
                } catch {
                    #expect(error == .timeout, "\(mode): \(error)")
                    #expect(error.isUnavailable && !error.isWorthRetryingNow)
                    #expect(error.description.contains("not answering"), "\(error.description)")
                }
                let took = Self.seconds(since: started)
                #expect(took >= Double(Patience.interactive.stallSeconds) - 1 && took < Self.offlineWithin, "\(mode): \(took) s")
            }
        }
    }

    @Test("a sync against a silent server fails once, without retrying while the learner waits")
    func syncDoesNotRetryASilentServer() async throws {
        try await Self.withProxiedLearner { server, proxy, home, session in
            let lesson = try await server.lessonID("Installing the toolchain")
            try session.outboxWriter.enqueue(completion(lesson, seconds: 30, at: wholeSecondsAgo(10)))

            proxy.mode = .silent
            let started = ContinuousClock.now
            await #expect(throws: ClientError.timeout) { try await session.sync() }
            #expect(Self.seconds(since: started) < Self.offlineWithin)
            #expect(proxy.unansweredRequests == 1, "retried \(proxy.unansweredRequests - 1) times")
            #expect(try session.outbox().count == 1)
            // Remembered as expensive: a command on the side does not wait for it again.
            let sideStarted = ContinuousClock.now
            let side = try await session.syncIfReachable()
            if case .done = side { Issue.record("expected offline, the server was tried again") }
            #expect(Self.seconds(since: sideStarted) < 1)
            #expect(proxy.unansweredRequests == 1)
        }
    }

    @Test("lms complete on a silent server: saved offline in seconds, exit 0; sent once when the server is back")
    func completeOnASilentServer() async throws {
        try await Self.withProxiedLearner { server, proxy, home, session in
            let install = try await server.lessonID("Installing the toolchain")

            proxy.mode = .silent
            let started = ContinuousClock.now
            let complete = try await CLI.run(["complete", install.uuidString], home: home)
            #expect(complete.status == 0, "\(complete.all)")
            #expect(complete.stdout.contains("Saved offline") && complete.stdout.contains("not answering"), "\(complete.all)")
            #expect(Self.seconds(since: started) < Self.offlineWithin, "lms complete took \(Self.seconds(since: started)) s")

            // A read right after works from the cache at once and keeps the work queued.
            let readStarted = ContinuousClock.now
            let progress = try await CLI.run(["progress"], home: home)
            #expect(progress.status == 0 && progress.stdout.contains("Swift Fundamentals"), "\(progress.all)")
            #expect(Self.seconds(since: readStarted) < 2, "lms progress took \(Self.seconds(since: readStarted)) s")
            let status = try await CLI.run(["status", "--json"], home: home)
            let parsed = try #require(try JSONSerialization.jsonObject(with: status.stdoutData) as? [String: Any], "\(status.all)")
            #expect(parsed["pending"] as? Int == 1 && parsed["server_answered"] as? Bool == false, "\(status.all)")

            proxy.mode = .pass
            let sync = try await CLI.run(["sync"], home: home)
            #expect(sync.status == 0 && sync.stdout.contains("Synced: 1 sent"), "\(sync.all)")
            #expect(try await server.progressRows(lesson: install) == 1)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == 1)
            try await expectConsistent(session, server)
        }
    }

    @Test("a byte a second: the work reached the server but the answer did not; resent, it counts once")
    func trickledAnswerIsDeliveredOnce() async throws {
        try await Self.withProxiedLearner { server, proxy, home, session in
            let install = try await server.lessonID("Installing the toolchain")

            proxy.mode = .trickle
            let started = ContinuousClock.now
            let complete = try await CLI.run(["complete", install.uuidString], home: home)
            #expect(complete.status == 0 && complete.stdout.contains("Saved offline"), "\(complete.all)")
            #expect(Self.seconds(since: started) < Self.offlineWithin, "lms complete took \(Self.seconds(since: started)) s")
            #expect(try session.outbox().count == 1)

            proxy.mode = .pass
            let sync = try await CLI.run(["sync"], home: home)
            #expect(sync.status == 0, "\(sync.all)")
            #expect(sync.stdout.contains("0 sent, 1 already on the server"), "\(sync.all)")
            #expect(try session.outbox().isEmpty)
            #expect(try await server.progressRows(lesson: install) == 1)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == 1)
        }
    }

    @Test("after the server was refused at once, the next command of any kind sends the work: no waiting window")
    func refusedIsCheckedAgainAtOnce() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.sync()
            let install = try await server.lessonID("Installing the toolchain")
            await server.stop()
            let complete = try await CLI.run(["complete", install.uuidString], home: home)
            #expect(complete.status == 0 && complete.stdout.contains("Saved offline"), "\(complete.all)")
            try await server.restart()
            for command in [["progress"], ["courses"], ["next"], ["badges"]] {
                let run = try await CLI.run(command, home: home)
                #expect(run.status == 0, "\(command): \(run.all)")
                if command == ["progress"] {
                    #expect(run.stderr.contains("sent 1 change saved offline earlier"), "\(run.all)")
                }
            }
            #expect(try session.outbox().isEmpty)
            let status = try await CLI.run(["status"], home: home)
            #expect(status.stdout.contains("answered just now") && status.stdout.contains("Pending:    0 changes"), "\(status.all)")
            #expect(status.stdout.range(of: #"\d{4}-\d\d-\d\dT\d\d:"#, options: .regularExpression) == nil, "ISO dates: \(status.stdout)")
            #expect(try await server.progressRows(lesson: install) == 1)
        }
    }
}
