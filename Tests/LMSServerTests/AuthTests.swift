import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Authentication")
struct AuthTests {
    @Test("Login returns tokens and the user, without any secret", arguments: TestDatabase.all)
    func loginSucceeds(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let response = try await server.post("/api/v1/auth/login", body: LoginRequest(email: DemoAccounts.learner, password: DemoAccounts.password))
            #expect(response.status == .ok)
            let tokens = try response.decode(TokenResponse.self)
            #expect(tokens.tokenType == "Bearer")
            #expect(!tokens.accessToken.isEmpty && !tokens.refreshToken.isEmpty)
            #expect(tokens.expiresIn == Int(server.settings.accessTokenLifetime))
            #expect(tokens.user.email == DemoAccounts.learner)
            #expect(tokens.user.id == server.demo.learnerID)
            #expect(tokens.user.role == .learner)
            #expect(tokens.user.lastLoginAt != nil)
            let keys = allKeys(in: response.json)
            #expect(!keys.contains("password") && !keys.contains("password_hash"))
            #expect(!response.text.contains("$2b$") && !response.text.contains(DemoAccounts.password))

            // Emails compare without case; the token works on /me.
            let upper = try await server.login(DemoAccounts.learner.uppercased())
            let me = try await server.get("/api/v1/me", token: upper.accessToken)
            #expect(me.status == .ok)
            let body = try me.decode(MeResponse.self)
            #expect(body.user.id == server.demo.learnerID)
            #expect(body.tenant?.id == server.demo.tenantID)
            #expect(body.groups.map(\.name) == ["Cohort 2026"])
            #expect(!allKeys(in: me.json).contains("password_hash") && !allKeys(in: me.json).contains("connection_string"))
        }
    }

    @Test("Wrong password and unknown email are the same 401", arguments: TestDatabase.all)
    func wrongCredentials(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let wrong = try await server.post("/api/v1/auth/login", body: LoginRequest(email: DemoAccounts.learner, password: "not-the-password"))
            expectError(wrong, .unauthorized, "invalid_credentials")
            let unknown = try await server.post("/api/v1/auth/login", body: LoginRequest(email: "nobody@demo.lms", password: DemoAccounts.password))
            expectError(unknown, .unauthorized, "invalid_credentials")
            #expect(wrong.errorMessage == unknown.errorMessage)
            #expect(!wrong.text.contains("not-the-password"))
        }
    }

    @Test("Pending, suspended and deleted users cannot sign in", arguments: TestDatabase.all)
    func inactiveAccounts(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let admin = try await server.token(DemoAccounts.admin)
            let pending = try await server.createUser("pending@demo.lms")
            let suspended = try await server.createUser("suspended@demo.lms")
            let deleted = try await server.createUser("deleted@demo.lms")
            // An active user's refresh token stops working once suspended.
            let before = try await server.login("suspended@demo.lms")

            for (user, status) in [(pending, UserStatus.pending), (suspended, .suspended)] {
                let patched = try await server.patch("/api/v1/admin/users/\(user.id)", token: admin, body: UpdateUserRequest(status: status))
                #expect(patched.status == .ok)
                #expect(try patched.decode(User.self).status == status)
            }
            #expect(try await server.delete("/api/v1/admin/users/\(deleted.id)", token: admin).status == .noContent)

            let pendingLogin = try await server.post("/api/v1/auth/login", body: LoginRequest(email: "pending@demo.lms", password: DemoAccounts.password))
            expectError(pendingLogin, .forbidden, "account_inactive")
            let suspendedLogin = try await server.post("/api/v1/auth/login", body: LoginRequest(email: "suspended@demo.lms", password: DemoAccounts.password))
            expectError(suspendedLogin, .forbidden, "account_inactive")
            // A deleted user is simply unknown.
            let deletedLogin = try await server.post("/api/v1/auth/login", body: LoginRequest(email: "deleted@demo.lms", password: DemoAccounts.password))
            expectError(deletedLogin, .unauthorized, "invalid_credentials")

            let refresh = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: before.refreshToken))
            expectError(refresh, .forbidden, "account_inactive")
        }
    }

    @Test("The sixth failed login from one client is rate limited", arguments: TestDatabase.all)
    func loginThrottle(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let limit = server.settings.loginAttempts
            #expect(limit == 5)
            for attempt in 1...limit {
                let response = try await server.post("/api/v1/auth/login", body: LoginRequest(email: DemoAccounts.learner, password: "wrong-\(attempt)"))
                expectError(response, .unauthorized, "invalid_credentials")
            }
            let blocked = try await server.post("/api/v1/auth/login", body: LoginRequest(email: DemoAccounts.learner, password: DemoAccounts.password))
            expectError(blocked, .tooManyRequests, "rate_limited")
            let retryAfter = try #require(blocked.headers.first(name: "Retry-After").flatMap(Int.init), "no Retry-After in \(blocked.headers)")
            #expect(retryAfter > 0 && retryAfter <= Int(server.settings.loginWindow))
        }
    }

    @Test("Refresh tokens rotate and reuse revokes the whole family", arguments: TestDatabase.all)
    func refreshRotation(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let first = try await server.login(DemoAccounts.learner)
            let second = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: first.refreshToken))
            #expect(second.status == .ok)
            let secondTokens = try second.decode(TokenResponse.self)
            #expect(secondTokens.refreshToken != first.refreshToken)
            #expect(secondTokens.user.id == server.demo.learnerID)
            #expect(try await server.get("/api/v1/me", token: secondTokens.accessToken).status == .ok)

            // The new token works and rotates again.
            let third = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: secondTokens.refreshToken))
            #expect(third.status == .ok)
            let thirdTokens = try third.decode(TokenResponse.self)

            // The old one is refused, and presenting it revokes the family: the newest dies too.
            let reused = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: first.refreshToken))
            expectError(reused, .unauthorized, "unauthorized")
            let newest = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: thirdTokens.refreshToken))
            expectError(newest, .unauthorized, "unauthorized")

            // Another session (another family) is unaffected.
            let other = try await server.login(DemoAccounts.learner)
            #expect(try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: other.refreshToken)).status == .ok)

            let garbage = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: "not-a-token"))
            expectError(garbage, .unauthorized, "unauthorized")
        }
    }

    @Test("Logout revokes the refresh token", arguments: TestDatabase.all)
    func logout(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let tokens = try await server.login(DemoAccounts.learner)
            let out = try await server.post("/api/v1/auth/logout", body: RefreshRequest(refreshToken: tokens.refreshToken))
            #expect(out.status == .noContent)
            let refresh = try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: tokens.refreshToken))
            expectError(refresh, .unauthorized, "unauthorized")
            // Idempotent.
            #expect(try await server.post("/api/v1/auth/logout", body: RefreshRequest(refreshToken: tokens.refreshToken)).status == .noContent)
            #expect(try await server.post("/api/v1/auth/logout", body: RefreshRequest(refreshToken: "unknown")).status == .noContent)
        }
    }

    @Test("An expired access token is 401 token_expired", arguments: TestDatabase.all)
    func expiredAccessToken(_ database: TestDatabase) async throws {
        try await withTestServer(database, settings: { $0.accessTokenLifetime = 1 }) { server in
            let tokens = try await server.login(DemoAccounts.learner)
            #expect(tokens.expiresIn == 1)
            try await Task.sleep(for: .milliseconds(2100))
            let response = try await server.get("/api/v1/me", token: tokens.accessToken)
            expectError(response, .unauthorized, "token_expired")
            // The refresh token still gets a fresh pair.
            #expect(try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: tokens.refreshToken)).status == .ok)
        }
    }

    @Test("Missing, garbage and forged bearer tokens are 401", arguments: TestDatabase.all)
    func badBearerTokens(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            expectError(try await server.get("/api/v1/me"), .unauthorized, "unauthorized")
            expectError(try await server.get("/api/v1/me", token: "garbage"), .unauthorized, "unauthorized")
            expectError(try await server.get("/api/v1/me", headers: ["Authorization": "Basic Zm9vOmJhcg=="]), .unauthorized, "unauthorized")
            // A well-formed token signed with another key under the server's key id.
            let tokens = try await server.login(DemoAccounts.learner)
            let keyID = try #require(server.settings.signingKey?.id)
            let other = await TokenService(
                signingKey: TokenSigningKey(id: keyID, secret: String(repeating: "another-secret-", count: 4)), previousKey: nil)
            let forged = try await other.accessToken(for: tokens.user, lifetime: 600)
            expectError(try await server.get("/api/v1/me", token: forged), .unauthorized, "unauthorized")
            // The payload altered (role raised to admin) with the original signature.
            var parts = tokens.accessToken.split(separator: ".").map(String.init)
            try #require(parts.count == 3)
            let payload = try #require(Data(base64URL: parts[1]))
            let raised = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\"learner\"", with: "\"admin\"")
            parts[1] = Data(raised.utf8).base64URLEncoded
            expectError(try await server.get("/api/v1/admin/users", token: parts.joined(separator: ".")), .unauthorized, "unauthorized")
        }
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }

    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
