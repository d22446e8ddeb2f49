import Foundation
import LMSKit
import SQLKit
import LMSTestSupport
import Testing
import Vapor

@testable import LMSServer

/// A real server on a loopback port with the demo data, and a small JSON client for it.
///
///     try await withTestServer(database) { server in
///         let tokens = try await server.login(DemoAccounts.learner)
///         let page = try await server.get("/api/v1/courses", token: tokens.accessToken)
///         #expect(page.status == .ok)
///     }
///
/// Every response with status >= 400 is checked to be the API's error envelope, no response may
/// be a 500, and no password or issued token may appear in the captured log.
final class TestServer: DemoDatabase, Sendable {
    let live: LiveServer
    let app: Application
    private let recorder = ResponseRecorder()

    init(_ live: LiveServer) throws {
        self.live = live
        guard let app = live.app else { throw TestFailure("the server is not running") }
        self.app = app
    }

    var database: TestDatabase { live.database }
    var baseURL: String { live.baseURL }
    var demo: DemoSeeder.Result { live.demo }
    var logs: LogCapture { live.logs }

    var settings: ServerSettings { app.lmsSettings }

    /// The secret this server's Stripe webhook checks signatures with.
    var webhookSecret: String { settings.stripeWebhookSecret ?? "" }

    /// Raw SQL on the server's own database (for PostgreSQL, inside the test's schema).
    var sql: any SQLDatabase { app.db.sql }

    // MARK: HTTP

    func request(
        _ method: HTTPMethod, _ path: String, token: String? = nil, body: (any Encodable & Sendable)? = nil,
        rawBody: Data? = nil, headers extra: HTTPHeaders = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
        var buffer: ByteBuffer?
        if let body {
            buffer = ByteBuffer(data: try LMSJSON.encode(body))
        } else if let rawBody {
            buffer = ByteBuffer(data: rawBody)
        }
        if buffer != nil, !headers.contains(name: .contentType) {
            headers.replaceOrAdd(name: .contentType, value: "application/json")
        }
        let request = ClientRequest(method: method, url: URI(string: baseURL + path), headers: headers, body: buffer, timeout: .seconds(30))
        let response = try await app.client.send(request)
        let result = TestResponse(
            method: method, path: path, status: response.status, headers: response.headers,
            body: response.body.map { Data($0.readableBytesView) } ?? Data())
        recorder.record(result)
        return result
    }

    func get(_ path: String, token: String? = nil, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await request(.GET, path, token: token, headers: headers)
    }

    func post(_ path: String, token: String? = nil, body: (any Encodable & Sendable)? = nil, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await request(.POST, path, token: token, body: body, headers: headers)
    }

    func put(_ path: String, token: String? = nil, body: (any Encodable & Sendable)? = nil) async throws -> TestResponse {
        try await request(.PUT, path, token: token, body: body)
    }

    func patch(_ path: String, token: String? = nil, body: (any Encodable & Sendable)? = nil) async throws -> TestResponse {
        try await request(.PATCH, path, token: token, body: body)
    }

    func delete(_ path: String, token: String? = nil) async throws -> TestResponse {
        try await request(.DELETE, path, token: token)
    }

    // MARK: Signing in

