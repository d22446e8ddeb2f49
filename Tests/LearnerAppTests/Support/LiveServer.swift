import Foundation
import LMSClient
import LMSKit
import SQLKit
import Testing
import Vapor

@testable import LMSServer

/// The real lms-server in this process, on a loopback port, over a temporary SQLite file seeded
/// with the demo data. It can stop and start again on the same port and database, to play a
/// server that goes away and comes back.
final class LiveServer: @unchecked Sendable {
    // @unchecked: `app` and `port` change only in start/stop, which a test calls in sequence.
    private(set) var app: Application?
    private(set) var port = 0
    let settings: ServerSettings
    let directory: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(settings: ServerSettings, directory: URL) {
        self.settings = settings
        self.directory = directory
    }

    static func start() async throws -> LiveServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("learner-app-tests-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var settings = ServerSettings(mode: .development, database: .sqlite(path: directory.appendingPathComponent("lms.sqlite").path), autoMigrate: true, logLevel: .warning)
        settings.bcryptCost = 4
        // Fixed for the server's life: a restart keeps access tokens valid.
        settings.signingKey = TokenSigningKey(id: "test", secret: ServerSettings.randomSecret())
        let server = LiveServer(settings: settings, directory: directory)
        try await server.boot(seed: true)
        return server
    }

    private func boot(seed: Bool) async throws {
        let app = try await Application.make(.testing)
        app.logger = Logger(label: "lms.learner-app-tests.server") { _ in SwiftLogNoOpLogHandler() }
        do {
            try await configure(app, settings: settings)
            try await app.prepareDatabase(migrate: settings.autoMigrate)
            if seed {
                let hash = try await app.password.async.hash(DemoAccounts.password)
                _ = try await app.db.transaction { db in
                    try await DemoSeeder(db: db as! any SQLDatabase, passwordHash: hash, now: Date()).seed()
                }
            }
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            guard let bound = app.http.server.shared.localAddress?.port else { throw TestFailure("the server did not report its port") }
            port = bound
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
        self.app = app
    }

    /// Stops answering: connections are refused until `restart()`.
    func stop() async {
        guard let app else { return }
        self.app = nil
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    /// Starts again on the same port and database, with the same signing key.
    func restart() async throws {
        precondition(app == nil, "stop() the server before restarting it")
        try await boot(seed: false)
    }

    func shutdown() async {
        await stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh server and always shuts it down.
func withLiveServer<T>(_ body: (LiveServer) async throws -> T) async throws -> T {
    let server = try await LiveServer.start()
    let result: Result<T, any Error>
    do {
        result = .success(try await body(server))
    } catch {
        result = .failure(error)
    }
    await server.shutdown()
    return try result.get()
}

/// A device of the demo learner, signed in to `server`, with its own temporary HOME.
final class LiveHome: Sendable {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("learner-app-tests-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var environment: [String: String] {
        ["HOME": root.path, "XDG_CONFIG_HOME": root.appendingPathComponent("config").path, "XDG_DATA_HOME": root.appendingPathComponent("data").path]
    }

    var paths: Paths { Paths(environment: environment) }

    func login(_ server: LiveServer, as email: String = DemoAccounts.learner) async throws -> ClientSession {
        let api = APIClient(server: server.baseURL, credentials: nil, credentialStore: CredentialStore(paths: paths))
        _ = try await api.login(email: email, password: DemoAccounts.password)
        return try ClientSession.open(paths: paths)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
