import FluentPostgresDriver
import Foundation
import Testing

/// The databases every API test runs against: SQLite always, PostgreSQL when
/// `LMS_TEST_DATABASE_URL` is set (`bash scripts/test.sh` starts one and sets it).
package enum TestDatabase: Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres(url: String)

    package static var postgresURL: String? {
        ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    package static var all: [TestDatabase] {
        [.sqlite] + (postgresURL.map { [.postgres(url: $0)] } ?? [])
    }

    /// Only PostgreSQL (empty when it is not configured).
    package static var postgresOnly: [TestDatabase] {
        postgresURL.map { [.postgres(url: $0)] } ?? []
    }

    package var isPostgres: Bool {
        if case .postgres = self { true } else { false }
    }

    package var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }
}

/// Direct connections to the test PostgreSQL server, outside any Application: creating and
/// dropping the per-test schemas, and loading the specification's DDL.
package enum PostgresAdmin {
    package static func withConnection<T: Sendable>(
        _ url: String, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let configuration = try SQLPostgresConfiguration(url: url)
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration.coreConfiguration, id: 1,
            logger: Logger(label: "lms.tests.postgres-admin")
        ).get()
        do {
            let result = try await body(connection.sql())
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A fresh, empty schema with a random name.
    package static func createSchema(_ url: String, prefix: String = "t") async throws -> String {
        try await PostgresBootstrap.shared.prepare(url)
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await withConnection(url) { sql in try await sql.raw("CREATE SCHEMA \(ident: name)").run() }
        return name
    }

    package static func dropSchema(_ url: String, _ name: String) async throws {
        try await withConnection(url) { sql in try await sql.raw("DROP SCHEMA IF EXISTS \(ident: name) CASCADE").run() }
    }
}

/// Once per test process: installs pgvector in `public`, so that the server's
/// `CREATE EXTENSION IF NOT EXISTS vector` finds it there instead of creating it inside (and
/// dropping it with) one test's schema while other tests run.
package actor PostgresBootstrap {
    package static let shared = PostgresBootstrap()
    private var done: Task<Void, any Error>?

    package func prepare(_ url: String) async throws {
        if done == nil {
            done = Task {
                try await PostgresAdmin.withConnection(url) { sql in
                    if try await sql.raw("SELECT 1 AS present FROM pg_available_extensions WHERE name = 'vector'").first() != nil {
                        try await sql.raw("CREATE EXTENSION IF NOT EXISTS vector SCHEMA public").run()
                    }
                }
            }
        }
        try await done!.value
    }
}
