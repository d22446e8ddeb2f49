import Foundation
import LMSClient
import LMSKit
import LMSServer

/// One device: its own HOME and XDG folders under a temporary folder, removed at deinit.
package final class TestHome: Sendable {
    package let root: URL

    package init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lms-tests-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    package var environment: [String: String] {
        [
            "HOME": root.path,
            "XDG_CONFIG_HOME": root.appendingPathComponent("config").path,
            "XDG_DATA_HOME": root.appendingPathComponent("data").path,
        ]
    }

    package var paths: Paths { Paths(environment: environment) }

    /// Signs in through `APIClient.login` (which saves the credentials) and opens the session.
    @discardableResult
    package func login(_ server: LiveServer, as email: String = DemoAccounts.learner) async throws -> ClientSession {
        try await login(url: server.baseURL, as: email)
    }

    /// Signs in at `url`: the server itself, or something in front of it (a `FlakyProxy`).
    @discardableResult
    package func login(url: String, as email: String = DemoAccounts.learner) async throws -> ClientSession {
        let api = APIClient(server: url, credentials: nil, credentialStore: CredentialStore(paths: paths))
        _ = try await api.login(email: email, password: DemoAccounts.password)
        return try ClientSession.open(paths: paths)
    }

    package func session() throws -> ClientSession { try ClientSession.open(paths: paths) }
}
