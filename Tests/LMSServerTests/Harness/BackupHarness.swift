import Crypto
import FluentPostgresDriver
import Foundation
import LMSKit
import LMSTestSupport
import SQLKit
import Testing
import Vapor

@testable import LMSServer

/// moto's S3 server on loopback (Fixtures/s3_server.py), checking signatures as AWS does; one
/// for the whole test process, which it outlives by no more than its standard input.
actor S3TestServer {
    static let shared = S3TestServer()
    static let bucket = "lms-backups"

    struct Credentials: Sendable {
        var endpoint: String
        var accessKeyID: String
        var secretAccessKey: String
    }

    private var started: Task<Credentials, any Error>?
    private var keepAlive: [Any] = []

    func credentials() async throws -> Credentials {
        if started == nil { started = Task { try await start() } }
        return try await started!.value
    }

    private func start() async throws -> Credentials {
        let script = try #require(Bundle.module.url(forResource: "s3_server", withExtension: "py", subdirectory: "Fixtures"))
        let (process, input, line) = try await PythonFixture.start(script, arguments: [Self.bucket])
        keepAlive = [process, input]
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        guard let endpoint = object?["endpoint"], let key = object?["access_key_id"], let secret = object?["secret_access_key"] else {
            throw TestFailure("s3_server.py said '\(line)'")
        }
        return Credentials(endpoint: endpoint, accessKeyID: key, secretAccessKey: secret)
    }
}

/// A Python helper of Fixtures/ as a child process: the first line it prints, and the pipe that
/// keeps it running (it stops when its standard input closes, with the test process at the latest).
enum PythonFixture {
    static func start(_ script: URL, arguments: [String]) async throws -> (Process, Pipe, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let reading = Task.detached { () -> String in
            var line = Data()
            while true {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
                if line.contains(0x0A) { break }
            }
            return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let line = await reading.value
        guard !line.isEmpty else {
            let text = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw TestFailure("\(script.lastPathComponent) did not start (is moto installed? pip install 'moto[server]'): \(text.suffix(2000))")
        }
        // Its log is not read: let it drain into nothing rather than fill the pipe.
        Thread.detachNewThread { while !errors.fileHandleForReading.availableData.isEmpty {} }
        return (process, input, line)
    }
}

/// A database of its own for one backup test (a PostgreSQL database, not a schema: pg_dump
/// backs up whole databases), a prefix of its own in the bucket, and `lms-server` runs on both.
struct BackupTarget: Sendable {
    let database: TestDatabase
    let prefix: String
    let s3: S3TestServer.Credentials
    /// PostgreSQL: the database's URL; SQLite: the file's path.
    let location: String
    let adminURL: String?

    static func make(_ database: TestDatabase) async throws -> BackupTarget {
        let s3 = try await S3TestServer.shared.credentials()
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        switch database {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("lms-backup-\(id)/lms.sqlite").path
            return BackupTarget(database: database, prefix: "t-\(id)", s3: s3, location: path, adminURL: nil)
        case .postgres(let url):
            let name = "lms_backup_\(id)"
            try await PostgresAdmin.withConnection(url) { sql in try await sql.raw("CREATE DATABASE \(ident: name)").run() }
            var components = try #require(URLComponents(string: url))
            components.path = "/" + name
            return BackupTarget(database: database, prefix: "t-\(id)", s3: s3, location: try #require(components.string), adminURL: url)
        }
    }

    var serverDatabase: ServerSettings.Database {
        adminURL == nil ? .sqlite(path: location) : .postgres(url: location)
    }

    var settings: BackupSettings {
        BackupSettings(
            bucket: S3TestServer.bucket, prefix: prefix, endpoint: URL(string: s3.endpoint), region: "us-east-1",
            accessKeyID: s3.accessKeyID, secretAccessKey: s3.secretAccessKey, retentionDays: 7, dailyAt: nil, pgDumpPath: Self.pgDump)
    }

    /// Points a test server's settings at this database, with backups configured.
    func use(in settings: inout ServerSettings) {
        settings.database = serverDatabase
        settings.postgresSchema = nil
        settings.backup = self.settings
    }

    /// The environment `lms-server backup` runs with: production, as operators run it.
    var environment: [String: String] {
        var environment = [
            "LMS_ENV": "production", "LMS_JWT_SECRET": ServerSettings.randomSecret(), "LOG_LEVEL": "info",
            "LMS_BACKUP_URL": "s3://\(S3TestServer.bucket)/\(prefix)", "LMS_BACKUP_ENDPOINT": s3.endpoint,
            "AWS_ACCESS_KEY_ID": s3.accessKeyID, "AWS_SECRET_ACCESS_KEY": s3.secretAccessKey, "AWS_REGION": "us-east-1",
            "LMS_BACKUP_AT": "", "LMS_PG_SCHEMA": "",
        ]
        if adminURL == nil {
            environment["DATABASE_URL"] = ""
            environment["LMS_SQLITE_PATH"] = location
        } else {
            environment["DATABASE_URL"] = location
        }
        if let pgDump = Self.pgDump { environment["LMS_PG_DUMP"] = pgDump }
        return environment
    }

    /// The pg_dump matching the test server (`scripts/test.sh` sets LMS_TEST_PG_BIN).
    static var pgDump: String? {
        ProcessInfo.processInfo.environment["LMS_TEST_PG_BIN"].flatMap { $0.isEmpty ? nil : "\($0)/pg_dump" }
    }

    /// Runs `lms-server ARGUMENTS` to its end: exit status, and stdout and stderr together.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let process = try ServerProcess.run(arguments, environment: environment.merging(extra) { $1 })
        defer { process.stop() }
        return try await process.finish()
    }

