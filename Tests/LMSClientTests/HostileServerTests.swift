import Foundation
import LMSTestSupport
import LMSClient
import LMSKit
import Testing

/// Answers the real server never gives: a stand-in server sends canned bytes, and the client must
/// turn each into the right `ClientError`, with a sentence a person can read, without crashing
/// and without touching the cache or the outbox.
@Suite("Garbage, truncated and huge responses")
struct HostileServerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let make: @Sendable () throws -> CannedServer
        let check: @Sendable (ClientError) -> Bool
        /// Words the description must contain.
        let mentions: [String]

        var testDescription: String { name }
    }

    static let validPage = Data("""
        {"changes": [{"entity": "badge", "id": "6F9619FF-8B86-D011-B42D-00C04FC964FF", "op": "delete"}], "cursor": "abc", "has_more": false}
        """.utf8)

    static let cases: [Case] = [
        Case(
            name: "non-JSON 200",
            make: { try CannedServer(status: "200 OK", headers: [("Content-Type", "application/json")], body: Data("Hello from a captive portal".utf8)) },
            check: { if case .invalidResponse = $0 { true } else { false } },
            mentions: ["cannot read"]),
        Case(
            name: "JSON cut in the middle",
            make: { try CannedServer(status: "200 OK", headers: [("Content-Type", "application/json")], body: validPage.prefix(validPage.count / 2)) },
            check: { if case .invalidResponse = $0 { true } else { false } },
            mentions: ["cannot read"]),
        Case(
            name: "connection closed before the announced length",
            make: {
                try CannedServer(
                    status: "200 OK", headers: [("Content-Type", "application/json")], body: validPage.prefix(validPage.count / 2),
                    contentLength: validPage.count)
            },
            check: { error in if case .offline = error { error.isTransient } else { false } },
            mentions: ["connection to the server broke"]),
        Case(
            name: "a 50 MB body",
            make: {
                var body = Data("{\"changes\": [], \"cursor\": \"".utf8)
                body.append(Data(repeating: UInt8(ascii: "x"), count: 50 << 20))
                return try CannedServer(status: "200 OK", headers: [("Content-Type", "application/json")], body: body)
            },
            check: { if case .invalidResponse = $0 { true } else { false } },
            mentions: ["cannot read"]),
        Case(
            name: "HTML 502 from a proxy",
            make: {
                try CannedServer(
                    status: "502 Bad Gateway", headers: [("Content-Type", "text/html")],
                    body: Data("<html><body><h1>502 Bad Gateway</h1>nginx</body></html>".utf8))
            },
            check: { $0 == .server(status: 502) },
            mentions: ["HTTP 502", "try again later"]),
        Case(
            name: "429 with Retry-After",
            make: {
                try CannedServer(
                    status: "429 Too Many Requests", headers: [("Retry-After", "7"), ("Content-Type", "text/plain")], body: Data("slow down".utf8))
            },
            check: { $0 == .rateLimited(retryAfter: 7) },
            mentions: ["7 seconds"]),
        Case(
            name: "HTML 404",
            make: { try CannedServer(status: "404 Not Found", headers: [("Content-Type", "text/html")], body: Data("<h1>Not here</h1>".utf8)) },
            check: { if case .notFound = $0 { true } else { false } },
            mentions: ["was not found"]),
        Case(
            name: "empty 200",
            make: { try CannedServer(status: "200 OK", body: Data()) },
            check: { if case .invalidResponse = $0 { true } else { false } },
            mentions: ["cannot read"]),
    ]

    /// A signed-in account with a cache and pending work, pointed at the stand-in server.
    static func account(server: String) throws -> (TestHome, AccountStore, Credentials) {
        let home = try TestHome()
        let credentials = Credentials(
            server: server, userID: UUID(), email: "learner@demo.lms", accessToken: "token", accessExpiresAt: Date().addingTimeInterval(3600),
            refreshToken: "refresh")
        try CredentialStore(paths: home.paths).save(credentials)
        let store = AccountStore(paths: home.paths, server: server, userID: credentials.userID)
        try store.save(index: CacheIndex(cursor: "cursor-1", lastSync: Date(timeIntervalSince1970: 1_800_000_000)))
        var learner = LearnerRecords()
        learner.progress = [UserProgress(
            id: UUID(), userID: credentials.userID, courseID: UUID(), lessonID: UUID(), completed: true, progressSeconds: 30,
            completedAt: Date(timeIntervalSince1970: 1_800_000_000), createdAt: Date(timeIntervalSince1970: 1_800_000_000),
            updatedAt: Date(timeIntervalSince1970: 1_800_000_000))]
        try store.save(learner: learner)
        try OutboxWriter(store: store).enqueue(watching(UUID(), seconds: 12))
        return (home, store, credentials)
    }

    @Test("each bad answer becomes the right ClientError, and nothing local changes", arguments: cases)
    func badAnswer(_ bad: Case) async throws {
        let server = try bad.make()
        defer { server.stop() }
        let (home, store, credentials) = try Self.account(server: server.baseURL)
        let before = snapshotFiles(store.directory)
        let api = APIClient(server: server.baseURL, credentials: credentials, http: HTTPSession(patience: Patience(connectSeconds: 2, stallSeconds: 5, minimumBytesPerSecond: 64)))

        // A typed call straight to the API.
        do {
            let page = try await api.changes(cursor: nil)
            Issue.record("expected an error, got \(page)")
        } catch {
            #expect(bad.check(error), "\(bad.name): got \(error)")
            let description = error.description
            for word in bad.mentions { #expect(description.contains(word), "\(bad.name): '\(description)'") }
            #expect(description.count < 400, "\(bad.name): description of \(description.count) characters")
            #expect(!description.contains("Optional("), "\(description)")
        }

        // A whole sync (push first: the outbox has work) fails the same way and changes nothing.
        let engine = SyncEngine(api: api, store: store, clientID: UUID(), backoff: Backoff(base: 0.01, cap: 0.05, maxAttempts: 1))
        await #expect(performing: { try await engine.run() }, throws: { error in
            guard let clientError = error as? ClientError else { return false }
            return bad.check(clientError)
        })
        #expect(snapshotFiles(store.directory) == before)
        var notices = AccountStore.Notices()
        #expect(try store.outbox(notices: &notices).count == 1 && notices.messages.isEmpty)
        #expect(server.requests >= 2)
        withExtendedLifetime(home) {}
    }

    @Test("the lms CLI reports a garbage answer on one line with exit code 1, and keeps the work")
    func cliReportsGarbage() async throws {
        let server = try CannedServer(status: "200 OK", headers: [("Content-Type", "application/json")], body: Data("<<garbage>>".utf8))
        defer { server.stop() }
        let (home, store, _) = try Self.account(server: server.baseURL)
        let before = snapshotFiles(store.directory)
        let sync = try await CLI.run(["sync"], home: home)
        #expect(sync.status == 1, "\(sync.all)")
        #expect(sync.stderr.hasPrefix("lms: The server sent an answer lms cannot read"), "\(sync.stderr)")
        #expect(sync.stderr.split(separator: "\n").count == 1, "\(sync.stderr)")
        #expect(snapshotFiles(store.directory) == before)
    }

    @Test("a 502 behind lms sync is exit code 4 (try later), the work kept")
    func cliReportsServerTrouble() async throws {
        let server = try CannedServer(status: "502 Bad Gateway", headers: [("Content-Type", "text/html")], body: Data("<h1>502</h1>".utf8))
        defer { server.stop() }
        let (home, store, _) = try Self.account(server: server.baseURL)
        let before = snapshotFiles(store.directory)
        let sync = try await CLI.run(["sync"], home: home)
        #expect(sync.status == 4, "\(sync.all)")
        #expect(sync.stderr.contains("HTTP 502"), "\(sync.stderr)")
        #expect(snapshotFiles(store.directory) == before)
    }
}
