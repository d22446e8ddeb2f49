import Crypto
import Foundation
import LMSKit
import SQLKit
import LMSTestSupport
import Testing
import Vapor

@testable import LMSServer

// Small conveniences shared by the API tests: finding demo records, creating users and tenants,
// signing Stripe webhooks, and looking into raw JSON.

extension TestServer {
    // MARK: Demo records

    /// On PostgreSQL the feed serves a change once every transaction older than its writer has
    /// ended, anywhere on the server, other tests' included; this waits (thirty seconds at most:
    /// another test may be writing 200,000 rows in one transaction on a busy machine) until
    /// every change of this test's schema is served.
    func waitForSettledFeed() async throws {
        guard database.isPostgres else { return }
        for _ in 0..<600 {
            let row = try await sql.raw("""
                SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint > COALESCE((SELECT MAX(xid) FROM sync_changes), 0) AS settled
                """).first()
            if try row?.decode(column: "settled", as: Bool.self) == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the sync feed did not settle within thirty seconds: a transaction stays open")
    }

    // MARK: Learning shortcuts

    /// Marks lessons completed through the API, in order.
    func complete(_ lessonIDs: [UUID], token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for id in lessonIDs {
            let response = try await put("/api/v1/progress", token: token, body: ProgressUpsert(lessonID: id, progressSeconds: 10, completed: true))
            try #require(response.status == .ok, "completing \(id): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        }
    }

    /// Completes the Swift Fundamentals lessons before its quiz.
    func unlockSwiftQuiz(token: String) async throws -> UUID {
        try await complete(
            [try await lessonID("Welcome to Swift"), try await lessonID("Installing the toolchain"), try await lessonID("Hello, world"),
             try await lessonID("Constants and variables"), try await lessonID("Optionals explained")],
            token: token)
        return try await lessonID("Check your understanding")
    }

    /// The right answers to a quiz, read from the instructor outline (the only place keys leave the server).
    func correctAnswers(quiz lessonID: UUID) async throws -> [QuizAnswer] {
        let row = try await sql.raw("""
            SELECT c.slug FROM courses c JOIN chapters ch ON ch.course_id = c.id JOIN lessons l ON l.chapter_id = ch.id WHERE l.id = \(bind: lessonID)
            """).first()
        let slug = try #require(try row?.decode(column: "slug", as: String.self))
        let outline = try await get("/api/v1/instructor/courses/\(slug)/outline", token: try await token(DemoAccounts.instructor))
        let lesson = try #require(try outline.decode(InstructorOutline.self).chapters.flatMap(\.lessons).first { $0.lesson.id == lessonID })
        return lesson.questions.map { question in
            question.type == .shortAnswer
                ? QuizAnswer(questionID: question.id, text: question.options.first?.text)
                : QuizAnswer(questionID: question.id, selectedOptionIDs: question.options.filter(\.isCorrect).map(\.id))
        }
    }

    // MARK: People

    /// Creates a user in the demo tenant through the admin API and returns it.
    func createUser(
        _ email: String, role: UserRole = .learner, password: String = DemoAccounts.password,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> User {
        let admin = try await token(DemoAccounts.admin)
        let response = try await post(
            "/api/v1/admin/users", token: admin,
            body: CreateUserRequest(email: email, password: password, firstName: "Test", lastName: "User", role: role))
        try #require(response.status == .created, "creating \(email): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        return try response.decode(User.self)
    }

    /// A second tenant with one admin, written with SQL (there is no API for tenants).
    func createTenant(slug: String, adminEmail: String) async throws -> (tenantID: UUID, adminID: UUID) {
        let tenantID = UUID(), adminID = UUID(), now = Date()
        let hash = try await app.password.async.hash(DemoAccounts.password)
        let writer = BulkWriter(db: sql)
        try await writer.insert(
            into: "tenants",
            columns: ["id", "name", "slug", "status", "isolation_strategy", "seats_purchased", "seats_used", "subscription_status",
                      "settings", "created_at", "updated_at"],
            rows: [[.uuid(tenantID), .text("Other Org \(slug)"), .text(slug), .text("active"), .text("SHARED"), .int(10), .int(1),
                    .text("active"), .json("{}"), .date(now), .date(now)]])
        try await writer.insert(
            into: "users",
            columns: ["id", "email", "password_hash", "first_name", "last_name", "role", "status", "tenant_id", "created_at", "updated_at"],
            rows: [[.uuid(adminID), .text(adminEmail), .text(hash), .text("Other"), .text("Admin"), .text("admin"), .text("active"),
                    .uuid(tenantID), .date(now), .date(now)]])
        return (tenantID, adminID)
    }

    /// An administrator of the whole platform (no tenant), written with SQL (there is no API for it).
    func createPlatformAdmin(_ email: String) async throws -> UUID {
        let id = UUID(), now = Date()
        let hash = try await app.password.async.hash(DemoAccounts.password)
        try await sql.raw("""
            INSERT INTO users (id, email, password_hash, first_name, last_name, role, status, created_at, updated_at)
            VALUES (\(bind: id), \(bind: email), \(bind: hash), 'Platform', 'Admin', 'admin', 'active', \(bind: now), \(bind: now))
            """).run()
        return id
    }

    /// The demo tenant's group "Cohort 2026".
    func demoGroupID() async throws -> UUID {
        let row = try await sql.raw("SELECT id FROM groups WHERE name = 'Cohort 2026'").first()
        return try #require(try row?.decode(column: "id", as: UUID.self))
    }

    // MARK: Stripe

    /// Posts `payload` to the webhook with a `Stripe-Signature` made the way Stripe makes it.
    func postWebhook(_ payload: Data, signature: WebhookSignature = .valid()) async throws -> TestResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        switch signature {
        case .valid(let timestamp, let secret):
            headers.add(
                name: "Stripe-Signature",
                value: StripeTestSigner.header(
                    secret: secret ?? webhookSecret, timestamp: timestamp ?? Int(Date().timeIntervalSince1970), payload: payload))
        case .header(let value): headers.add(name: "Stripe-Signature", value: value)
        case .missing: break
        }
        return try await request(.POST, "/api/v1/webhooks/stripe", rawBody: payload, headers: headers)
    }
}

enum WebhookSignature {
    /// Signed with `secret` (the server's by default) at `timestamp` (now by default).
    case valid(timestamp: Int? = nil, secret: String? = nil)
    case header(String)
    case missing
}

enum StripeTestSigner {
    /// `t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`, computed here independently of the server.
    static func header(secret: String, timestamp: Int, payload: Data) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func checkoutCompleted(session: String, eventID: String = "evt_test_\(UUID().uuidString.prefix(8))") -> Data {
        Data("""
            {"id":"\(eventID)","object":"event","type":"checkout.session.completed","livemode":false,
             "data":{"object":{"id":"\(session)","object":"checkout.session","payment_intent":"pi_test_123","payment_status":"paid"}}}
            """.utf8)
    }
}

// MARK: JSON inspection

/// Every object key anywhere in a JSON value.
func allKeys(in json: Any?) -> Set<String> {
    switch json {
    case let object as [String: Any]:
        return object.reduce(into: Set(object.keys)) { keys, entry in keys.formUnion(allKeys(in: entry.value)) }
    case let array as [Any]:
        return array.reduce(into: Set<String>()) { keys, item in keys.formUnion(allKeys(in: item)) }
    default:
        return []
    }
}

/// Compares UUIDs as the API says: case-insensitively.
func sameID(_ a: String?, _ b: UUID) -> Bool {
    a?.lowercased() == b.uuidString.lowercased()
}

func expectError(
    _ response: TestResponse, _ status: HTTPResponseStatus, _ code: String, messageContains: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.method) \(response.path): expected \(status.code), got \(response.status.code) \(response.text)", sourceLocation: sourceLocation)
    #expect(response.errorCode == code, "\(response.method) \(response.path): expected code \(code) in \(response.text)", sourceLocation: sourceLocation)
    if let messageContains {
        #expect(response.errorMessage?.contains(messageContains) == true, "message of \(response.text) lacks '\(messageContains)'", sourceLocation: sourceLocation)
    }
}

/// Percent-encodes a query value (including `&`, `=`, `+`, `%`, `'`).
func query(_ value: String) -> String {
    let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
}
