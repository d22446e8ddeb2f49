import Fluent
import Foundation
import Vapor

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
        guard let table = SoftDeleteStore.Table(rawValue: signature.table) else {
            context.console.error("Only users, tenants, groups and courses are soft-deleted")
            throw ExitCode(2)
        }
        guard let id = UUID(uuidString: signature.id) else {
            context.console.error("'\(signature.id)' is not a UUID")
            throw ExitCode(2)
        }
        let restored = try await context.application.db.transaction { db in
            try await SoftDeleteStore(db: db.sql).restore(table, id: id, now: Date())
        }
        guard restored else {
            context.console.error("No soft-deleted row \(id) in \(signature.table)")
            throw ExitCode(1)
        }
        context.console.print("Restored \(signature.table) \(id).")
    }
}
