import Fluent
import Foundation
import SQLKit
import Vapor

/// `lms-server seed --demo` or `lms-server seed --synthetic COURSES`.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "demo", help: "Create the demo tenant, accounts, courses and badges.")
        var demo: Bool
        @Option(name: "synthetic", help: "Create this many generated courses (10 chapters x 10 lessons each).")
        var synthetic: Int?
        init() {}
    }

    let help = "Fill the database with demo data or a large synthetic catalog."

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard signature.demo || signature.synthetic != nil else {
            context.console.error("Say what to seed: --demo, or --synthetic COURSES")
            throw ExitCode(2)
        }
        // The seeders create accounts whose password is published in the README.
        guard app.lmsSettings.mode == .development else {
            context.console.error("seed creates accounts with a published password: run it as development (LMS_ENV=development), never on a production database")
            throw ExitCode(2)
        }
        try await app.prepareDatabase(migrate: true)
        let hash = try await app.password.async.hash(DemoAccounts.password)
        let start = ContinuousClock.now
        if signature.demo {
            let result = try await app.db.transaction { db in
                try await DemoSeeder(db: db.sql, passwordHash: hash, now: Date()).seed()
            }
            context.console.print("Demo data created: \(result.courseSlugs.count) courses.")
            context.console.print("Sign in as \(DemoAccounts.learner), \(DemoAccounts.instructor) or \(DemoAccounts.admin) with password '\(DemoAccounts.password)'.")
        }
        if let count = signature.synthetic {
            guard count > 0 else {
                context.console.error("--synthetic needs a positive number of courses")
                throw ExitCode(2)
            }
            try await app.db.transaction { db in
                try await SyntheticSeeder(db: db.sql, passwordHash: hash, now: Date()).seed(courses: count)
            }
            context.console.print("Synthetic catalog created: \(count) courses, \(count * 100) lessons (learner \(SyntheticSeeder.learnerEmail), password '\(DemoAccounts.password)').")
        }
        context.console.print("Took \(ContinuousClock.now - start).")
    }
}

/// A command's failure it has already explained on the console: the process exits with `code`,
/// and Vapor's own report of it stays at debug level instead of repeating it as a warning.
public struct ExitCode: DebuggableError {
    public let code: Int32
    init(_ code: Int32) { self.code = code }

    public var identifier: String { "exit-\(code)" }
    public var reason: String { "exit status \(code)" }
    public var logLevel: Logger.Level { .debug }
}
