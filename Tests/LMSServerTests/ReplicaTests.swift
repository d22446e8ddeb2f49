import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing

@testable import LMSServer

/// Several `lms-server` processes on one PostgreSQL, as an operator runs replicas behind a proxy:
/// the real binary (`swift build` makes it), in production mode, spoken to with curl.
@Suite("Replicas on one database", .serialized)
struct ReplicaTests {
    static let current = "k2026a=" + String(repeating: "a1b2c3d4", count: 5)
    static let next = "k2026b=" + String(repeating: "e5f6a7b8", count: 5)

    @Test("Two migrate runs at once end with one schema; sign-in, refresh, rotation and the login throttle span replicas", arguments: TestDatabase.postgresOnly)
    func replicas(_ database: TestDatabase) async throws {
        guard case .postgres(let url) = database else { return }
        let schema = try await PostgresAdmin.createSchema(url)
        defer { Task { try? await PostgresAdmin.dropSchema(url, schema) } }
        let base = ["DATABASE_URL": url, "LMS_PG_SCHEMA": schema, "LOG_LEVEL": "warning", "LMS_ENV": "production"]
            .merging(Self.keys(Self.current)) { $1 }

        // Two operators (or two starting replicas) migrate at once: one waits for the other's lock.
        let migrations = [try ServerProcess.run(["migrate", "--yes"], environment: base), try ServerProcess.run(["migrate", "--yes"], environment: base)]
        for migration in migrations {
            let result = try await migration.finish()
            #expect(result.status == 0, "migrate: \(result.output)")
        }
        let applied = try await PostgresAdmin.withConnection(url) { sql in
            try await sql.raw("SELECT COUNT(*) AS n, COUNT(DISTINCT name) AS names FROM \(ident: schema)._fluent_migrations").first()
        }
        #expect(try applied?.decode(column: "n", as: Int.self) == LMSMigrations.all.count + 1)
        #expect(try applied?.decode(column: "names", as: Int.self) == LMSMigrations.all.count + 1)
        var seedEnvironment = base
        seedEnvironment["LMS_ENV"] = "development"
        let seed = try await ServerProcess.run(["seed", "--demo"], environment: seedEnvironment).finish()
        try #require(seed.status == 0, "seed: \(seed.output)")

        // Replica A trusts the proxy on loopback; replica B trusts nobody.
        let a = try await ServerProcess.serve(environment: base.merging(["LMS_TRUSTED_PROXIES": "127.0.0.1/32, ::1"]) { $1 })
        let b = try await ServerProcess.serve(environment: base)
        defer { a.stop(); b.stop() }

        let login = try Self.curl(.post, a.url + "/api/v1/auth/login", json: #"{"email":"learner@demo.lms","password":"demo-password"}"#)
        try #require(login.status == 200, Comment(rawValue: login.body))
        let tokens = try LMSJSON.makeDecoder().decode(TokenResponse.self, from: Data(login.body.utf8))
        #expect(try Self.curl(.get, b.url + "/api/v1/me", token: tokens.accessToken).status == 200)
        let refreshed = try Self.curl(.post, b.url + "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(tokens.refreshToken)"}"#)
        #expect(refreshed.status == 200, Comment(rawValue: refreshed.body))
        // The token refreshed on B works on A.
        let second = try LMSJSON.makeDecoder().decode(TokenResponse.self, from: Data(refreshed.body.utf8))
        #expect(try Self.curl(.get, a.url + "/api/v1/me", token: second.accessToken).status == 200)

        // A replica with the next key (the current one kept as previous) accepts tokens signed before.
        let rotated = try await ServerProcess.serve(environment: base.merging(Self.keys(Self.next, previous: Self.current)) { $1 })
        defer { rotated.stop() }
        #expect(try Self.curl(.get, rotated.url + "/api/v1/me", token: second.accessToken).status == 200)
        let rotatedLogin = try Self.curl(.post, rotated.url + "/api/v1/auth/login", json: #"{"email":"learner@demo.lms","password":"demo-password"}"#)
        #expect(rotatedLogin.status == 200)

        // A guessing run spread over both replicas is limited as one: five failures, then 429 on either.
        let wrong = #"{"email":"instructor@demo.lms","password":"guess"}"#
        for attempt in 0..<5 {
            #expect(try Self.curl(.post, (attempt.isMultiple(of: 2) ? a : b).url + "/api/v1/auth/login", json: wrong).status == 401)
        }
        #expect(try Self.curl(.post, a.url + "/api/v1/auth/login", json: wrong).status == 429)
        #expect(try Self.curl(.post, b.url + "/api/v1/auth/login", json: wrong).status == 429)

        // Behind a trusted proxy each client is itself: one client's failures lock out neither
        // another client nor the account elsewhere.
        let viaProxy = ["X-Forwarded-For": "198.51.100.23, 203.0.113.9"]
        let admin = #"{"email":"admin@demo.lms","password":"guess"}"#
        for _ in 0..<5 { #expect(try Self.curl(.post, a.url + "/api/v1/auth/login", json: admin, headers: viaProxy).status == 401) }
        #expect(try Self.curl(.post, a.url + "/api/v1/auth/login", json: admin, headers: viaProxy).status == 429)
        let otherClient = try Self.curl(
            .post, a.url + "/api/v1/auth/login", json: #"{"email":"admin@demo.lms","password":"demo-password"}"#,
            headers: ["X-Forwarded-For": "203.0.113.77"])
        #expect(otherClient.status == 200, "another client behind the proxy was locked out: \(otherClient.body)")
        // B does not trust the header: a forged X-Forwarded-For does not make a new client.
        for _ in 0..<5 { _ = try Self.curl(.post, b.url + "/api/v1/auth/login", json: admin, headers: ["X-Forwarded-For": "192.0.2.1"]) }
        #expect(try Self.curl(.post, b.url + "/api/v1/auth/login", json: admin, headers: ["X-Forwarded-For": "192.0.2.2"]).status == 429)

        // Both replicas are ready and report their requests.
        #expect(try Self.curl(.get, a.url + "/readyz").status == 200)
        let metrics = try Self.curl(.get, b.url + "/metrics").body
        #expect(metrics.contains("lms_login_failures_total"))
        #expect(metrics.contains(#"http_requests_total{method="POST",route="/api/v1/auth/login",status="429"}"#))
        #expect(metrics.contains(#"lms_db_pool_connections{state="open"}"#))
    }

    static func keys(_ current: String, previous: String? = nil) -> [String: String] {
        let (id, secret) = (String(current.split(separator: "=")[0]), String(current.split(separator: "=")[1]))
        var environment = ["LMS_JWT_KEY_ID": id, "LMS_JWT_SECRET": secret]
        if let previous {
            environment["LMS_JWT_PREVIOUS_KEY_ID"] = String(previous.split(separator: "=")[0])
            environment["LMS_JWT_PREVIOUS_SECRET"] = String(previous.split(separator: "=")[1])
        }
        return environment
    }

    enum Method: String { case get = "GET", post = "POST" }

    static func curl(_ method: Method, _ url: String, json: String? = nil, token: String? = nil, headers: [String: String] = [:]) throws -> (status: Int, body: String) {
        var arguments = ["-s", "-X", method.rawValue, "-w", "\n%{http_code}", "--max-time", "10"]
        if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl"] + arguments + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}

/// An `lms-server` process of `.build/debug`, its output in a temporary file.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let log: URL
    var url = ""

    static var binary: URL {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let url = root.appendingPathComponent(".build/debug/lms-server")
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw DecodeFailure(description: "\(url.path) is missing: build it first with 'swift build --product lms-server'")
            }
            return url
        }
    }

    private init(process: Process, log: URL) {
        self.process = process
        self.log = log
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> ServerProcess {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("lms-server-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw TestFailure("cannot create \(log.path)") }
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return ServerProcess(process: process, log: log)
    }

    /// `serve` on a free loopback port, once `/healthz` answers.
    static func serve(environment: [String: String]) async throws -> ServerProcess {
        let port = try freeLoopbackPort()
        let server = try run(["serve"], environment: environment.merging(["HOST": "127.0.0.1", "PORT": String(port)]) { $1 })
        server.url = "http://127.0.0.1:\(port)"
        for _ in 0..<200 {
            guard server.process.isRunning else { break }
            if (try? ReplicaTests.curl(.get, server.url + "/healthz").status) == 200 { return server }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.stop()
        throw DecodeFailure(description: "lms-server did not start: \(server.output)")
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func finish() async throws -> (status: Int32, output: String) {
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return (process.terminationStatus, output)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }
}

/// A port nothing listens on right now (the kernel's choice for an ephemeral bind).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw DecodeFailure(description: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw DecodeFailure(description: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

@Suite("Operating lms-server")
struct OperatingTests {
    @Test("--help and a command's --help print usage and touch nothing: no database, no log")
    func helpHasNoSideEffects() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("lms-help-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["HOME": home.path, "XDG_DATA_HOME": home.path + "/data", "DATABASE_URL": "", "LMS_ENV": ""]
        for arguments in [["--help"], ["serve", "--help"], ["migrate", "--help"], ["seed", "--help"]] {
            let result = try await ServerProcess.run(arguments, environment: environment).finish()
            #expect(result.status == 0, "\(arguments): \(result.output)")
            #expect(result.output.contains("Usage"), "\(arguments): \(result.output)")
            #expect(!result.output.contains("\"level\""), "\(arguments) logged: \(result.output)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).isEmpty, "help created files")
    }

    @Test("Production without a key refuses to serve, saying why", arguments: [["serve"], ["migrate", "--yes"]])
    func productionWithoutKey(_ arguments: [String]) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("lms-nokey-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["HOME": home.path, "XDG_DATA_HOME": home.path + "/data", "LMS_ENV": "", "LMS_JWT_SECRET": "", "DATABASE_URL": ""]
        let result = try await ServerProcess.run(arguments, environment: environment).finish()
        #expect(result.status == 2)
        #expect(result.output.contains("LMS_JWT_SECRET is not set"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: home.path + "/data"), "it opened a database before refusing")
    }

    @Test("/metrics counts requests by route, pushed mutations, pulls and outline cache hits", arguments: TestDatabase.all)
    func metrics(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let lesson = try await server.lessonID("Welcome to Swift")
            let push = SyncPushRequest(clientID: UUID(), mutations: [
                SyncMutation(id: UUID(), createdAt: Date(), kind: .progressUpsert(ProgressUpsert(lessonID: lesson, progressSeconds: 900))),
                SyncMutation(id: UUID(), createdAt: Date(), kind: .progressUpsert(ProgressUpsert(lessonID: UUID()))),
            ])
            #expect(try await server.post("/api/v1/sync/push", token: token, body: push).status == .ok)
            _ = try await server.get("/api/v1/sync/changes", token: token)
            for _ in 0..<2 { _ = try await server.get("/api/v1/courses/swift-fundamentals", token: token) }
            let metrics = try await server.get("/metrics")
            #expect(metrics.headers.first(name: .contentType)?.hasPrefix("text/plain") == true)
            let text = metrics.text
            for line in [
                #"lms_sync_push_mutations_total{status="applied"} 1"#, #"lms_sync_push_mutations_total{status="rejected"} 1"#,
                "lms_sync_pull_pages_total 1", #"http_requests_total{method="POST",route="/api/v1/sync/push",status="200"} 1"#,
                #"http_requests_total{method="GET",route="/api/v1/courses/:slug",status="200"} 2"#,
                #"http_request_duration_seconds_count{method="POST",route="/api/v1/sync/push"} 1"#,
            ] {
                #expect(text.contains(line), "missing \(line)")
            }
            if database.isPostgres {
                #expect(text.contains(#"lms_outline_cache_requests_total{result="hit"} 1"#))
                #expect(text.contains(#"lms_db_pool_connections{state="open"}"#))
            }
            #expect(try await server.get("/readyz").status == .ok)
        }
    }
}

@Suite("Login throttle table")
struct LoginThrottleTableTests {
    @Test("Failures are counted per key in the database, and windows that have passed are pruned as failures come", arguments: TestDatabase.all)
    func bounded(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let store = LoginThrottleStore(db: server.sql, limit: 2, window: 60)
            let now = Date()
            let old = now.addingTimeInterval(-3600)
            for index in 0..<150 {
                try await store.recordFailure(store.keys(email: "user\(index)@x.lms", client: "10.0.0.\(index % 250)"), now: old)
            }
            #expect(try await server.count("login_failures") > 150)
            let keys = store.keys(email: "target@x.lms", client: "192.0.2.1")
            #expect(try await store.retryAfter(keys, now: now) == nil)
            try await store.recordFailure(keys, now: now)
            try await store.recordFailure(keys, now: now)
            let wait = try #require(try await store.retryAfter(keys, now: now))
            #expect((1...60).contains(wait))
            // Each failure prunes up to a hundred rows whose window has passed.
            for _ in 0..<3 { try await store.recordFailure(store.keys(email: "later@x.lms", client: "192.0.2.9"), now: now) }
            #expect(try await server.count("login_failures") <= 4)
            // A window that has passed starts again at one.
            #expect(try await store.retryAfter(keys, now: now.addingTimeInterval(61)) == nil)
        }
    }
}
