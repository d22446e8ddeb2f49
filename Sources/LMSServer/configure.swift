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
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 8), as: .psql)
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
    app.routes.defaultMaxBodySize = "1mb"

    app.asyncCommands.use(SchemaMigrateCommand(), as: "migrate")

    if settings.autoMigrate {
        try await app.autoMigrate()
    }
    try routes(app)
}

/// Everything the server reads from its environment, resolved once at start-up.
public struct ServerSettings: Sendable {
    public enum Database: Sendable, Equatable {
        case postgres(url: String)
        case sqlite(path: String)
        case sqliteInMemory
    }

    public var database: Database
    public var autoMigrate: Bool
    public var logLevel: Logger.Level

    public init(database: Database, autoMigrate: Bool, logLevel: Logger.Level = .info) {
        self.database = database
        self.autoMigrate = autoMigrate
        self.logLevel = logLevel
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
        if sqlitePath == nil, let url = environment["DATABASE_URL"], !url.isEmpty {
            return ServerSettings(database: .postgres(url: url), autoMigrate: environment["LMS_AUTO_MIGRATE"] == "1", logLevel: level)
        }
        let path = sqlitePath ?? environment["LMS_SQLITE_PATH"] ?? defaultSQLitePath(environment)
        return ServerSettings(database: path == ":memory:" ? .sqliteInMemory : .sqlite(path: path), autoMigrate: true, logLevel: level)
    }

    static func defaultSQLitePath(_ environment: [String: String]) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/lms-server/lms.sqlite"
    }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = ServerSettings }

    public var lmsSettings: ServerSettings {
        get { storage[SettingsKey.self]! }
        set { storage[SettingsKey.self] = newValue }
    }
}
