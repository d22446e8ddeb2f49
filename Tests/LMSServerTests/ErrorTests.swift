import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

/// Every error is the JSON envelope (`TestServer` checks each response with status >= 400 and
/// fails on any 500), with the right status and code.
@Suite("Errors")
struct ErrorTests {
    @Test("Malformed JSON is 400 invalid_json; a wrong field type is 422 naming the field", arguments: TestDatabase.all)
    func badBodies(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            for raw in [#"{"email": "#, "not json at all", #"{"email": "a@b.c" "password": "x"}"#, "{'email': 'a@b.c'}", ""] {
                let response = try await server.request(.POST, "/api/v1/auth/login", rawBody: Data(raw.utf8))
                if raw.isEmpty {
                    #expect(response.status == .badRequest, "empty body: \(response.text)")
                } else {
                    expectError(response, .badRequest, "invalid_json")
                }
            }
            expectError(try await server.request(.PUT, "/api/v1/progress", token: token, rawBody: Data("[1,".utf8)), .badRequest, "invalid_json")

            // Well-formed JSON whose number does not fit its field is a value out of range, not broken JSON.
            for number in ["99999999999999999999", "1e30"] {
                let huge = try await server.request(
                    .PUT, "/api/v1/progress", token: token,
                    rawBody: Data(#"{"lesson_id": "\#(UUID())", "progress_seconds": \#(number)}"#.utf8))
                expectError(huge, .unprocessableEntity, "validation_failed", messageContains: "too large")
            }

            let wrongType = try await server.request(.POST, "/api/v1/auth/login", rawBody: Data(#"{"email": 5, "password": "x"}"#.utf8))
            expectError(wrongType, .unprocessableEntity, "validation_failed", messageContains: "email")
            let missing = try await server.request(.POST, "/api/v1/auth/login", rawBody: Data(#"{"email": "a@b.c"}"#.utf8))
            expectError(missing, .unprocessableEntity, "validation_failed", messageContains: "password")
            let seconds = try await server.request(
                .PUT, "/api/v1/progress", token: token,
                rawBody: Data(#"{"lesson_id": "\#(UUID())", "progress_seconds": "ten"}"#.utf8))
            expectError(seconds, .unprocessableEntity, "validation_failed", messageContains: "progress_seconds")
            let badID = try await server.request(.PUT, "/api/v1/progress", token: token, rawBody: Data(#"{"lesson_id": "nope"}"#.utf8))
            expectError(badID, .unprocessableEntity, "validation_failed", messageContains: "lesson_id")
            let badDate = try await server.request(
                .PUT, "/api/v1/progress", token: token,
                rawBody: Data(#"{"lesson_id": "\#(UUID())", "completed": true, "completed_at": "yesterday"}"#.utf8))
            expectError(badDate, .unprocessableEntity, "validation_failed", messageContains: "completed_at")
            let push = try await server.request(.POST, "/api/v1/sync/push", token: token, rawBody: Data(#"{"client_id": "\#(UUID())", "mutations": {}}"#.utf8))
            expectError(push, .unprocessableEntity, "validation_failed", messageContains: "mutations")
        }
    }

    @Test("A body over 1 MB is 413 payload_too_large", arguments: TestDatabase.all)
    func tooLarge(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let padding = String(repeating: "x", count: server.settings.maxBodyBytes + 1024)
            let body = Data(#"{"email": "a@b.c", "password": "\#(padding)"}"#.utf8)
            expectError(try await server.request(.POST, "/api/v1/auth/login", rawBody: body), .payloadTooLarge, "payload_too_large")
            let token = try await server.token(DemoAccounts.learner)
            expectError(try await server.request(.PUT, "/api/v1/progress", token: token, rawBody: body), .payloadTooLarge, "payload_too_large")
            // The server is still fine afterwards.
            #expect(try await server.get("/healthz").status == .ok)
        }
    }

    @Test("Unknown routes and non-UUID ids are 404 envelopes", arguments: TestDatabase.all)
    func notFound(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let admin = try await server.token(DemoAccounts.admin)
            expectError(try await server.get("/api/v1/nope"), .notFound, "not_found")
            expectError(try await server.get("/api/v1/nope", token: token), .notFound, "not_found")
            expectError(try await server.get("/definitely/not/here"), .notFound, "not_found")
            expectError(try await server.delete("/api/v1/courses"), .notFound, "not_found")
            expectError(try await server.get("/api/v1/lessons/123", token: token), .notFound, "not_found")
            expectError(try await server.get("/api/v1/lessons/123/quiz/attempts", token: token), .notFound, "not_found")
            expectError(
                try await server.post("/api/v1/lessons/xyz/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: [])),
                .notFound, "not_found")
            expectError(try await server.patch("/api/v1/admin/users/xyz", token: admin, body: UpdateUserRequest(role: .learner)), .notFound, "not_found")
            expectError(try await server.delete("/api/v1/admin/users/xyz", token: admin), .notFound, "not_found")
            expectError(try await server.delete("/api/v1/admin/groups/xyz", token: admin), .notFound, "not_found")
            expectError(try await server.request(.PUT, "/api/v1/admin/groups/xyz/members/abc", token: admin), .notFound, "not_found")
            expectError(try await server.patch("/api/v1/admin/users/\(UUID())", token: admin, body: UpdateUserRequest(role: .learner)), .notFound, "not_found")
        }
    }

    @Test("The health check answers with the database in use", arguments: TestDatabase.all)
    func health(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let response = try await server.get("/healthz")
            #expect(response.status == .ok)
            let health = try response.decode(HealthResponse.self)
            #expect(health.status == "ok")
            #expect(health.database == (database.isPostgres ? "postgresql" : "sqlite"))
            #expect(response.headers.first(name: "X-Request-ID") != nil)
        }
    }
}
