import Foundation
import LMSServer
import Vapor

/// The pieces every in-process server of the tests is made of: settings for a fresh database,
/// and a configured, migrated application that logs through the server's own JSON handler.
package enum TestApplication {
    /// Development settings on a fresh database (a temporary SQLite file, or a new PostgreSQL
    /// schema), with cheap bcrypt and a webhook secret; `cleanup` removes the database.
    package static func settings(
        for database: TestDatabase, autoMigrate: Bool = true, logLevel: Logger.Level = .info
    ) async throws -> (settings: ServerSettings, cleanup: @Sendable () async throws -> Void) {
        var settings: ServerSettings
        let cleanup: @Sendable () async throws -> Void
        switch database {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lms-tests-server-\(UUID().uuidString)")
            settings = ServerSettings(
                mode: .development, database: .sqlite(path: dir.appendingPathComponent("lms.sqlite").path), autoMigrate: autoMigrate, logLevel: logLevel)
            cleanup = { try? FileManager.default.removeItem(at: dir) }
        case .postgres(let url):
            let schema = try await PostgresAdmin.createSchema(url)
            settings = ServerSettings(
                mode: .development, database: .postgres(url: url), postgresSchema: schema, autoMigrate: autoMigrate, logLevel: logLevel)
            cleanup = { try await PostgresAdmin.dropSchema(url, schema) }
        }
        settings.bcryptCost = 4
        settings.stripeWebhookSecret = "whsec_test_" + ServerSettings.randomSecret()
        // Fixed for the settings' life: a server restarted with them keeps access tokens valid.
        settings.signingKey = TokenSigningKey(id: "test", secret: ServerSettings.randomSecret())
        return (settings, cleanup)
    }

    /// A configured application whose database is ready (migrated when the settings say so).
    /// The server's own log handler writes to `logs`: the checks read what an operator's log holds.
    package static func make(_ settings: ServerSettings, logs: LogCapture) async throws -> Application {
        let app = try await Application.make(.testing)
        let level = settings.logLevel
        app.logger = Logger(label: "lms.tests") { label in
            var handler = JSONLogHandler(label: label) { logs.append(String(decoding: $0, as: UTF8.self)) }
            handler.logLevel = level
            return handler
        }
        do {
            try await configure(app, settings: settings)
            try await app.prepareDatabase(migrate: settings.autoMigrate)
            return app
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// Makes a configured, migrated application on a fresh database, runs `body`, and always tears
/// everything down.
package func withTestApplication<T>(
    _ database: TestDatabase, autoMigrate: Bool = true, logs: LogCapture = LogCapture(),
    settings adjust: (inout ServerSettings) -> Void = { _ in },
    _ body: (Application, ServerSettings) async throws -> T
) async throws -> T {
    await ServerSlots.shared.acquire()
    defer { Task { await ServerSlots.shared.release() } }
    var (settings, cleanup) = try await TestApplication.settings(for: database, autoMigrate: autoMigrate)
    adjust(&settings)

    var app: Application?
    let result: Result<T, any Error>
    do {
        let made = try await TestApplication.make(settings, logs: logs)
        app = made
        result = .success(try await body(made, settings))
    } catch {
        result = .failure(error)
    }
    var shutdownError: (any Error)?
    if let app {
        await app.server.shutdown()
        do { try await app.asyncShutdown() } catch { shutdownError = error }
    }
    try await cleanup()
    if let shutdownError { throw shutdownError }
    return try result.get()
}
