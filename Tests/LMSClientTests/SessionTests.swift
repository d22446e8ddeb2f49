import Foundation
import LMSTestSupport
import LMSClient
import LMSKit
import Testing

@testable import LMSServer

/// Signing in, keeping the credentials private, and refreshing access tokens (rotating refresh
/// tokens: presenting one twice revokes the whole session, so a double refresh would show).
@Suite("Session and token refresh")
struct SessionTests {
    @Test("login stores the credentials with mode 0600")
    func loginStoresPrivateCredentials() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            var info = stat()
            #expect(stat(home.paths.credentialsFile.path, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600, "credentials mode is \(String(info.st_mode & 0o777, radix: 8))")
            let stored = try #require(try CredentialStore(paths: home.paths).load())
            #expect(stored.userID == server.learnerID)
            #expect(stored.email == DemoAccounts.learner)
            #expect(stored.server == server.baseURL)
            #expect(try await session.api.me().user.id == server.learnerID)
            // One session on the server, and nothing else written.
            #expect(try await liveRefreshTokens(server) == 1)
        }
    }

    @Test("an expired access token is refreshed transparently and the new refresh token is saved")
    func refreshAfterExpiry() async throws {
        try await withLiveServer({ $0.accessTokenLifetime = 1 }) { server in
            let home = try TestHome()
            let session = try await home.login(server)
            let first = session.credentials
            try await Task.sleep(for: .milliseconds(1200))

            // The client believes its token is still good for an hour: the server says 401, the
            // client refreshes once and replays the request.
            var optimistic = first
            optimistic.accessExpiresAt = Date().addingTimeInterval(3600)
            let api = APIClient(server: server.baseURL, credentials: optimistic, credentialStore: CredentialStore(paths: home.paths))
            #expect(try await api.me().user.email == DemoAccounts.learner)
            let refreshed = try #require(await api.credentials)
            #expect(refreshed.refreshToken != first.refreshToken)
            #expect(refreshed.accessToken != first.accessToken)
            #expect(try CredentialStore(paths: home.paths).load()?.refreshToken == refreshed.refreshToken)

            // The session's own client knows the token is short-lived and refreshes before using it.
            try await Task.sleep(for: .milliseconds(1200))
            let again = APIClient(server: server.baseURL, credentials: refreshed, credentialStore: CredentialStore(paths: home.paths))
            #expect(try await again.badges().count == 6)
            let saved = try #require(try CredentialStore(paths: home.paths).load())
            #expect(saved.refreshToken != refreshed.refreshToken)
            #expect(saved.refreshToken == (await again.credentials)?.refreshToken)

            // The chain is intact: exactly one refresh token still usable, and it is the saved one.
            #expect(try await liveRefreshTokens(server) == 1)
            #expect(try await server.count("refresh_tokens", where: "user_id = \(bind: server.learnerID)") == 3)
        }
    }

    @Test("concurrent calls with an expired token share one refresh")
    func concurrentCallsRefreshOnce() async throws {
        try await withLiveServer({ $0.accessTokenLifetime = 1 }) { server in
            let home = try TestHome()
            let session = try await home.login(server)
            try await Task.sleep(for: .milliseconds(1200))
            var optimistic = session.credentials
            optimistic.accessExpiresAt = Date().addingTimeInterval(3600)
            let api = APIClient(server: server.baseURL, credentials: optimistic, credentialStore: CredentialStore(paths: home.paths))
            let before = try await server.count("refresh_tokens", where: "user_id = \(bind: server.learnerID)")

            try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<12 { group.addTask { try await api.me().user.id } }
                for try await id in group { #expect(id == server.learnerID) }
            }
            // Exactly one refresh: one new token, the family alive.
            #expect(try await server.count("refresh_tokens", where: "user_id = \(bind: server.learnerID)") == before + 1)
            #expect(try await liveRefreshTokens(server) == 1)
            #expect(try CredentialStore(paths: home.paths).load()?.refreshToken == (await api.credentials)?.refreshToken)
        }
    }

    /// Callers arriving while earlier ones are still coming back from a refresh must neither
    /// reuse a refresh token nor put back an older session.
    @Test("waves of callers across many refreshes never reuse a refresh token")
    func refreshWavesKeepTheFamilyAlive() async throws {
        try await withLiveServer({ $0.accessTokenLifetime = 1 }) { server in
            let home = try TestHome()
            let session = try await home.login(server)
            let api = session.api
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(index * 10 + Int.random(in: 0...10)))
                        _ = try await api.me()
                    }
                }
                try await group.waitForAll()
            }
            // The session still works afterwards, and what is saved is what is in use.
            #expect(try await api.me().user.id == server.learnerID)
            #expect(try await liveRefreshTokens(server) == 1)
            #expect(try CredentialStore(paths: home.paths).load()?.refreshToken == (await api.credentials)?.refreshToken)
        }
    }

    @Test("wrong password: unauthorized, nothing saved")
    func wrongPassword() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let api = APIClient(server: server.baseURL, credentials: nil, credentialStore: CredentialStore(paths: home.paths))
            await #expect(throws: ClientError.unauthorized("Wrong email or password")) {
                try await api.login(email: DemoAccounts.learner, password: "not-the-password")
            }
            #expect(!FileManager.default.fileExists(atPath: home.paths.credentialsFile.path))
            #expect(throws: ClientError.notSignedIn) { try ClientSession.open(paths: home.paths) }
        }
    }

    @Test("logout revokes the session on the server and forgets it locally")
    func logoutRevokes() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            #expect(await session.api.logout() == nil)
            #expect(!FileManager.default.fileExists(atPath: home.paths.credentialsFile.path))
            #expect(try await liveRefreshTokens(server) == 0)
            // The forgotten refresh token no longer works.
            var stale = session.credentials
            stale.accessExpiresAt = .distantPast
            let api = APIClient(server: server.baseURL, credentials: stale)
            await #expect(throws: ClientError.unauthorized("The refresh token was already used; sign in again")) { try await api.me() }
        }
    }
}

/// Refresh tokens of the demo learner that may still be used.
func liveRefreshTokens(_ server: LiveServer) async throws -> Int {
    try await server.count("refresh_tokens", where: "user_id = \(bind: server.learnerID) AND revoked_at IS NULL")
}
