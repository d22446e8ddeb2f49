import Foundation
import LMSKit
import LMSServer
import SQLKit
import Vapor

/// The real lms-server in this process, on a loopback port, over a fresh database (SQLite unless
/// told otherwise) seeded with the demo data. It can stop and start again on the same port and
/// database, to play a server that goes away and comes back.
///
///     try await withLiveServer { server in
///         let home = try TestHome()
///         let session = try await home.login(server)
///     }
package final class LiveServer: @unchecked Sendable {
    // @unchecked: `app` and `port` change only in start/stop, which a test calls in sequence.
    package private(set) var app: Application?
    package private(set) var port = 0
    package let demo: DemoSeeder.Result
    package let settings: ServerSettings
    package let database: TestDatabase
    package let logs: LogCapture
    private let cleanup: @Sendable () async throws -> Void

    package var baseURL: String { "http://127.0.0.1:\(port)" }
    package var learnerID: UUID { demo.learnerID }

    private init(
        app: Application, port: Int, demo: DemoSeeder.Result, settings: ServerSettings, database: TestDatabase, logs: LogCapture,
        cleanup: @escaping @Sendable () async throws -> Void
    ) {
        self.app = app
        self.port = port
        self.demo = demo
        self.settings = settings
        self.database = database
        self.logs = logs
        self.cleanup = cleanup
    }

    /// A new server with the demo data; `adjust` changes the settings first. Call `shutdown()`.
    package static func start(
        on database: TestDatabase = .sqlite, logLevel: Logger.Level = .warning, _ adjust: (inout ServerSettings) -> Void = { _ in }
    ) async throws -> LiveServer {
        var (settings, cleanup) = try await TestApplication.settings(for: database, logLevel: logLevel)
        adjust(&settings)
        let logs = LogCapture()
        do {
            let app = try await TestApplication.make(settings, logs: logs)
            do {
                let hash = try await app.password.async.hash(DemoAccounts.password)
                let demo = try await app.db.transaction { db in
                    try await DemoSeeder(db: db as! any SQLDatabase, passwordHash: hash, now: Date()).seed()
                }
                let port = try await listen(app, port: 0)
                return LiveServer(app: app, port: port, demo: demo, settings: settings, database: database, logs: logs, cleanup: cleanup)
            } catch {
                await app.server.shutdown()
                try? await app.asyncShutdown()
                throw error
            }
        } catch {
            try? await cleanup()
            throw error
        }
    }

    private static func listen(_ app: Application, port: Int) async throws -> Int {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
        guard let bound = app.http.server.shared.localAddress?.port else { throw TestFailure("the server did not report its port") }
        return bound
    }

    /// Stops answering: connections to the port are refused until `restart()`.
    package func stop() async {
        guard let app else { return }
        self.app = nil
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    /// Starts again on the same port and database (same signing key: access tokens stay valid).
    package func restart() async throws {
        precondition(app == nil, "stop() the server before restarting it")
        let app = try await TestApplication.make(settings, logs: logs)
        do {
            _ = try await Self.listen(app, port: port)
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
        self.app = app
    }

    /// Stops for good and removes the database.
    package func shutdown() async {
        await stop()
        try? await cleanup()
    }

    /// Raw SQL on the server's own database (for PostgreSQL, inside the test's schema).
    package var sql: any SQLDatabase {
        get throws {
            guard let app else { throw TestFailure("the server is stopped") }
            return app.db.sql
        }
    }
}

/// Runs `body` with a fresh server and always shuts it down; at most `ServerSlots` at once.
package func withLiveServer<T>(
    on database: TestDatabase = .sqlite, logLevel: Logger.Level = .warning, _ adjust: (inout ServerSettings) -> Void = { _ in },
    _ body: (LiveServer) async throws -> T
) async throws -> T {
    await ServerSlots.shared.acquire()
    let server: LiveServer
    do {
        server = try await LiveServer.start(on: database, logLevel: logLevel, adjust)
    } catch {
        await ServerSlots.shared.release()
        throw error
    }
    let result: Result<T, any Error>
    do {
        result = .success(try await body(server))
    } catch {
        result = .failure(error)
    }
    await server.shutdown()
    await ServerSlots.shared.release()
    return try result.get()
}
