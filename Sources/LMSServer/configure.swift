import Fluent
import LMSKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

/// Wires the application: database, middleware, routes and commands. Touches no database and no
/// file: `lms-server --help` has no side effects; `serve`, `migrate` and `seed` open the database
/// (and migrate it first where the settings say so, under `AdvisoryLock.migrations`).
public func configure(_ app: Application, settings: ServerSettings) async throws {
    var settings = settings
    let signingKey = try settings.validate()
    app.lmsSettings = settings
    app.logger.logLevel = settings.logLevel

    switch settings.database {
    case .postgres(let url):
        var configuration = try SQLPostgresConfiguration(url: url)
        if let schema = settings.postgresSchema { configuration.searchPath = [schema, "public"] }
        // Lets `/metrics` count this process's connections in `pg_stat_activity`.
        configuration.coreConfiguration.options.additionalStartupParameters.append(("application_name", app.databaseApplicationName))
        app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: settings.poolSize), as: .psql)
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    }

    app.migrations.add(EnablePGVector(logger: app.logger))
    for migration in LMSMigrations.all { app.migrations.add(migration) }

    // One JSON form for every request and response body: explicit snake_case keys, ISO-8601 dates.
    ContentConfiguration.global.use(encoder: LMSJSON.makeEncoder(), for: .json)
    ContentConfiguration.global.use(decoder: LMSJSON.makeDecoder(), for: .json)

    // Our own middleware replaces Vapor's defaults: errors always become the JSON envelope and
    // every request is logged once, as a JSON line, after its response.
    app.middleware = .init()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(APIErrorMiddleware())
    app.routes.defaultMaxBodySize = ByteCount(value: settings.maxBodyBytes)
    app.http.server.configuration.hostname = settings.hostname
    app.http.server.configuration.port = settings.port

    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    app.tokens = await TokenService(signingKey: signingKey, previousKey: settings.previousKey)
    app.serverMetrics = ServerMetrics(poolSize: settings.poolSize)
    app.sqliteWriteTurn = WriteTurn()
    app.outlineCache = OutlineCache(byteBudget: settings.outlineCacheBytes)
    if let key = settings.stripeSecretKey {
        app.payments = StripeCheckoutProvider(secretKey: key, client: app.client)
    } else if settings.usesTestCheckout {
        app.payments = LocalTestPaymentProvider()
    } else {
        app.payments = PaymentsUnavailable()
    }

    app.asyncCommands.use(ServeWithMigrationsCommand(), as: "serve", isDefault: true)
    app.asyncCommands.use(SchemaMigrateCommand(), as: "migrate")
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(StatementsCommand(), as: "statements")
    app.asyncCommands.use(BackupCommand(), as: "backup")

    try routes(app)
}

extension Application {
    /// Creates the SQLite file's folder and, where the settings say so, applies pending
    /// migrations: what every command that opens the database does first.
    public func prepareDatabase(migrate: Bool) async throws {
        if case .sqlite(let path) = lmsSettings.database {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        if migrate {
            try await AdvisoryLock.migrations.around(self) { try await self.autoMigrate() }
        }
    }

    var databaseApplicationName: String { "lms-server-\(getpid())" }
}

/// A setting the server cannot start with, said plainly.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = ServerSettings }
    private struct OutlineCacheKey: StorageKey { typealias Value = OutlineCache }

    /// Set once by `configure`, before the server accepts requests.
    var outlineCache: OutlineCache {
        get { storage[OutlineCacheKey.self]! }
        set { storage[OutlineCacheKey.self] = newValue }
    }

    public var lmsSettings: ServerSettings {
        get { storage[SettingsKey.self]! }
        set { storage[SettingsKey.self] = newValue }
    }
}
