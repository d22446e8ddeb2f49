import Fluent
import LMSKit
import Vapor

/// `lms-server migrate [--revert] [--all] --yes`, in the manner of Sequelize CLI's db:migrate.
/// Without `--yes` it only lists what it would do, so scripts never hang on a prompt.
struct SchemaMigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "revert", help: "Roll back the last batch (with --all: every migration).")
        var revert: Bool
        @Flag(name: "all", help: "With --revert: roll back every migration.")
        var all: Bool
        @Flag(name: "yes", short: "y", help: "Apply without asking.")
        var yes: Bool
        init() {}
    }

    let help = "Apply pending migrations, or roll them back with --revert."

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.prepareDatabase(migrate: false)
        // Under the lock even for the preview: what is pending is decided by whoever holds it.
        try await AdvisoryLock.migrations.around(app) {
            try await Self.migrate(app: app, console: context.console, signature: signature)
        }
    }

    private static func migrate(app: Application, console: any Console, signature: Signature) async throws {
        let migrator = app.migrator
        // ConsoleKit takes `--yes`/`-y` for itself (its global "answer yes to every confirmation"
        // flag) before the command parses its arguments, so it arrives as `confirmOverride`.
        let yes = signature.yes || console.confirmOverride == true
        try await migrator.setupIfNeeded().get()
        if signature.revert {
            let pending = signature.all
                ? try await migrator.previewRevertAllBatches().get()
                : try await migrator.previewRevertLastBatch().get()
            guard !pending.isEmpty else { return console.print("No migrations to revert.") }
            for (migration, _) in pending { console.print("- \(migration.name)") }
            guard yes else { return console.print("Dry run: pass --yes to revert these.") }
            if signature.all {
                try await migrator.revertAllBatches().get()
            } else {
                try await migrator.revertLastBatch().get()
            }
            console.print("Reverted \(Words.count(pending.count, "migration")).")
        } else {
            let pending = try await migrator.previewPrepareBatch().get()
            guard !pending.isEmpty else { return console.print("No pending migrations.") }
            for (migration, _) in pending { console.print("+ \(migration.name)") }
            guard yes else { return console.print("Dry run: pass --yes to apply these.") }
            try await migrator.prepareBatch().get()
            console.print("Applied \(Words.count(pending.count, "migration")).")
        }
    }
}
