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

struct ExitCode: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}

/// `lms-server restore TABLE ID`: brings back a soft-deleted user, tenant, group or course.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "table", help: "users, tenants, groups or courses")
        var table: String
        @Argument(name: "id", help: "The id of the soft-deleted row")
        var id: String
        init() {}
    }

    let help = "Restore a soft-deleted user, tenant, group or course."

    func run(using context: CommandContext, signature: Signature) async throws {
        guard ["users", "tenants", "groups", "courses"].contains(signature.table) else {
            context.console.error("Only users, tenants, groups and courses are soft-deleted")
            throw ExitCode(2)
        }
        guard let id = UUID(uuidString: signature.id) else {
            context.console.error("'\(signature.id)' is not a UUID")
            throw ExitCode(2)
        }
        let sql = context.application.db.sql
        let now = Date()
        let restored = try await context.application.db.transaction { db in
            let sql = db.sql
            let rows = try await sql.raw("""
                UPDATE \(unsafeRaw: signature.table) SET deleted_at = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: id) AND deleted_at IS NOT NULL RETURNING id
                """).all()
            guard !rows.isEmpty else { return false }
            if signature.table == "users",
               let tenant = try await sql.raw("SELECT tenant_id FROM users WHERE id = \(bind: id)").first()?.optional("tenant_id", as: UUID.self) {
                try await takeSeat(tenant, sql: sql, now: now)
            }
            if signature.table == "courses" {
                // Devices that dropped the course on its tombstone need its whole outline again.
                let log = ChangeLog(db: sql)
                try await log.record(.course, id: id, userID: nil, at: now)
                let chapters = try await sql.raw("SELECT id FROM chapters WHERE course_id = \(bind: id)").all().map { try $0.decode(column: "id", as: UUID.self) }
                try await log.record(.chapter, ids: chapters, userID: nil, at: now)
                let lessons = try await sql.raw("""
                    SELECT l.id FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id WHERE ch.course_id = \(bind: id)
                    """).all().map { try $0.decode(column: "id", as: UUID.self) }
                try await log.record(.lesson, ids: lessons, userID: nil, at: now)
                try await log.record(.lessonContent, ids: lessons, userID: nil, at: now)
            }
            return true
        }
        _ = sql
        guard restored else {
            context.console.error("No soft-deleted row \(id) in \(signature.table)")
            throw ExitCode(1)
        }
        context.console.print("Restored \(signature.table) \(id).")
    }
}
