import Crypto
import Foundation
import LMSKit
import LMSTestSupport
import SQLKit
import Testing
import Vapor

@testable import LMSServer

/// `lms-server backup` against a real S3-compatible server (moto, checking signatures), on
/// SQLite and on PostgreSQL 16 with the real pg_dump and pg_restore.
@Suite("Backups", .serialized)
struct BackupTests {
    // MARK: Round trip

    @Test("Back up, drop the database, restore: every table's rows come back; a second restore is refused", arguments: TestDatabase.all)
    func roundTrip(_ database: TestDatabase) async throws {
        try await withBackupTarget(database) { target in
            let before = try await withTestServer(database, settings: { target.use(in: &$0) }) { server in
                let token = try await server.token(DemoAccounts.learner)
                let quiz = try await server.unlockSwiftQuiz(token: token)
                let answers = try await server.correctAnswers(quiz: quiz)
                let attempt = try await server.post("/api/v1/lessons/\(quiz)/quiz/attempts", token: token, body: QuizSubmission(clientAttemptID: UUID(), answers: answers))
                #expect(attempt.status == .created)
                return try await TableFingerprint.all(server.sql)
            }
            #expect((before["user_progress"]?.rows ?? 0) >= 5 && (before["quiz_results"]?.rows ?? 0) == 1 && (before["user_badges"]?.rows ?? 0) >= 1)

            let backup = try await target.run(["backup", "--json"])
            #expect(backup.status == 0, "\(backup.output)")
            let lines = jsonLines(backup.output)
            let stored = try #require(lines.first { $0["stored"] != nil }?["stored"] as? [String: Any], "\(backup.output)")
            let key = try #require(stored["key"] as? String)
            let sha256 = try #require(stored["sha256"] as? String)
            #expect(key.hasPrefix("\(target.prefix)/lms-") && key.hasSuffix(database.isPostgres ? ".dump" : ".sqlite"))
            // The log: start, then the key, bytes, duration and checksum; never the secret key.
            let log = try #require(lines.first { $0["msg"] as? String == "backup stored" })
            #expect(log["key"] as? String == key && log["sha256"] as? String == sha256 && log["bytes"] != nil && log["duration_ms"] != nil)
            #expect(lines.contains { $0["msg"] as? String == "backup started" })
            #expect(!backup.output.contains(target.s3.secretAccessKey))

            let listing = try await target.run(["backup", "--list", "--json"])
            let backups = try #require(jsonLines(listing.output).first { $0["backups"] != nil }?["backups"] as? [[String: Any]])
            #expect(backups.count == 1 && backups.first?["key"] as? String == key && backups.first?["sha256"] as? String == sha256)

            try await target.recreate()
            let restore = try await target.run(["backup", "--restore", "latest", "--yes"])
            #expect(restore.status == 0, "\(restore.output)")
            #expect(restore.output.contains("Restored \(key)"))
            let after = try await target.fingerprint()
            #expect(after == before)

            let again = try await target.run(["backup", "--restore", key, "--yes"])
            #expect(again.status == 1)
            #expect(again.output.contains("is not empty"), "\(again.output)")
            #expect(try await target.fingerprint() == before)
        }
    }

