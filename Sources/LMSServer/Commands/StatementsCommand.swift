import Foundation
import LMSKit
import SQLKit
import Vapor

/// `lms-server statements --email E --slug S`: the SQL the hot reads run for that user, with
/// their values written in, each under a `-- name` line, so a benchmark or an EXPLAIN runs exactly
/// what the server runs (`scripts/bench/server.sh` hands them to pgbench).
struct StatementsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The account whose view the statements take")
        var email: String?
        @Option(name: "slug", help: "The course whose outline the statements read")
        var slug: String?
        init() {}
    }

    let help = "Print the SQL of the catalog page and the course outline as one user's requests run it."

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email, let slug = signature.slug else {
            context.console.error("Say whose view and which course: --email EMAIL --slug SLUG")
            throw ExitCode(2)
        }
        let sql = context.application.db.sql
        guard let user = try await UserStore(db: sql).credentials(email: email)?.user else {
            context.console.error("No account \(email)")
            throw ExitCode(1)
        }
        let viewer = Principal(userID: user.id, role: user.role, tenantID: user.tenantID)
        let store = CourseStore(db: sql)
        guard let course = try await store.course(slug: slug, viewer: viewer) else {
            context.console.error("No course \(slug) that \(email) may see")
            throw ExitCode(1)
        }
        let head = try Self.inlined(
            OutlineHeadStatement.sql, binds: [slug, viewer.userID, viewer.tenantID] as [any Encodable & Sendable])
        let statements: [(String, String)] = [
            ("catalog", try Self.inlined(store.catalogQuery(viewer: viewer, search: nil, sort: .title, after: nil, limit: 20), on: sql)),
            ("outline_head", head),
            ("outline_chapters", try Self.inlined(store.chaptersQuery(courseIDs: [course.id]), on: sql)),
            ("outline_lessons", try Self.inlined(store.lessonsQuery(courseIDs: [course.id]), on: sql)),
        ]
        for (name, text) in statements {
            context.console.output("-- \(name)\n\(text);\n".consoleText())
        }
    }

    /// The statement with each bound value written in as a literal.
    static func inlined(_ query: SQLQueryString, on database: any SQLDatabase) throws -> String {
        var serializer = SQLSerializer(database: database)
        query.serialize(to: &serializer)
        return try inlined(serializer.sql, binds: serializer.binds)
    }

    /// PostgreSQL text with `$n` placeholders, each replaced by its value as a literal.
    static func inlined(_ sql: String, binds: [any Encodable & Sendable]) throws -> String {
        var text = sql
        // From the highest placeholder down, so `$1` never eats the start of `$12`.
        for (index, value) in binds.enumerated().reversed() {
            text = text.replacingOccurrences(of: "$\(index + 1)", with: try literal(value))
        }
        return text
    }

    private static func literal(_ value: any Encodable & Sendable) throws -> String {
        switch value {
        case let uuid as UUID: return "'\(uuid.uuidString.lowercased())'::uuid"
        case let text as String: return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case let number as Int: return String(number)
        case let flag as Bool: return flag ? "true" : "false"
        case let optional as UUID?: return optional.map { "'\($0.uuidString.lowercased())'::uuid" } ?? "NULL::uuid"
        default: throw ConfigurationError(message: "statements: no literal form for \(type(of: value))")
        }
    }
}
