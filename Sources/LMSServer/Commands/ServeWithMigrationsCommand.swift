import Fluent
import SQLKit
import Vapor

/// `lms-server serve`: says how it runs, prepares the database (migrating it first where the
/// settings say so: always on SQLite, with `LMS_AUTO_MIGRATE=1` on PostgreSQL), then serves
/// with Vapor's own command, whose flags it takes.
struct ServeWithMigrationsCommand: AsyncCommand {
    typealias Signature = ServeCommand.Signature

    var help: String { "Serve the API (migrating the database first where configured)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let settings = app.lmsSettings
        app.logger.notice("lms-server starting", metadata: [
            "mode": .string(settings.mode.rawValue),
            "database": .string(settings.database.kind),
            "payments": .string(settings.stripeSecretKey != nil ? "stripe" : settings.usesTestCheckout ? "local test checkout" : "off"),
        ])
        try await app.prepareDatabase(migrate: settings.autoMigrate)
        if let backup = settings.backup, let dailyAt = backup.dailyAt {
            app.lifecycle.use(BackupScheduler(app: app, settings: backup, dailyAt: dailyAt))
        }
        try await app.servers.asyncCommand.run(using: context, signature: signature)
        // Bound now: say where the links it hands out (checkout pages) will point.
        let links: String
        if let configured = settings.publicBaseURL {
            links = "\(configured) (LMS_PUBLIC_URL)"
        } else if let bound = PublicAddress.boundBaseURL(app.http.server.shared.localAddress), !PublicAddress.isWildcard(bound) {
            links = "\(bound) (the bound address; set LMS_PUBLIC_URL to change)"
        } else {
            links = "the host each client asked for (bound to every interface; set LMS_PUBLIC_URL to fix one)"
        }
        app.logger.notice("lms-server listening", metadata: ["links": .string(links)])
    }
}

extension ServerSettings.Database {
    var kind: String {
        switch self {
        case .postgres: "postgresql"
        case .sqlite, .sqliteInMemory: "sqlite"
        }
    }
}