    /// Drops the database and makes it again, empty (SQLite: removes the file).
    func recreate() async throws {
        if let adminURL {
            let name = String(location.split(separator: "/").last!)
            try await PostgresAdmin.withConnection(adminURL) { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
                try await sql.raw("CREATE DATABASE \(ident: name)").run()
            }
        } else {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: location + suffix) }
        }
    }

    func remove() async {
        if let adminURL {
            let name = String(location.split(separator: "/").last!)
            _ = try? await PostgresAdmin.withConnection(adminURL) { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
            }
        } else {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: location).deletingLastPathComponent().path)
        }
        // The bucket outlives the test; its prefix is the test's alone.
        let client = S3Client(settings: settings)
        for object in (try? client.list(prefix: prefix + "/")) ?? [] { try? client.delete(object.key) }
    }

    /// Every table's row count and a checksum of its rows.
    func fingerprint() async throws -> [String: TableFingerprint] {
        try await withApplication { try await TableFingerprint.all($0) }
    }

    /// The tables, views and sequences in the database (empty after `recreate`).
    func relations() async throws -> [String] {
        if adminURL == nil, !FileManager.default.fileExists(atPath: location) { return [] }
        return try await withApplication { try await BackupDatabaseStore(db: $0).userRelations() }
    }

    /// Runs `body` on a server application opened on this database (nothing migrated).
    private func withApplication<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        var settings = ServerSettings(mode: .development, database: serverDatabase, autoMigrate: false)
        settings.signingKey = TokenSigningKey(id: "test", secret: ServerSettings.randomSecret())
        let app = try await TestApplication.make(settings, logs: LogCapture())
        let result: Result<T, any Error>
        do { result = .success(try await body(app.db.sql)) } catch { result = .failure(error) }
        try await app.asyncShutdown()
        return try result.get()
    }

    /// The keys stored under this test's prefix, backups or not.
    func storedKeys() throws -> [String] {
        try S3Client(settings: settings).list(prefix: prefix + "/").map(\.key).sorted()
    }
}

/// Runs `body` with a new `BackupTarget`, and always removes its database and objects.
func withBackupTarget<T>(_ database: TestDatabase, _ body: (BackupTarget) async throws -> T) async throws -> T {
    let target = try await BackupTarget.make(database)
    let result: Result<T, any Error>
    do { result = .success(try await body(target)) } catch { result = .failure(error) }
    await target.remove()
    return try result.get()
}

/// A table's row count and a SHA-256 over its rows in a fixed order.
struct TableFingerprint: Equatable, Sendable, CustomStringConvertible {
    var rows: Int
    var checksum: String
    var description: String { "\(rows) rows, \(checksum.prefix(12))" }

    static func all(_ sql: any SQLDatabase) async throws -> [String: TableFingerprint] {
        var result: [String: TableFingerprint] = [:]
        if SQLFlavor(sql) == .postgres {
            let tables = try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'").all()
                .map { try $0.decode(column: "name", as: String.self) }
            for table in tables {
                let row = try #require(try await sql.raw("""
                    SELECT COUNT(*) AS n, md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM \(ident: table) t
                    """).first())
                result[table] = TableFingerprint(rows: try row.decode(column: "n", as: Int.self), checksum: try row.decode(column: "h", as: String.self))
            }
        } else {
            let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                .map { try $0.decode(column: "name", as: String.self) }
            for table in tables {
                let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all().map { try $0.decode(column: "name", as: String.self) }
                let expression = columns.map { "quote(\"\($0)\")" }.joined(separator: " || ',' || ")
                let rows = try await sql.raw("SELECT \(unsafeRaw: expression) AS r FROM \(ident: table) ORDER BY 1").all()
                var hash = SHA256()
                for row in rows { hash.update(data: Data((try row.decode(column: "r", as: String.self) + "|").utf8)) }
                result[table] = TableFingerprint(rows: rows.count, checksum: hash.finalize().map { String(format: "%02x", $0) }.joined())
            }
        }
        return result
    }
}

/// A backup source of `count` reproducible pseudo-random bytes that can fail after `failAfter`.
final class GeneratedSource: BackupSource, @unchecked Sendable {
    private var produced = 0
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let count: Int
    let failAfter: Int?
    private(set) var cancelled = false

    init(count: Int, failAfter: Int? = nil) {
        self.count = count
        self.failAfter = failAfter
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failAfter, produced >= failAfter { throw BackupFailure("the generator failed on purpose") }
        let length = min(buffer.count, count - produced, 65536)
        for index in 0..<length {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            buffer[index] = UInt8(truncatingIfNeeded: state >> 33)
        }
        produced += length
        return length
    }

    func finish() throws {}
    func cancel() { cancelled = true }

    /// The bytes the source produces, for comparing with what was stored.
    static func bytes(_ count: Int) -> Data {
        let source = GeneratedSource(count: count)
        var data = Data(count: count)
        var filled = 0
        data.withUnsafeMutableBytes { raw in
            while filled < count { filled += try! source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...])) }
        }
        return data
    }
}

/// The lines of `output` that are JSON objects (the command's result and the log's lines).
func jsonLines(_ output: String) -> [[String: Any]] {
    output.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("{") else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }
}