    @Test("A backup whose bytes no longer match its checksum is refused, and nothing is left in the database", arguments: TestDatabase.all)
    func checksumMismatchIsRefused(_ database: TestDatabase) async throws {
        try await withBackupTarget(database) { target in
            // Enough rows that pg_restore has received most of the archive before the end.
            try await withTestServer(database, settings: { target.use(in: &$0) }) { server in
                try await SyntheticSeeder(db: server.sql, passwordHash: "x", now: Date()).seed(courses: 30)
            }
            let backup = try await target.run(["backup"])
            #expect(backup.status == 0, "\(backup.output)")
            let client = S3Client(settings: target.settings)
            let key = try #require(try target.storedKeys().first)
            let head = try #require(try client.head(key))
            #expect(head.bytes > 300_000, "the archive is too small to test the held-back tail")
            var original = Data()
            try client.get(key) { original.append(contentsOf: $0) }
            // One byte flipped inside the data (pg_restore may read on, fail or crash), and the
            // archive's header broken (pg_restore stops at once): either way the checksum is the
            // reason given, and nothing is left behind.
            for position in [original.count / 10, 0] {
                var damaged = original
                damaged[position] ^= 0xFF
                try damaged.withUnsafeBytes { try client.putObject(key, body: $0, metadata: head.metadata) }
                try await target.recreate()
                let restore = try await target.run(["backup", "--restore", String(key.split(separator: "/").last!), "--yes"])
                #expect(restore.status == 1)
                #expect(restore.output.contains("does not match its checksum"), "byte \(position): \(restore.output)")
                #expect(try await target.relations() == [])
            }
        }
    }

    // MARK: Retention

    @Test("--prune leaves exactly the backups younger than 7 days, plus the newest whatever its age")
    func retention() async throws {
        try await withBackupTarget(.sqlite) { target in
            let client = S3Client(settings: target.settings)
            let now = Date()
            func store(daysOld days: Double, checksum: Bool = true) throws -> BackupKey {
                let key = BackupKey(prefix: target.prefix, time: now.addingTimeInterval(-days * 86400 - 60), fileExtension: "sqlite")
                let body = Data("backup \(days)".utf8)
                try body.withUnsafeBytes {
                    try client.putObject(key.description, body: $0, metadata: checksum ? ["sha256": S3Client.hex(SHA256.hash(data: body))] : [:])
                }
                return key
            }
            let keys = try (1...10).map { try store(daysOld: Double($0)) }
            // Not backups: left alone, except a killed run's leftover in incoming/ after a day.
            let notes = "\(target.prefix)/notes.txt"
            try Data("keep me".utf8).withUnsafeBytes { try client.putObject(notes, body: $0, metadata: [:]) }
            let leftover = BackupKey(prefix: target.prefix, time: now.addingTimeInterval(-2 * 86400), fileExtension: "dump").incoming
            try Data("half".utf8).withUnsafeBytes { try client.putObject(leftover, body: $0, metadata: [:]) }

            let prune = try await target.run(["backup", "--prune", "--json"])
            #expect(prune.status == 0, "\(prune.output)")
            let pruned = try #require(jsonLines(prune.output).first { $0["pruned"] != nil && $0["msg"] == nil }?["pruned"] as? [String])
            #expect(Set(pruned) == Set(keys[6...].map(\.description)), "\(pruned)")
            #expect(try target.storedKeys() == (keys[..<6].map(\.description) + [notes]).sorted())

            // All older than the retention: only the newest stays.
            for key in keys[..<6] { try client.delete(key.description) }
            let old = try (8...10).map { try store(daysOld: Double($0)) }
            let second = try await target.run(["backup", "--prune"])
            #expect(second.status == 0, "\(second.output)")
            #expect(try target.storedKeys() == [old[0].description, notes].sorted())

            // Without a verified backup, nothing is deleted.
            try client.delete(old[0].description)
            let unverified = try (8...9).map { try store(daysOld: Double($0), checksum: false) }
            let refused = try await target.run(["backup", "--prune"])
            #expect(refused.status == 1)
            #expect(refused.output.contains("no verified backup"), "\(refused.output)")
            #expect(try target.storedKeys() == (unverified.map(\.description) + [notes]).sorted())
        }
    }

    // MARK: Failures

