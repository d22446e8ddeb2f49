import Fluent
import LMSKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

/// Wires the application: database, migrations, middleware and routes.
public func configure(_ app: Application, settings: ServerSettings) async throws {
    app.lmsSettings = settings
    app.logger.logLevel = settings.logLevel

    switch settings.database {
    case .postgres(let url):
        var configuration = try SQLPostgresConfiguration(url: url)
        if let schema = settings.postgresSchema { configuration.searchPath = [schema, "public"] }
        app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 8), as: .psql)
    case .sqlite(let path):
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    }

    app.migrations.add(EnablePGVector(logger: app.logger))
    for migration in LMSMigrations.all { app.migrations.add(migration) }

    // Our own middleware replaces Vapor's defaults: errors always become the JSON envelope and
    // every request is logged once, as a JSON line, after its response.
    // One JSON form for every request and response body: explicit snake_case keys, ISO-8601 dates.
    ContentConfiguration.global.use(encoder: LMSJSON.makeEncoder(), for: .json)
    ContentConfiguration.global.use(decoder: LMSJSON.makeDecoder(), for: .json)

    app.middleware = .init()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(APIErrorMiddleware())
    app.routes.defaultMaxBodySize = ByteCount(value: settings.maxBodyBytes)

    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    // HS256 with a short key is guessable, and JWTKit refuses keys under 32 bytes.
    guard settings.jwtSecret.utf8.count >= 32 else {
        throw ConfigurationError(message: "LMS_JWT_SECRET must be at least 32 bytes long")
    }
    app.tokens = TokenService()
    await app.tokens.configure(secret: settings.jwtSecret)
    app.loginThrottle = LoginThrottle(limit: settings.loginAttempts, window: settings.loginWindow)
    app.sqliteWriteTurn = WriteTurn()
    app.outlineCache = OutlineCache(byteBudget: settings.outlineCacheBytes)
    app.payments = settings.stripeSecretKey.map { StripeCheckoutProvider(secretKey: $0, client: app.client) as any PaymentProvider }
        ?? LocalTestPaymentProvider(baseURL: settings.publicBaseURL)

    app.asyncCommands.use(SchemaMigrateCommand(), as: "migrate")
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.commands.use(StatementsCommand(), as: "statements")

    if settings.autoMigrate {
        try await app.autoMigrate()
    }
    try routes(app)
}

/// A setting the server cannot start with, said plainly.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Everything the server reads from its environment, resolved once at start-up.
public struct ServerSettings: Sendable {
    public enum Database: Sendable, Equatable {
        case postgres(url: String)
        case sqlite(path: String)
        case sqliteInMemory
    }

    public var database: Database
    /// PostgreSQL schema to use instead of `public` (tests give each run its own).
    public var postgresSchema: String?
    public var autoMigrate: Bool
    public var logLevel: Logger.Level
    /// HMAC key for access tokens. Random per process when not configured: tokens then die with
    /// the process, which clients survive through their refresh token.
    public var jwtSecret: String
    public var accessTokenLifetime: TimeInterval = 15 * 60
    public var refreshTokenLifetime: TimeInterval = 30 * 24 * 3600
    public var bcryptCost = 10
    /// Failed logins allowed from one client within `loginWindow` before 429.
    public var loginAttempts = 5
    public var loginWindow: TimeInterval = 300
    public var stripeWebhookSecret: String
    public var stripeSecretKey: String?
    /// Where this server is reachable, for links it hands out (test checkout pages).
    public var publicBaseURL: String
    public var maxBodyBytes = 1 << 20
    /// Memory for encoded course outlines (PostgreSQL only); 0 serves every outline from the
    /// database. 64 MB holds about 1,900 outlines of 100 lessons.
    public var outlineCacheBytes = 64 << 20

    public init(
        database: Database, postgresSchema: String? = nil, autoMigrate: Bool, logLevel: Logger.Level = .info,
        jwtSecret: String = ServerSettings.randomSecret(), stripeWebhookSecret: String = "whsec_lms_local_development",
        stripeSecretKey: String? = nil, publicBaseURL: String = "http://127.0.0.1:8080"
    ) {
        self.database = database
        self.postgresSchema = postgresSchema
        self.autoMigrate = autoMigrate
        self.logLevel = logLevel
        self.jwtSecret = jwtSecret
        self.stripeWebhookSecret = stripeWebhookSecret
        self.stripeSecretKey = stripeSecretKey
        self.publicBaseURL = publicBaseURL
    }

    public static func randomSecret() -> String {
        (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: .min ... .max)) }.joined()
    }

    /// `DATABASE_URL` selects PostgreSQL (e.g. `postgres://lms:lms@localhost:5432/lms`); without it
    /// the server uses SQLite at `--sqlite PATH`, `LMS_SQLITE_PATH`, or
    /// `$XDG_DATA_HOME/lms-server/lms.sqlite`, and migrates it on start (zero setup).
    /// `--sqlite PATH` is removed from `arguments` so Vapor's own commands never see it.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, arguments: inout [String]
    ) -> ServerSettings {
        var sqlitePath: String?
        if let index = arguments.firstIndex(of: "--sqlite"), index + 1 < arguments.count {
            sqlitePath = arguments[index + 1]
            arguments.removeSubrange(index...(index + 1))
        }
        let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        var settings: ServerSettings
        if sqlitePath == nil, let url = environment["DATABASE_URL"], !url.isEmpty {
            settings = ServerSettings(
                database: .postgres(url: url), postgresSchema: environment["LMS_PG_SCHEMA"],
                autoMigrate: environment["LMS_AUTO_MIGRATE"] == "1", logLevel: level)
        } else {
            let path = sqlitePath ?? environment["LMS_SQLITE_PATH"] ?? defaultSQLitePath(environment)
            settings = ServerSettings(database: path == ":memory:" ? .sqliteInMemory : .sqlite(path: path), autoMigrate: true, logLevel: level)
        }
        if let secret = environment["LMS_JWT_SECRET"], !secret.isEmpty { settings.jwtSecret = secret }
        if let secret = environment["STRIPE_WEBHOOK_SECRET"], !secret.isEmpty { settings.stripeWebhookSecret = secret }
        if let key = environment["STRIPE_SECRET_KEY"], !key.isEmpty { settings.stripeSecretKey = key }
        if let base = environment["LMS_PUBLIC_URL"], !base.isEmpty { settings.publicBaseURL = base }
        if let ttl = environment["LMS_ACCESS_TOKEN_TTL"].flatMap(TimeInterval.init) { settings.accessTokenLifetime = ttl }
        if let megabytes = environment["LMS_OUTLINE_CACHE_MB"].flatMap(Int.init), megabytes >= 0 {
            settings.outlineCacheBytes = megabytes << 20
        }
        return settings
    }

    static func defaultSQLitePath(_ environment: [String: String]) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/lms-server/lms.sqlite"
    }
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
