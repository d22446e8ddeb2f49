import PostgresNIO
import Vapor

/// `lms-server statements`: the SQL of the hot read paths' prepared statements on PostgreSQL, each
/// under a `-- name` line, so a benchmark or an EXPLAIN runs exactly what the server runs.
struct StatementsCommand: Command {
    struct Signature: CommandSignature {
        init() {}
    }

    let help = "Print the SQL of the server's named prepared statements (PostgreSQL)."

    static let statements: [(name: String, sql: String)] = [
        (PostgresCatalogQuery.ByTitle.name, PostgresCatalogQuery.ByTitle.sql),
        (PostgresCatalogQuery.Newest.name, PostgresCatalogQuery.Newest.sql),
        (PostgresCatalogQuery.ByPrice.name, PostgresCatalogQuery.ByPrice.sql),
        (PostgresOutlineQuery.CourseBySlug.name, PostgresOutlineQuery.CourseBySlug.sql),
        (PostgresOutlineQuery.OutlineRows.name, PostgresOutlineQuery.OutlineRows.sql),
        (PostgresOutlineQuery.ChaptersWithLessons.name, PostgresOutlineQuery.ChaptersWithLessons.sql),
    ]

    func run(using context: CommandContext, signature: Signature) throws {
        for statement in Self.statements {
            context.console.output("-- \(statement.name)\n\(statement.sql);\n".consoleText())
        }
    }
}
