import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

/// The JSON the running server really sends, checked against `docs/openapi.yaml` by
/// `scripts/contract/check_contract.py` (one `<Schema>.json` sample per response schema).
@Suite("API contract of the running server")
struct ServerContractTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("Real responses validate against docs/openapi.yaml", arguments: TestDatabase.all)
    func responsesMatchTheSpec(_ database: TestDatabase) async throws {
        let samples = try await withTestServer(database) { server in try await Self.collectSamples(server) }
        let expected: Set<String> = [
            "TokenResponse", "MeResponse", "CatalogPage", "CourseOutlineResponse", "LessonContent", "ProgressUpsertResponse",
            "ProgressList", "QuizAttemptResponse", "QuizResultList", "PurchaseList", "CheckoutResponse", "BadgeList",
            "EarnedBadgeList", "SyncChangesPage", "SyncPushResponse", "InstructorOutline", "HealthResponse", "ErrorEnvelope",
            "WebhookAck", "User", "UserList", "Group", "GroupList", "Tenant",
        ]
        #expect(Set(samples.keys) == expected)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lms-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, body) in samples {
            try body.write(to: dir.appendingPathComponent("\(name).json"))
        }
        let (status, output) = try Self.runChecker([Self.repoRoot.appendingPathComponent("docs/openapi.yaml").path, dir.path])
        #expect(status == 0, "check_contract.py failed:\n\(output)")
        #expect(output.contains("contract: \(samples.count) passed, 0 failed"), "\(output)")
    }

    /// One real response body per schema, chosen so optional parts are filled in.
    static func collectSamples(_ server: TestServer) async throws -> [String: Data] {
        var samples: [String: Data] = [:]
        func keep(_ name: String, _ response: TestResponse, _ status: HTTPResponseStatus = .ok, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try #require(response.status == status, "\(name): \(response.method) \(response.path) answered \(response.status) \(response.text)", sourceLocation: sourceLocation)
            samples[name] = response.body
        }

        try keep("HealthResponse", try await server.get("/healthz"))
        let login = try await server.post("/api/v1/auth/login", body: LoginRequest(email: DemoAccounts.learner, password: DemoAccounts.password))
        try keep("TokenResponse", login)
        let token = try login.decode(TokenResponse.self).accessToken
        try keep("MeResponse", try await server.get("/api/v1/me", token: token))
        try keep("CatalogPage", try await server.get("/api/v1/courses?limit=2", token: token))
        try keep("CourseOutlineResponse", try await server.get("/api/v1/courses/swift-fundamentals", token: token))

        let lessons = [
            try await server.lessonID("Installing the toolchain"), try await server.lessonID("Hello, world"),
            try await server.lessonID("Constants and variables"),
        ]
        try await server.complete(lessons, token: token)
        try keep(
            "ProgressUpsertResponse",
            try await server.put(
                "/api/v1/progress", token: token,
                body: ProgressUpsert(lessonID: try await server.lessonID("Optionals explained"), progressSeconds: 90, completed: true, completedAt: Date())))
        try keep("ProgressList", try await server.get("/api/v1/progress", token: token))

        let quiz = try await server.lessonID("Check your understanding")
        try keep("LessonContent", try await server.get("/api/v1/lessons/\(quiz)", token: token))
        let answers = try await server.correctAnswers(quiz: quiz)
        try keep(
            "QuizAttemptResponse",
            try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: answers)),
            .created)
        try keep("QuizResultList", try await server.get("/api/v1/lessons/\(quiz)/quiz/attempts", token: token))

        let checkout = try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: try await server.courseID("databases-in-depth")))
        try keep("CheckoutResponse", checkout, .created)
        let session = try #require(try checkout.decode(CheckoutResponse.self).purchase.stripeCheckoutSessionID)
        try keep("WebhookAck", try await server.postWebhook(StripeTestSigner.checkoutCompleted(session: session)))
        try keep("PurchaseList", try await server.get("/api/v1/purchases", token: token))
        try keep("BadgeList", try await server.get("/api/v1/badges", token: token))
        try keep("EarnedBadgeList", try await server.get("/api/v1/me/badges", token: token))

        // A push with an applied, a rejected and an awarding mutation.
        let push = SyncPushRequest(clientID: UUID(), mutations: [
            SyncTests.progressMutation(try await server.lessonID("Indexes")),
            SyncTests.progressMutation(try await server.lessonID("Why relational?")),
            SyncMutation(id: UUID(), createdAt: Date(), kind: .quizSubmit(lessonID: quiz, QuizSubmission(clientAttemptID: UUID(), answers: answers))),
        ])
        try keep("SyncPushResponse", try await server.post("/api/v1/sync/push", token: token, body: push))
        // The whole feed in one page: every entity kind, with tombstones for the draft course.
        try keep("SyncChangesPage", try await server.get("/api/v1/sync/changes?limit=5000", token: token))

        try keep(
            "InstructorOutline",
            try await server.get("/api/v1/instructor/courses/swift-fundamentals/outline", token: try await server.token(DemoAccounts.instructor)))
        let admin = try await server.token(DemoAccounts.admin)
        try keep(
            "User",
            try await server.post(
                "/api/v1/admin/users", token: admin,
                body: CreateUserRequest(email: "new@demo.lms", password: "long-enough", firstName: "New", lastName: "User", role: .instructor)),
            .created)
        try keep("UserList", try await server.get("/api/v1/admin/users", token: admin))
        try keep("Group", try await server.post("/api/v1/admin/groups", token: admin, body: CreateGroupRequest(name: "Evening class", description: "Tuesdays")), .created)
        try keep("GroupList", try await server.get("/api/v1/admin/groups", token: admin))
        try keep("Tenant", try await server.get("/api/v1/admin/tenant", token: admin))
        // "Indexes" needs "Keys and constraints" first: 403 lesson_locked.
        try keep("ErrorEnvelope", try await server.get("/api/v1/lessons/\(try await server.lessonID("Indexes"))", token: token), .forbidden)
        return samples
    }

    static func runChecker(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repoRoot.appendingPathComponent("scripts/contract/check_contract.py").path] + arguments
        process.currentDirectoryURL = repoRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