    @Test("Wrong credentials, a missing bucket, an unreachable endpoint: one sentence, exit 1, nothing stored or pruned")
    func storageFailures() async throws {
        try await withBackupTarget(.sqlite) { target in
            try await withTestServer(.sqlite, settings: { target.use(in: &$0) }) { _ in }
            let old = BackupKey(prefix: target.prefix, time: Date().addingTimeInterval(-20 * 86400), fileExtension: "sqlite")
            let body = Data("old".utf8)
            try body.withUnsafeBytes { try S3Client(settings: target.settings).putObject(old.description, body: $0, metadata: ["sha256": S3Client.hex(SHA256.hash(data: body))]) }

            let cases: [(environment: [String: String], says: String)] = [
                (["AWS_SECRET_ACCESS_KEY": "not-the-secret"], "refused the credentials (SignatureDoesNotMatch): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
                (["AWS_ACCESS_KEY_ID": "AKIANOSUCHKEY"], "refused the credentials (InvalidAccessKeyId)"),
                (["LMS_BACKUP_URL": "s3://no-such-bucket/\(target.prefix)"], "The bucket 'no-such-bucket' does not exist"),
                (["LMS_BACKUP_ENDPOINT": "http://127.0.0.1:\(try freeLoopbackPort())"], "Cannot reach the storage at http://127.0.0.1:"),
            ]
            for (environment, says) in cases {
                let run = try await target.run(["backup"], environment: environment)
                #expect(run.status == 1, "\(environment)")
                let sentence = run.output.split(separator: "\n").filter { $0.hasPrefix("lms-server backup: ") }
                #expect(sentence.count == 1 && sentence.first?.contains(says) == true, "\(run.output)")
                #expect(!run.output.contains("not-the-secret") && !run.output.contains(target.s3.secretAccessKey))
                #expect(jsonLines(run.output).contains { $0["msg"] as? String == "backup failed" && ($0["reason"] as? String)?.isEmpty == false })
                #expect(try target.storedKeys() == [old.description])
            }
        }
    }

    @Test("pg_dump of another major version is refused; one failing midway stores nothing and prunes nothing", arguments: TestDatabase.postgresOnly)
    func pgDumpFailures(_ database: TestDatabase) async throws {
        let realDump = try #require(BackupTarget.pgDump, "LMS_TEST_PG_BIN must name PostgreSQL 16's bin folder (scripts/test.sh sets it)")
        let scripts = FileManager.default.temporaryDirectory.appendingPathComponent("lms-pgdump-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scripts) }
        try await withBackupTarget(database) { target in
            try await withTestServer(database, settings: { target.use(in: &$0) }) { server in
                try await SyntheticSeeder(db: server.sql, passwordHash: "x", now: Date()).seed(courses: 5)
            }
            let old = BackupKey(prefix: target.prefix, time: Date().addingTimeInterval(-20 * 86400), fileExtension: "dump")
            let body = Data("old".utf8)
            try body.withUnsafeBytes { try S3Client(settings: target.settings).putObject(old.description, body: $0, metadata: ["sha256": S3Client.hex(SHA256.hash(data: body))]) }

            try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
            // An older pg_dump: the Debian one when this machine has it, else one that says so.
            let olderDump: String
            if FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/15/bin/pg_dump") {
                olderDump = "/usr/lib/postgresql/15/bin/pg_dump"
            } else {
                olderDump = try Self.script(in: scripts, "pg_dump15/pg_dump", "echo 'pg_dump (PostgreSQL) 15.8'")
            }
            let mismatch = try await target.run(["backup"], environment: ["LMS_PG_DUMP": olderDump])
            #expect(mismatch.status == 1)
            #expect(mismatch.output.contains("is PostgreSQL 15 but the database server runs PostgreSQL 16: set LMS_PG_DUMP to a pg_dump 16"), "\(mismatch.output)")

            // The real pg_dump, cut after 20 KB of its archive and then failing.
            let failing = try Self.script(in: scripts, "failing/pg_dump", """
                [ "$1" = "--version" ] && exec '\(realDump)' --version
                '\(realDump)' "$@" | head -c 20000
                echo "pg_dump: error: connection to server lost" >&2
                exit 1
                """)
            _ = try Self.script(in: scripts, "failing/pg_restore", "exec '\(realDump.replacingOccurrences(of: "pg_dump", with: "pg_restore"))' \"$@\"")
            let midway = try await target.run(["backup"], environment: ["LMS_PG_DUMP": failing])
            #expect(midway.status == 1)
            #expect(midway.output.contains("lms-server backup: pg_dump failed after 20 KB (exit status 1): pg_dump: error: connection to server lost"), "\(midway.output)")
            #expect(try target.storedKeys() == [old.description])

            // A restore whose pg_restore fails: said with its words, and the database stays empty.
            let backup = try await target.run(["backup"])
            #expect(backup.status == 0, "\(backup.output)")
            let refusing = try Self.script(in: scripts, "refusing/pg_dump", "exec '\(realDump)' \"$@\"")
            _ = try Self.script(in: scripts, "refusing/pg_restore", """
                [ "$1" = "--version" ] && exec '\(realDump.replacingOccurrences(of: "pg_dump", with: "pg_restore"))' --version
                head -c 1000 > /dev/null
                echo 'pg_restore: error: could not execute query: ERROR:  permission denied for database' >&2
                exit 1
                """)
            try await target.recreate()
            let restore = try await target.run(["backup", "--restore", "latest", "--yes"], environment: ["LMS_PG_DUMP": refusing])
            #expect(restore.status == 1)
            #expect(restore.output.contains("pg_restore failed (exit status 1): pg_restore: error: could not execute query: ERROR:  permission denied for database; its transaction was rolled back"), "\(restore.output)")
            #expect(try await target.relations() == [])
        }
    }

    static func script(in folder: URL, _ name: String, _ body: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    // MARK: Uploads

    @Test("Multipart: parts uploaded while the source is read, copied part by part to the key with its checksum, bytes intact")
    func multipartUpload() async throws {
        try await withBackupTarget(.sqlite) { target in
            let client = S3Client(settings: target.settings)
            let settings = target.settings
            let key = BackupKey(prefix: target.prefix, time: Date(), fileExtension: "dump")
            let size = 12 << 20 + 12345
            let stored = try await onThread {
                try BackupUploader(client: S3Client(settings: settings), partSize: 5 << 20, singleCopyLimit: 6 << 20, copyPartSize: 5 << 20)
                    .upload(GeneratedSource(count: size), as: key)
            }
            let expected = GeneratedSource.bytes(size)
            #expect(stored == StoredBackup(key: key, bytes: Int64(size), sha256: S3Client.hex(SHA256.hash(data: expected))))
            var received = Data()
            try client.get(key.description) { received.append(contentsOf: $0) }
            #expect(received == expected)
            #expect(try client.head(key.description)?.metadata["sha256"] == stored.sha256)
            #expect(try target.storedKeys() == [key.description])
            #expect(try client.listMultipartUploads(prefix: target.prefix + "/").isEmpty)
        }
    }

    @Test("A source failing midway: the multipart upload is aborted, nothing is visible")
    func sourceFailingMidway() async throws {
        try await withBackupTarget(.sqlite) { target in
            let client = S3Client(settings: target.settings)
            let settings = target.settings
            let source = GeneratedSource(count: 20 << 20, failAfter: 11 << 20)
            let key = BackupKey(prefix: target.prefix, time: Date(), fileExtension: "dump")
            do {
                _ = try await onThread { try BackupUploader(client: S3Client(settings: settings), partSize: 5 << 20).upload(source, as: key) }
                Issue.record("the upload succeeded from a failing source")
            } catch {
                #expect(error as? BackupFailure == BackupFailure("the generator failed on purpose"))
            }
            #expect(source.cancelled)
            let keys = try target.storedKeys()
            let pending = try client.listMultipartUploads(prefix: target.prefix + "/")
            #expect(keys == [] && pending == [])
        }
    }

    @Test("The network cut during an upload: a clear failure, and no backup visible")
    func networkCutDuringUpload() async throws {
        try await withBackupTarget(.sqlite) { target in
            let port = try #require(URL(string: target.s3.endpoint)?.port)
            let script = try #require(Bundle.module.url(forResource: "cutting_proxy", withExtension: "py", subdirectory: "Fixtures"))
            let (proxy, input, line) = try await PythonFixture.start(script, arguments: [String(port), String(7 << 20)])
            defer { try? input.fileHandleForWriting.close(); proxy.terminate() }
            var settings = target.settings
            settings.endpoint = URL(string: "http://127.0.0.1:\(line)")
            let proxied = settings
            let key = BackupKey(prefix: target.prefix, time: Date(), fileExtension: "dump")
            do {
                _ = try await onThread { try BackupUploader(client: S3Client(settings: proxied), partSize: 5 << 20).upload(GeneratedSource(count: 16 << 20), as: key) }
                Issue.record("the upload succeeded through a cut network")
            } catch {
                let sentence = BackupService.sentence(for: error, settings: settings)
                #expect(sentence.contains("broke during the transfer") || sentence.contains("Cannot reach") || sentence.contains("cannot reach"), "\(sentence)")
            }
            // Seen directly, past the proxy: no backup, nothing in incoming/.
            #expect(try target.storedKeys() == [])
        }
    }

    // MARK: Schedule

    @Test("Two replicas waking for the same slot make one backup between them", arguments: TestDatabase.postgresOnly)
    func replicasShareTheDailyBackup(_ database: TestDatabase) async throws {
        try await withBackupTarget(database) { target in
            try await withTestServer(database, settings: { target.use(in: &$0) }) { first in
                var settings = first.settings
                settings.backup = target.settings
                let second = try await TestApplication.make(settings, logs: LogCapture())
                let slot = Date().addingTimeInterval(-1)
                async let a: Void = BackupScheduler.run(slot: slot, app: first.app, settings: target.settings)
                async let b: Void = BackupScheduler.run(slot: slot, app: second, settings: target.settings)
                _ = await (a, b)
                await BackupScheduler.run(slot: slot, app: second, settings: target.settings)
                try await second.asyncShutdown()
            }
            let keys = try target.storedKeys()
            #expect(keys.count == 1, "\(keys)")
        }
    }

    @Test("serve makes the daily backup at LMS_BACKUP_AT")
    func serveBacksUpAtTheScheduledTime() async throws {
        try await withBackupTarget(.sqlite) { target in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let at = calendar.dateComponents([.hour, .minute, .second], from: Date().addingTimeInterval(5))
            let time = String(format: "%02d:%02d:%02d", at.hour!, at.minute!, at.second!)
            let server = try await ServerProcess.serve(environment: target.environment.merging(["LMS_BACKUP_AT": time]) { $1 })
            defer { server.stop() }
            var keys: [String] = []
            for _ in 0..<100 where keys.isEmpty {
                try await Task.sleep(for: .milliseconds(200))
                keys = try target.storedKeys()
            }
            #expect(keys.count == 1 && keys.first?.hasSuffix(".sqlite") == true, "\(server.output)")
            #expect(server.output.contains("\"msg\":\"backups scheduled\""))
            // What an operator alerts on: the last success, from /metrics.
            var metrics = ""
            for _ in 0..<50 where !metrics.contains("lms_backups_total{result=\"stored\"} 1") {
                metrics = try ReplicaTests.curl(.get, server.url + "/metrics").body
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(metrics.contains("lms_backups_total{result=\"stored\"} 1"), "\(metrics)")
            let stamp = metrics.split(separator: "\n").first { $0.hasPrefix("lms_backup_last_success_timestamp_seconds ") }
            let seconds = stamp.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
            #expect(abs(seconds - Date().timeIntervalSince1970) < 60, "\(stamp ?? "no timestamp")")
        }
    }
}

@Suite("Backup settings and keys")
struct BackupSettingsTests {
    let base = ["LMS_BACKUP_URL": "s3://lms-backups/prod/db", "AWS_ACCESS_KEY_ID": "AKIA1", "AWS_SECRET_ACCESS_KEY": "secret"]

    @Test("The environment: bucket and prefix, R2's endpoint and region, retention, schedule")
    func fromEnvironment() throws {
        #expect(try BackupSettings.fromEnvironment([:]) == nil)
        let aws = try #require(try BackupSettings.fromEnvironment(base))
        #expect(aws.bucket == "lms-backups" && aws.prefix == "prod/db" && aws.endpoint == nil && aws.region == "us-east-1")
        #expect(aws.retentionDays == 7 && aws.dailyAt == nil)
        #expect(!aws.description.contains("secret"))
        let r2 = try #require(try BackupSettings.fromEnvironment(base.merging([
            "LMS_BACKUP_ENDPOINT": "https://acct.r2.cloudflarestorage.com/", "LMS_BACKUP_RETENTION_DAYS": "14", "LMS_BACKUP_AT": "02:30",
        ]) { $1 }))
        #expect(r2.endpoint?.absoluteString == "https://acct.r2.cloudflarestorage.com" && r2.region == "auto")
        #expect(r2.retentionDays == 14 && r2.dailyAt == DailyTime("02:30:00"))
        #expect(S3Client(settings: r2).url(key: "prod/db/lms-20261202T020000Z.dump", query: [("uploadId", "a/b+c"), ("partNumber", "2")])
            == "https://acct.r2.cloudflarestorage.com/lms-backups/prod/db/lms-20261202T020000Z.dump?partNumber=2&uploadId=a%2Fb%2Bc")
        #expect(S3Client(settings: aws).url(key: nil, query: [("prefix", "prod/db/lms-"), ("list-type", "2")])
            == "https://lms-backups.s3.us-east-1.amazonaws.com/?list-type=2&prefix=prod%2Fdb%2Flms-")
        var dotted = aws
        dotted.bucket = "backups.example.com"
        #expect(S3Client(settings: dotted).url(key: "k", query: []) == "https://s3.us-east-1.amazonaws.com/backups.example.com/k")
    }

    @Test("Bad settings are refused with a sentence naming the variable", arguments: [
        (["LMS_BACKUP_URL": "https://bucket/x"], "LMS_BACKUP_URL must look like s3://BUCKET/PREFIX"),
        (["LMS_BACKUP_URL": "s3://UPPER/x"], "not a valid bucket name"),
        (["LMS_BACKUP_URL": "s3://ab/x"], "not a valid bucket name"),
        (["AWS_SECRET_ACCESS_KEY": ""], "AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is not"),
        (["LMS_BACKUP_RETENTION_DAYS": "0"], "LMS_BACKUP_RETENTION_DAYS must be a whole number of days, at least 1"),
        (["LMS_BACKUP_AT": "25:00"], "LMS_BACKUP_AT must be a time of day in UTC"),
        (["LMS_BACKUP_ENDPOINT": "ftp://x"], "LMS_BACKUP_ENDPOINT must be an http(s) URL"),
        (["LMS_BACKUP_URL": "", "LMS_BACKUP_AT": "02:00"], "LMS_BACKUP_AT is set but LMS_BACKUP_URL is not"),
    ])
    func refused(_ change: [String: String], _ says: String) throws {
        #expect {
            try BackupSettings.fromEnvironment(base.merging(change) { $1 })
        } throws: { error in
            (error as? ConfigurationError)?.message.contains(says) == true
        }
    }

    @Test("Production refuses a plain-HTTP endpoint beyond this machine")
    func productionNeedsHTTPS() throws {
        var arguments = ["lms-server", "backup"]
        let environment = base.merging(["LMS_JWT_SECRET": ServerSettings.randomSecret(), "LMS_BACKUP_ENDPOINT": "http://storage.example.com"]) { $1 }
        var settings = try ServerSettings.fromEnvironment(environment, arguments: &arguments)
        #expect { try settings.validate() } throws: { ($0 as? ConfigurationError)?.message.contains("must use https in production") == true }
        var local = try ServerSettings.fromEnvironment(environment.merging(["LMS_BACKUP_ENDPOINT": "http://127.0.0.1:9000"]) { $1 }, arguments: &arguments)
        _ = try local.validate()
    }

    @Test("Signature V4 matches AWS's published example (GET Object with a Range)")
    func signatureMatchesAWSExample() throws {
        let signer = SigV4Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let headers = signer.sign(
            method: "GET", path: "/test.txt", query: "",
            headers: [("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9"), ("x-amz-content-sha256", empty)],
            payloadHash: empty, date: try #require(BackupKey.parse("20130524T000000Z")))
        #expect(headers.first { $0.0 == "authorization" }?.1 == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("Keys carry their UTC time to the second; other keys are not backups")
    func keys() throws {
        let time = try #require(BackupKey.parse("20261202T020304Z"))
        let key = BackupKey(prefix: "prod", time: time.addingTimeInterval(0.9), fileExtension: "dump")
        #expect(key.description == "prod/lms-20261202T020304Z.dump" && key.incoming == "prod/incoming/lms-20261202T020304Z.dump")
        #expect(BackupKey(key: key.description, prefix: "prod") == key)
        #expect(BackupKey(key: "lms-20261202T020304Z.sqlite", prefix: "")?.fileExtension == "sqlite")
        for other in ["prod/notes.txt", "prod/lms-2026120T020304Z.dump", "prod/lms-20261302T020304Z.dump", "prod/lms-20261202T020304Z.", "other/lms-20261202T020304Z.dump", "prod/incoming/lms-20261202T020304Z.dump"] {
            #expect(BackupKey(key: other, prefix: "prod") == nil, "\(other)")
        }
    }

    @Test("Parts are 5 MB (two in memory) until a backup would need more than 10,000 of them")
    func partSizes() {
        #expect(BackupUploader.partSize(forEstimatedBytes: 0) == 5 << 20)
        #expect(BackupUploader.partSize(forEstimatedBytes: 40 << 30) == 5 << 20)
        #expect(BackupUploader.partSize(forEstimatedBytes: 100 << 30) == 12 << 20)
        #expect(Int64(BackupUploader.partSize(forEstimatedBytes: 100 << 30)) * 10_000 >= 100 << 30)
    }

    @Test("Retention: older than the days goes, the newest verified stays")
    func retentionPolicy() throws {
        let now = try #require(BackupKey.parse("20261202T120000Z"))
        let keys = (0...9).map { BackupKey(prefix: "", time: now.addingTimeInterval(-Double($0) * 86400 - 1), fileExtension: "dump") }
        #expect(RetentionPolicy.expired(keys, verifiedNewest: keys[0], days: 7, now: now) == keys[7...].sorted())
        let old = Array(keys[8...])
        #expect(RetentionPolicy.expired(old, verifiedNewest: old[0], days: 7, now: now) == [old[1]])
    }

    @Test("The daily time: the next moment at that time of day, UTC")
    func dailyTime() throws {
        let at = try #require(DailyTime("02:00"))
        let before = try #require(BackupKey.parse("20261202T013000Z"))
        let after = try #require(BackupKey.parse("20261202T020000Z"))
        #expect(at.next(after: before) == BackupKey.parse("20261202T020000Z"))
        #expect(at.next(after: after) == BackupKey.parse("20261203T020000Z"))
        for bad in ["2", "24:00", "02:60", "02:00:61", "aa:bb", "02:00:00:00"] { #expect(DailyTime(bad) == nil, "\(bad)") }
    }
}
