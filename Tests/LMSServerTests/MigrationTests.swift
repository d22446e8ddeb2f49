import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Migrations and schema")
struct MigrationTests {
    static let seedTables = [
        "tenants", "users", "groups", "user_groups", "courses", "chapters", "lessons", "quiz_questions", "purchases",
        "user_progress", "quiz_results", "badges", "user_badges",
    ]
    static let serverTables = ["refresh_tokens", "applied_mutations", "sync_changes", "sync_state", "login_failures", "stripe_events"]

    static func tables(_ sql: any SQLDatabase, _ database: TestDatabase) async throws -> Set<String> {
        let query: SQLQueryString = database.isPostgres
            ? "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema()"
            : "SELECT name FROM sqlite_master WHERE type = 'table'"
        return Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
    }

    @Test("migrate, a no-op migrate, revert everything, migrate again", arguments: TestDatabase.all)
    func migrateRevertMigrate(_ database: TestDatabase) async throws {
        try await withTestApplication(database, autoMigrate: false) { app, _ in
            let sql = app.db as! any SQLDatabase
            // Outline versions exist on PostgreSQL only: SQLite's outlines are not cached.
            let expected = Set(Self.seedTables + Self.serverTables + (database.isPostgres ? ["course_structure_versions"] : []))
            #expect(try await Self.tables(sql, database).isDisjoint(with: expected))

            // `lms-server migrate --yes`, the command operators run.
            try await Self.run(app, "migrate", "--yes")
            #expect(try await Self.tables(sql, database).isSuperset(of: expected))
            let applied = try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(column: "n", as: Int.self)
            #expect(applied == LMSMigrations.all.count + 1)

            // Nothing left to do: a second run changes nothing.
            #expect(try await app.migrator.previewPrepareBatch().get().isEmpty)
            try await app.autoMigrate()
            try await Self.run(app, "migrate", "-y")
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(column: "n", as: Int.self) == applied)

            try await app.autoRevert()
            #expect(try await Self.tables(sql, database).isDisjoint(with: expected))
            try await Self.run(app, "migrate", "--yes")
            #expect(try await Self.tables(sql, database).isSuperset(of: expected))
            // Without --yes the command only lists what it would revert.
            try await Self.run(app, "migrate", "--revert", "--all")
            #expect(try await Self.tables(sql, database).isSuperset(of: expected))
            try await Self.run(app, "migrate", "--revert", "--all", "--yes")
            #expect(try await Self.tables(sql, database).isDisjoint(with: expected))

            try await app.autoMigrate()
            #expect(try await Self.tables(sql, database).isSuperset(of: expected))
            // The re-created schema takes the demo data.
            let hash = try await app.password.async.hash(DemoAccounts.password)
            let seeded = try await app.db.transaction { db in
                try await DemoSeeder(db: db as! any SQLDatabase, passwordHash: hash, now: Date()).seed()
            }
            #expect(seeded.courseSlugs.count == 5)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM sync_state").first()?.decode(column: "n", as: Int.self) == 1)
        }
    }

    @Test("seed --demo and restore, as operators run them", arguments: TestDatabase.all)
    func seedAndRestoreCommands(_ database: TestDatabase) async throws {
        try await withTestApplication(database) { app, _ in
            let sql = app.db as! any SQLDatabase
            func count(_ query: SQLQueryString) async throws -> Int? {
                try await sql.raw(query).first()?.decode(column: "n", as: Int.self)
            }
            try await Self.run(app, "seed", "--demo")
            #expect(try await count("SELECT COUNT(*) AS n FROM courses") == 5)
            #expect(try await count("SELECT COUNT(*) AS n FROM users") == 3)
            // Seeding twice is refused and adds nothing.
            await #expect(throws: (any Error).self) { try await Self.run(app, "seed", "--demo") }
            #expect(try await count("SELECT COUNT(*) AS n FROM courses") == 5)

            // A soft-deleted user (as DELETE /api/v1/admin/users leaves them) comes back, taking a seat again.
            let row = try await sql.raw("SELECT id, tenant_id FROM users WHERE email = \(bind: DemoAccounts.learner)").first()
            let learner = try #require(try row?.decode(column: "id", as: UUID.self))
            let tenant = try #require(try row?.decode(column: "tenant_id", as: UUID.self))
            try await sql.raw("UPDATE users SET deleted_at = \(bind: Date()) WHERE id = \(bind: learner)").run()
            try await sql.raw("UPDATE tenants SET seats_used = seats_used - 1 WHERE id = \(bind: tenant)").run()
            try await Self.run(app, "restore", "users", learner.uuidString)
            #expect(try await count("SELECT COUNT(*) AS n FROM users WHERE deleted_at IS NULL") == 3)
            #expect(try await count("SELECT seats_used AS n FROM tenants") == 3)
            // Nothing to restore, or not a soft-deletable table: an error, and no change.
            await #expect(throws: (any Error).self) { try await Self.run(app, "restore", "users", learner.uuidString) }
            await #expect(throws: (any Error).self) { try await Self.run(app, "restore", "badges", UUID().uuidString) }
            await #expect(throws: (any Error).self) { try await Self.run(app, "restore", "users", "not-a-uuid") }
            #expect(try await count("SELECT seats_used AS n FROM tenants") == 3)
        }
    }

    /// Runs an `lms-server` command in-process, as `lms-server <arguments>` would.
    static func run(_ app: Application, _ arguments: String...) async throws {
        app.environment.arguments = ["lms-server"] + arguments
        app.console.confirmOverride = nil  // one process per command in real life
        try await app.startup()
    }

    // MARK: PostgreSQL: the migrated schema is the specification's

    /// The specification's DDL, statement by statement (comments removed).
    static func specificationStatements() throws -> [String] {
        let url = try #require(Bundle.module.url(forResource: "seed-schema", withExtension: "sql", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let withoutComments = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard let range = line.range(of: "--") else { return line }
            return line[..<range.lowerBound]
        }.joined(separator: "\n")
        return withoutComments.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// Runs the statements in a fresh schema. The specification lists `users` before `tenants`,
    /// which it references, so failed statements are retried until all succeed.
    static func loadSpecification(into schema: String, url: String) async throws {
        let statements = try specificationStatements()
        #expect(statements.count >= 30)
        try await PostgresAdmin.withConnection(url) { sql in
            try await sql.raw("SET search_path TO \(ident: schema), public").run()
            var pending = statements
            var lastErrors: [String] = []
            for _ in 0..<5 where !pending.isEmpty {
                var failed: [String] = []
                lastErrors = []
                for statement in pending {
                    do {
                        try await sql.raw(SQLQueryString(statement)).run()
                    } catch {
                        failed.append(statement)
                        lastErrors.append("\(String(reflecting: error))")
                    }
                }
                pending = failed
            }
            try #require(pending.isEmpty, "statements that never succeeded:\n\(pending.joined(separator: ";\n"))\n\(lastErrors.joined(separator: "\n"))")
        }
    }

    struct Column: Hashable, CustomStringConvertible {
        var table, name: String
        var type, length, precision, scale, nullable, defaultValue: String?
        var description: String {
            "\(table).\(name) \(type ?? "?")(\(length ?? "-"),\(precision ?? "-"),\(scale ?? "-")) null=\(nullable ?? "?") default=\(defaultValue ?? "none")"
        }
    }

    struct Constraint: Hashable, CustomStringConvertible {
        var table, type, name: String
        var columns, referenced, deleteRule: String?
        var description: String { "\(table) \(type) \(name) (\(columns ?? "")) -> \(referenced ?? "-") on delete \(deleteRule ?? "-")" }
    }

    struct Index: Hashable, CustomStringConvertible {
        var table, name, definition: String
        var description: String { definition }
    }

    struct SchemaShape {
        var columns: [Column]
        var constraints: Set<Constraint>
        var indexes: Set<Index>
    }

    static func shape(of schema: String, url: String) async throws -> SchemaShape {
        try await PostgresAdmin.withConnection(url) { sql in
            func text(_ row: any SQLRow, _ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
            func strip(_ value: String?) -> String? { value?.replacingOccurrences(of: schema + ".", with: "") }
            let columns = try await sql.raw("""
                SELECT table_name::text AS t, column_name::text AS c, data_type::text AS type,
                       character_maximum_length::text AS len, numeric_precision::text AS prec, numeric_scale::text AS scale,
                       is_nullable::text AS nullable, column_default::text AS def
                FROM information_schema.columns WHERE table_schema = \(bind: schema) ORDER BY table_name, ordinal_position
                """).all().map { row in
                Column(
                    table: try text(row, "t") ?? "", name: try text(row, "c") ?? "", type: try text(row, "type"), length: try text(row, "len"),
                    precision: try text(row, "prec"), scale: try text(row, "scale"), nullable: try text(row, "nullable"),
                    defaultValue: strip(try text(row, "def")))
            }
            let constraints = try await sql.raw("""
                SELECT tc.table_name::text AS t, tc.constraint_type::text AS type, tc.constraint_name::text AS name,
                       (SELECT string_agg(k.column_name::text, ',' ORDER BY k.ordinal_position) FROM information_schema.key_column_usage k
                         WHERE k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
                           AND k.table_name = tc.table_name) AS cols,
                       (SELECT string_agg(u.table_name::text || '(' || u.column_name::text || ')', ',' ORDER BY u.table_name, u.column_name)
                         FROM information_schema.constraint_column_usage u
                         WHERE u.constraint_schema = tc.constraint_schema AND u.constraint_name = tc.constraint_name) AS refs,
                       rc.delete_rule::text AS del
                FROM information_schema.table_constraints tc
                LEFT JOIN information_schema.referential_constraints rc
                  ON rc.constraint_schema = tc.constraint_schema AND rc.constraint_name = tc.constraint_name
                WHERE tc.table_schema = \(bind: schema) AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
                """).all().map { row in
                Constraint(
                    table: try text(row, "t") ?? "", type: try text(row, "type") ?? "", name: try text(row, "name") ?? "",
                    columns: try text(row, "cols"), referenced: try text(row, "refs"), deleteRule: try text(row, "del"))
            }
            let indexes = try await sql.raw("""
                SELECT tablename::text AS t, indexname::text AS name, indexdef AS def FROM pg_indexes WHERE schemaname = \(bind: schema)
                """).all().map { row in
                Index(table: try text(row, "t") ?? "", name: try text(row, "name") ?? "", definition: strip(try text(row, "def")) ?? "")
            }
            return SchemaShape(columns: columns, constraints: Set(constraints), indexes: Set(indexes))
        }
    }

    static let allowedExtraColumns: Set<String> = ["lessons.body", "courses.quiz_pass_percent", "quiz_results.client_attempt_id"]
    static let allowedExtraIndexes: Set<String> = ["idx_quiz_results_client_attempt"]

    @Test("The migrated PostgreSQL schema is the specification's, table by table", arguments: TestDatabase.postgresOnly)
    func matchesSpecification(_ database: TestDatabase) async throws {
        guard case .postgres(let url) = database else { return }
        let specSchema = try await PostgresAdmin.createSchema(url, prefix: "spec")
        do {
            try await Self.loadSpecification(into: specSchema, url: url)
            let spec = try await Self.shape(of: specSchema, url: url)
            #expect(Set(spec.columns.map(\.table)) == Set(Self.seedTables))

            try await withTestApplication(database) { app, settings in
                let migratedSchema = try #require(settings.postgresSchema)
                let migrated = try await Self.shape(of: migratedSchema, url: url)

                for table in Self.seedTables {
                    let specColumns = spec.columns.filter { $0.table == table }
                    let ours = migrated.columns.filter { $0.table == table }
                    #expect(!specColumns.isEmpty)
                    for column in specColumns {
                        let match = ours.first { $0.name == column.name }
                        #expect(match == column, "\(table).\(column.name): specification \(column), migrated \(match.map(\.description) ?? "missing")")
                    }
                    let extra = Set(ours.map { "\(table).\($0.name)" }).subtracting(specColumns.map { "\(table).\($0.name)" })
                    #expect(extra.isSubset(of: Self.allowedExtraColumns), "unexpected columns: \(extra.sorted())")
                    // The specification's columns keep its order; additions come after them.
                    #expect(ours.prefix(specColumns.count).map(\.name) == specColumns.map(\.name), "column order of \(table)")

                    let specConstraints = spec.constraints.filter { $0.table == table }
                    let ourConstraints = migrated.constraints.filter { $0.table == table }
                    #expect(!specConstraints.isEmpty)
                    #expect(
                        ourConstraints == specConstraints,
                        "\(table) constraints: missing \(specConstraints.subtracting(ourConstraints).map(\.description).sorted()), extra \(ourConstraints.subtracting(specConstraints).map(\.description).sorted())")

                    let specIndexes = spec.indexes.filter { $0.table == table }
                    let ourIndexes = migrated.indexes.filter { $0.table == table }
                    #expect(
                        specIndexes.isSubset(of: ourIndexes),
                        "\(table) indexes missing or different: \(specIndexes.subtracting(ourIndexes).map(\.description).sorted())")
                    let extraIndexes = Set(ourIndexes.subtracting(specIndexes).map(\.name))
                    #expect(extraIndexes.isSubset(of: Self.allowedExtraIndexes), "unexpected indexes on \(table): \(extraIndexes.sorted())")
                }
                // The allowed extras are really there, as documented.
                let extras = Set(migrated.columns.map { "\($0.table).\($0.name)" }).intersection(Self.allowedExtraColumns)
                #expect(extras == Self.allowedExtraColumns)
                #expect(migrated.indexes.contains {
                    $0.name == "idx_quiz_results_client_attempt" && $0.definition.contains("UNIQUE") && $0.definition.contains("(user_id, client_attempt_id)")
                })

                let sql = app.db as! any SQLDatabase
                let extensions = try await sql.raw("SELECT extname::text AS name FROM pg_extension").all().map { try $0.decode(column: "name", as: String.self) }
                #expect(extensions.contains("vector"), "pgvector is not installed: \(extensions)")
            }
        } catch {
            try? await PostgresAdmin.dropSchema(url, specSchema)
            throw error
        }
        try await PostgresAdmin.dropSchema(url, specSchema)
    }

    @Test("The specification fixture parses into its thirteen tables and nineteen indexes")
    func fixtureIsComplete() throws {
        let statements = try Self.specificationStatements()
        #expect(statements.filter { $0.hasPrefix("CREATE TABLE") }.count == 13)
        #expect(statements.filter { $0.hasPrefix("CREATE INDEX") || $0.hasPrefix("CREATE UNIQUE INDEX") }.count == 19)
    }
}
