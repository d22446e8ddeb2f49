import Foundation
import Logging

/// Whether the server runs for development (demo, tests) or for real. Production is the default,
/// so a forgotten setting can never expose a development convenience.
public enum RunMode: String, Sendable {
    case development, production

    /// `--env NAME` (or `-e NAME`, as Vapor's own flag) wins over `LMS_ENV`; neither means production.
    static func detect(environment: [String: String], arguments: [String]) throws -> RunMode {
        var name = environment["LMS_ENV"].flatMap { $0.isEmpty ? nil : $0 }
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix("--env=") { name = String(argument.dropFirst("--env=".count)) }
            if argument == "--env" || argument == "-e", index + 1 < arguments.count { name = arguments[index + 1] }
        }
        guard let name else { return .production }
        switch name.lowercased() {
        case "production", "prod": return .production
        case "development", "dev", "testing", "test": return .development
        default: throw ConfigurationError(message: "Unknown environment '\(name)': use production or development")
        }
    }
}

/// An HMAC key for access tokens and the id written in the tokens it signs.
public struct TokenSigningKey: Sendable, Equatable {
    public var id: String
    public var secret: String

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }
}

/// Everything the server reads from its environment, resolved once at start-up.
public struct ServerSettings: Sendable {
    public enum Database: Sendable, Equatable {
        case postgres(url: String)
        case sqlite(path: String)
        case sqliteInMemory
    }

    public var mode: RunMode
    public var database: Database
    /// PostgreSQL schema to use instead of `public` (tests give each run its own).
    public var postgresSchema: String?
    /// Connections per event loop (PostgreSQL); SQLite always uses one.
    public var poolSize = 8
    public var autoMigrate: Bool
    public var logLevel: Logger.Level
    public var hostname = "127.0.0.1"
    public var port = 8080
    /// Signs new access tokens. Production needs one; development without one gets a random key
    /// per process (tokens then die with it, which clients survive through their refresh token).
    public var signingKey: TokenSigningKey?
    /// Still accepted for tokens it signed, so a key can be rotated without signing everyone out.
    public var previousKey: TokenSigningKey?
    public var accessTokenLifetime: TimeInterval = 15 * 60
    public var refreshTokenLifetime: TimeInterval = 30 * 24 * 3600
    public var bcryptCost = 10
    /// Failed logins allowed for one account from one client within `loginWindow` before 429;
    /// a client gets four times as many over all accounts.
    public var loginAttempts = 5
    public var loginWindow: TimeInterval = 300
    /// Proxies whose `X-Forwarded-For` names the client; from anyone else the header is ignored.
    public var trustedProxies: [IPAddressRange] = []
    /// Without it no webhook is accepted.
    public var stripeWebhookSecret: String?
    /// Payments go through Stripe when set; without it, development has a local test checkout
    /// and production sells no paid course.
    public var stripeSecretKey: String?
    /// Where this server is reachable, for links it hands out (test checkout pages); nil: the
    /// address it really serves (see `PublicAddress`).
    public var publicBaseURL: String?
    public var maxBodyBytes = 1 << 20
    /// Memory for encoded course outlines (PostgreSQL only); 0 serves every outline from the
    /// database. 64 MB holds about 1,900 outlines of 100 lessons.
    public var outlineCacheBytes = 64 << 20
    /// Where `backup` (and `serve`, at `LMS_BACKUP_AT`) stores backups; nil when not configured.
    public var backup: BackupSettings?

    public init(
        mode: RunMode = .production, database: Database, postgresSchema: String? = nil, autoMigrate: Bool,
        logLevel: Logger.Level = .info, signingKey: TokenSigningKey? = nil, stripeWebhookSecret: String? = nil,
        stripeSecretKey: String? = nil, publicBaseURL: String? = nil
    ) {
        self.mode = mode
        self.database = database
        self.postgresSchema = postgresSchema
        self.autoMigrate = autoMigrate
        self.logLevel = logLevel
        self.signingKey = signingKey
        self.stripeWebhookSecret = stripeWebhookSecret
        self.stripeSecretKey = stripeSecretKey
        self.publicBaseURL = publicBaseURL
    }