    /// Signs in (the demo password by default) and returns the tokens; fails the test otherwise.
    func login(_ email: String, password: String = DemoAccounts.password, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TokenResponse {
        let response = try await post("/api/v1/auth/login", body: LoginRequest(email: email, password: password))
        try #require(response.status == .ok, "login as \(email): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        return try response.decode(TokenResponse.self)
    }

    /// The access token of a demo account.
    func token(_ email: String) async throws -> String {
        try await login(email).accessToken
    }

    // MARK: Checks run after every test

    fileprivate func verifyAfterTest() {
        for response in recorder.all where response.status.code >= 400 {
            // A deliberate 503 (a feature switched off) is an answer; any other 5xx is a failure.
            if response.status.code >= 500, response.errorCode != "service_unavailable" {
                let serverErrors = logs.text.split(separator: "\n").filter { $0.contains("\"level\":\"error\"") }.joined(separator: "\n")
                Issue.record("\(response.method) \(response.path) answered \(response.status): \(response.text)\nserver log:\n\(serverErrors)")
            }
            // The test checkout's page and its Pay form answer a browser, in HTML.
            let browserPage = response.path.hasPrefix("/checkout/test/") && !response.path.hasSuffix("/complete")
                && response.headers.contentType?.subType == "html"
            if !browserPage, let problem = response.envelopeProblem {
                Issue.record("\(response.method) \(response.path) (\(response.status.code)): \(problem)")
            }
        }
        let logText = logs.text
        var secrets = [DemoAccounts.password]
        for response in recorder.all where response.status == .ok && response.path.hasPrefix("/api/v1/auth/") {
            if let tokens = try? response.decode(TokenResponse.self) { secrets += [tokens.accessToken, tokens.refreshToken] }
        }
        for secret in secrets where logText.contains(secret) {
            Issue.record("The log contains a credential: \(secret.prefix(12))…")
        }
        if logText.contains("$2b$") || logText.contains("$2y$") { Issue.record("The log contains a bcrypt hash") }
        // Tokens come back from sign-in and refresh only; passwords and hashes never.
        let issuedTokens = Set(secrets.dropFirst())
        for response in recorder.all {
            let text = response.text
            if text.contains(DemoAccounts.password) || text.contains("$2b$") || text.contains("password_hash") {
                Issue.record("\(response.method) \(response.path) answered with a password or hash: \(text.prefix(300))")
            }
            let isAuth = response.path == "/api/v1/auth/login" || response.path == "/api/v1/auth/refresh"
            if !isAuth, let leaked = issuedTokens.first(where: { text.contains($0) }) {
                Issue.record("\(response.method) \(response.path) answered with a token: \(leaked.prefix(12))…")
            }
        }
    }
}

/// One HTTP response as the test client saw it.
struct TestResponse: Sendable {
    let method: HTTPMethod
    let path: String
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try LMSJSON.makeDecoder().decode(T.self, from: body)
        } catch {
            throw DecodeFailure(description: "\(method) \(path) (\(status.code)): cannot decode \(T.self): \(error)\nbody: \(text.prefix(2000))")
        }
    }

    /// The body parsed with JSONSerialization, for checks on keys the Swift types would hide.
    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }

    var errorCode: String? { ((json as? [String: Any])?["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { ((json as? [String: Any])?["error"] as? [String: Any])?["message"] as? String }

    /// Why this body is not `{"error": {"code": String, "message": String, "details"?: any}}`, or nil.
    var envelopeProblem: String? {
        guard let object = json as? [String: Any] else { return "the body is not a JSON object: \(text.prefix(300))" }
        guard Set(object.keys) == ["error"], let error = object["error"] as? [String: Any] else {
            return "the body is not an error envelope: \(text.prefix(300))"
        }
        guard error["code"] is String, let message = error["message"] as? String else { return "code or message missing: \(text.prefix(300))" }
        guard Set(error.keys).isSubset(of: ["code", "message", "details"]) else { return "unexpected keys in \(text.prefix(300))" }
        for leak in [".swift", "Fatal error", "DecodingError", "PSQLError", "SQLiteError", "Stack", "0x"] where message.contains(leak) {
            return "the message looks like internals (\(leak)): \(message)"
        }
        return nil
    }
}

struct DecodeFailure: Error, CustomStringConvertible {
    let description: String
}

/// Every response of one test server, for the checks that run after the test.
private final class ResponseRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [TestResponse] = []

    func record(_ response: TestResponse) {
        lock.withLock { responses.append(response) }
    }

    var all: [TestResponse] { lock.withLock { responses } }
}

/// A running server with the demo data on `database` (see `TestServer`).
func withTestServer<T>(
    _ database: TestDatabase, settings adjust: (inout ServerSettings) -> Void = { _ in },
    _ body: (TestServer) async throws -> T
) async throws -> T {
    try await withLiveServer(on: database, logLevel: .info, adjust) { live in
        let server = try TestServer(live)
        defer { server.verifyAfterTest() }
        return try await body(server)
    }
}