    public static func randomSecret() -> String {
        (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: .min ... .max)) }.joined()
    }

    /// Payments can be taken: through Stripe, or in development through the local test checkout.
    public var paymentsEnabled: Bool { stripeSecretKey != nil || mode == .development }

    /// The local test checkout stands in for Stripe: development only, and only without a Stripe key.
    public var usesTestCheckout: Bool { mode == .development && stripeSecretKey == nil }

    /// Refuses what must not run: in production, a missing or short token key and Stripe without
    /// its webhook secret. Development without a token key gets a random one. Returns the key.
    @discardableResult
    public mutating func validate() throws -> TokenSigningKey {
        if signingKey == nil, mode == .development {
            signingKey = TokenSigningKey(id: "development", secret: Self.randomSecret())
        }
        guard let signingKey else {
            throw ConfigurationError(message: "LMS_JWT_SECRET is not set: production needs a token key of at least 32 random bytes (or run with LMS_ENV=development)")
        }
        for key in [signingKey] + (previousKey.map { [$0] } ?? []) {
            // HS256 with a short key is guessable, and JWTKit refuses keys under 32 bytes.
            guard key.secret.utf8.count >= 32 else {
                throw ConfigurationError(message: "The token key '\(key.id)' is shorter than 32 bytes: use at least 32 random bytes")
            }
        }
        if let previous = previousKey, previous.id == signingKey.id {
            throw ConfigurationError(message: "LMS_JWT_PREVIOUS_KEY_ID must differ from LMS_JWT_KEY_ID")
        }
        if stripeSecretKey != nil, stripeWebhookSecret == nil, mode == .production {
            throw ConfigurationError(message: "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: purchases could never complete")
        }
        if mode == .production, let endpoint = backup?.endpoint, endpoint.scheme == "http",
           !["127.0.0.1", "localhost", "::1"].contains(endpoint.host ?? "") {
            // Backups hold every password hash and every learner's records.
            throw ConfigurationError(message: "LMS_BACKUP_ENDPOINT must use https in production: backups would cross the network unencrypted")
        }
        guard (1...1024).contains(poolSize) else { throw ConfigurationError(message: "LMS_DB_POOL_SIZE must be between 1 and 1024") }
        return signingKey
    }

    /// Reads the environment (see the README's table). `DATABASE_URL` selects PostgreSQL; without
    /// it the server uses SQLite at `--sqlite PATH`, `LMS_SQLITE_PATH`, or
    /// `$XDG_DATA_HOME/lms-server/lms.sqlite`, and migrates it on start (zero setup).
    /// `--sqlite PATH` is removed from `arguments` so Vapor's own commands never see it.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, arguments: inout [String]
    ) throws -> ServerSettings {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func integer(_ name: String) throws -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text) else { throw ConfigurationError(message: "\(name) must be a whole number, not '\(text)'") }
            return number
        }
        var sqlitePath: String?
        if let index = arguments.firstIndex(of: "--sqlite"), index + 1 < arguments.count {
            sqlitePath = arguments[index + 1]
            arguments.removeSubrange(index...(index + 1))
        }
        let mode = try RunMode.detect(environment: environment, arguments: arguments)
        var level = Logger.Level.info
        if let text = value("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError(message: "LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
            }
            level = parsed
        }
        var settings: ServerSettings
        if sqlitePath == nil, let url = value("DATABASE_URL") {
            settings = ServerSettings(
                mode: mode, database: .postgres(url: url), postgresSchema: value("LMS_PG_SCHEMA"),
                autoMigrate: value("LMS_AUTO_MIGRATE") == "1", logLevel: level)
        } else {
            let path = sqlitePath ?? value("LMS_SQLITE_PATH") ?? defaultSQLitePath(environment)
            settings = ServerSettings(mode: mode, database: path == ":memory:" ? .sqliteInMemory : .sqlite(path: path), autoMigrate: true, logLevel: level)
        }
        if let secret = value("LMS_JWT_SECRET") {
            settings.signingKey = TokenSigningKey(id: value("LMS_JWT_KEY_ID") ?? "primary", secret: secret)
        }
        if let secret = value("LMS_JWT_PREVIOUS_SECRET") {
            settings.previousKey = TokenSigningKey(id: value("LMS_JWT_PREVIOUS_KEY_ID") ?? "previous", secret: secret)
        }
        settings.stripeWebhookSecret = value("STRIPE_WEBHOOK_SECRET")
        settings.stripeSecretKey = value("STRIPE_SECRET_KEY")
        if let base = value("LMS_PUBLIC_URL") { settings.publicBaseURL = base }
        if let ttl = try integer("LMS_ACCESS_TOKEN_TTL") { settings.accessTokenLifetime = TimeInterval(ttl) }
        if let megabytes = try integer("LMS_OUTLINE_CACHE_MB"), megabytes >= 0 { settings.outlineCacheBytes = megabytes << 20 }
        if let host = value("HOST") { settings.hostname = host }
        if let port = try integer("PORT") {
            guard (0...65535).contains(port) else { throw ConfigurationError(message: "PORT must be between 0 and 65535") }
            settings.port = port
        }
        if let size = try integer("LMS_DB_POOL_SIZE") { settings.poolSize = size }
        settings.backup = try BackupSettings.fromEnvironment(environment)
        if let proxies = value("LMS_TRUSTED_PROXIES") {
            settings.trustedProxies = try proxies.split(separator: ",").map { text in
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard let range = IPAddressRange(trimmed) else {
                    throw ConfigurationError(message: "LMS_TRUSTED_PROXIES: '\(trimmed)' is not an IP address or CIDR range")
                }
                return range
            }
        }
        return settings
    }

    static func defaultSQLitePath(_ environment: [String: String]) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/lms-server/lms.sqlite"
    }
}
