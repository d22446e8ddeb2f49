import Crypto
import Foundation
import LMSKit
import Logging
import SQLKit

/// A backup as `backup --list` shows it; `sha256` is nil for an object that carries none (it
/// was not made by `lms-server backup`, or not finished), which is never restored.
public struct ListedBackup: Sendable, Equatable {
    public var key: BackupKey
    public var bytes: Int64
    public var sha256: String?
}

/// Backs up, lists, prunes and restores the configured database in the configured bucket,
/// logging each step as a JSON line. The blocking parts (processes, libcurl) run on threads of
/// their own, never on the server's event loops.
public struct BackupService: Sendable {
    public let settings: BackupSettings
    let database: ServerSettings.Database
    let sql: any SQLDatabase
    let logger: Logger
    let isCancelled: @Sendable () -> Bool

    public init(
        settings: BackupSettings, database: ServerSettings.Database, sql: any SQLDatabase, logger: Logger,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) {
        self.settings = settings
        self.database = database
        self.sql = sql
        self.logger = logger
        self.isCancelled = isCancelled
    }

    private var location: String { "s3://\(settings.bucket)/\(settings.prefix)" }

    // MARK: Backing up

    /// One full backup, verified, then the pruning retention allows. Nothing is pruned unless
    /// this run's backup was stored and verified.
    public func backUp(now: Date = Date()) async throws -> (stored: StoredBackup, pruned: [BackupKey]) {
        let start = ContinuousClock.now
        logger.info("backup started", metadata: ["destination": .string(location), "database": .string(database.kind)])
        let stored: StoredBackup
        do {
            switch database {
            case .postgres(let url):
                let tools = try await postgresTools(databaseURL: url)
                let key = BackupKey(prefix: settings.prefix, time: now, fileExtension: "dump")
                let partSize = BackupUploader.partSize(forEstimatedBytes: try await store.databaseBytes())
                stored = try await onThread { [self] in
                    try BackupUploader(client: client(), partSize: partSize).upload(try PostgresDumpSource(tools: tools), as: key)
                }
            case .sqlite(let path):
                stored = try await backUpSQLite(path: path, key: BackupKey(prefix: settings.prefix, time: now, fileExtension: "sqlite"))
            case .sqliteInMemory:
                throw BackupFailure("an in-memory database cannot be backed up: give the server a SQLite file or a PostgreSQL database")
            }
        } catch {
            let reason = Self.sentence(for: error, settings: settings)
            logger.error("backup failed", metadata: ["reason": .string(reason), "duration_ms": .stringConvertible(Self.milliseconds(ContinuousClock.now - start))])
            throw BackupFailure(reason)
        }
        logger.info("backup stored", metadata: [
            "key": .string(stored.key.description), "bytes": .stringConvertible(stored.bytes),
            "duration_ms": .stringConvertible(Self.milliseconds(ContinuousClock.now - start)), "sha256": .string(stored.sha256),
        ])
        do {
            return (stored, try await prune(keeping: stored.key, now: now))
        } catch {
            throw BackupFailure("\(stored.key) was stored and verified, but pruning failed: \(Self.sentence(for: error, settings: settings))")
        }
    }

    private func backUpSQLite(path: String, key: BackupKey) async throws -> StoredBackup {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupFailure("there is no database at \(path) to back up") }
        // VACUUM INTO writes a consistent copy while the server keeps serving; it sits beside
        // the database, on a disk known to hold one.
        let copy = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(".\(key.name).partial").path
        try? FileManager.default.removeItem(atPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        do {
            try await store.copySQLite(to: copy)
        } catch {
            throw BackupFailure("SQLite could not copy the database to \(copy): \(String(describing: error))")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int64) ?? 0
        let partSize = BackupUploader.partSize(forEstimatedBytes: size)
        return try await onThread { [self] in try BackupUploader(client: client(), partSize: partSize).upload(try FileSource(path: copy), as: key) }
    }

    // MARK: Listing and pruning

    /// The stored backups, newest first, each with its size and checksum.
    public func list() async throws -> [ListedBackup] {
        do {
            return try await onThread { [self] in try listBackups(client()) }
        } catch {
            throw BackupFailure(Self.sentence(for: error, settings: settings))
        }
    }

    /// The backup keys under the prefix, newest first (one listing, no HEAD requests).
    private func backupKeys(_ client: S3Client) throws -> [BackupKey] {
        try client.list(prefix: BackupKey.listingPrefix(settings.prefix))
            .compactMap { BackupKey(key: $0.key, prefix: settings.prefix) }.sorted(by: >)
    }

    private func listBackups(_ client: S3Client) throws -> [ListedBackup] {
        try backupKeys(client).compactMap { key in
            // Gone between the listing and now: pruned by another replica.
            guard let head = try client.head(key.description) else { return nil }
            return ListedBackup(key: key, bytes: head.bytes, sha256: head.metadata["sha256"])
        }
    }

    /// Deletes the backups retention lets go: only when a verified backup (`keeping`, or else
    /// the newest carrying a checksum) stays. Also clears what killed runs left in `incoming/`
    /// after a day, when no upload can still be going on.
    public func prune(keeping verified: BackupKey? = nil, now: Date = Date()) async throws -> [BackupKey] {
        let pruned: [BackupKey]
        do {
            pruned = try await onThread { [self] in
                let client = client()
                let keys = try backupKeys(client)
                // Just verified by this run, or else the newest carrying a checksum (read by HEAD).
                guard let newest = try verified ?? listBackups(client).first(where: { $0.sha256 != nil })?.key else {
                    throw BackupFailure("no verified backup is stored in \(location), so nothing was pruned")
                }
                let expired = RetentionPolicy.expired(keys, verifiedNewest: newest, days: settings.retentionDays, now: now)
                for key in expired { try client.delete(key.description) }
                clearAbandoned(client, now: now)
                return expired
            }
        } catch {
            let reason = Self.sentence(for: error, settings: settings)
            logger.error("prune failed", metadata: ["reason": .string(reason)])
            throw BackupFailure(reason)
        }
        logger.info("backups pruned", metadata: [
            "pruned": .array(pruned.map { .string($0.description) }), "retention_days": .stringConvertible(settings.retentionDays),
        ])
        return pruned
    }

    private func clearAbandoned(_ client: S3Client, now: Date) {
        let dayAgo = now.addingTimeInterval(-86400)
        let incoming = BackupKey.incomingPrefix(settings.prefix)
        for upload in (try? client.listMultipartUploads(prefix: incoming)) ?? [] where (upload.initiated ?? now) < dayAgo {
            try? client.abortMultipartUpload(upload.key, uploadID: upload.uploadID)
        }
        for object in (try? client.list(prefix: incoming)) ?? [] {
            let name = String(object.key.dropFirst(incoming.count))
            if let key = BackupKey(key: name, prefix: ""), key.time < dayAgo { try? client.delete(object.key) }
        }
    }

    // MARK: Restoring

    /// Restores `name` (a key, a key's last part, or `latest`) into the configured database,
    /// which must be empty. The bytes are checked against the checksum stored with them before
    /// anything is committed: PostgreSQL restores in one transaction that cannot commit before
    /// the last bytes, held back until the checksum matched; SQLite is downloaded beside the
    /// database and moved into place only when it matched.
    public func restore(_ name: String) async throws -> StoredBackup {
        let start = ContinuousClock.now
        do {
            let (key, head) = try await onThread { [self] in try find(name, client: client()) }
            guard let sha256 = head.metadata["sha256"] else {
                throw BackupFailure("\(key) carries no SHA-256 checksum, so it cannot be verified and was not restored")
            }
            let backup = StoredBackup(key: key, bytes: head.bytes, sha256: sha256)
            logger.info("restore started", metadata: ["key": .string(key.description), "bytes": .stringConvertible(head.bytes)])
            switch database {
            case .postgres(let url):
                guard key.fileExtension == "dump" else { throw BackupFailure("\(key) is a SQLite backup, but the configured database is PostgreSQL") }
                try await requireEmptyPostgres()
                let tools = try await postgresTools(databaseURL: url)
                try await onThread { [self] in try restorePostgres(backup, tools: tools, client: client()) }
            case .sqlite(let path):
                guard key.fileExtension == "sqlite" else { throw BackupFailure("\(key) is a PostgreSQL backup, but the configured database is SQLite") }
                try await requireEmptySQLite(path: path)
                try await onThread { [self] in try restoreSQLite(backup, path: path, client: client()) }
            case .sqliteInMemory:
                throw BackupFailure("an in-memory database cannot be restored into")
            }
            logger.info("restore finished", metadata: [
                "key": .string(key.description), "bytes": .stringConvertible(head.bytes), "sha256": .string(sha256),
                "duration_ms": .stringConvertible(Self.milliseconds(ContinuousClock.now - start)),
            ])
            return backup
        } catch {
            let reason = Self.sentence(for: error, settings: settings)
            logger.error("restore failed", metadata: ["reason": .string(reason)])
            throw BackupFailure(reason)
        }
    }

    private func find(_ name: String, client: S3Client) throws -> (BackupKey, ObjectHead) {
        if name == "latest" {
            guard let newest = try listBackups(client).first(where: { $0.sha256 != nil }) else {
                throw BackupFailure("there is no verified backup in \(location) to restore")
            }
            return (newest.key, ObjectHead(bytes: newest.bytes, metadata: ["sha256": newest.sha256!]))
        }
        guard let key = BackupKey(key: name, prefix: settings.prefix) ?? BackupKey(key: name, prefix: "").map({
            BackupKey(prefix: settings.prefix, time: $0.time, fileExtension: $0.fileExtension)
        }) else {
            throw BackupFailure("'\(name)' is not a backup key: expected lms-YYYYMMDDTHHMMSSZ.dump or .sqlite (see backup --list), or latest")
        }
        guard let head = try client.head(key.description) else { throw BackupFailure("there is no backup \(key) in s3://\(settings.bucket)") }
        return (key, head)
    }

    private func restorePostgres(_ backup: StoredBackup, tools: PostgresTools, client: S3Client) throws {
        let restore = try ToolProcess(
            executable: tools.pgRestore,
            arguments: ["--dbname=\(tools.connection)", "--no-password", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"],
            environment: tools.environment, readOutput: false, writeInput: true)
        var received = DownloadCheck()
        // The archive's last bytes stay here until the checksum matched: without them
        // pg_restore cannot finish, so its transaction cannot commit.
        let holdBack = 1 << 16
        var tail = Data()
        // A damaged archive can make pg_restore stop (or crash) early: the download goes on to
        // the end all the same, so the checksum, the cause, is what gets reported.
        var restoreStopped = false
        do {
            try client.get(backup.key.description) { bytes in
                received.add(bytes)
                guard !restoreStopped else { return }
                tail.append(contentsOf: bytes)
                if tail.count >= 4 * holdBack {
                    do {
                        try tail.prefix(tail.count - holdBack).withUnsafeBytes { try restore.write($0) }
                    } catch is ToolStoppedReading {
                        restoreStopped = true
                    }
                    tail = Data(tail.suffix(holdBack))
                }
            }
        } catch {
            restore.kill()
            _ = restore.wait()
            throw BackupFailure("\(Self.sentence(for: error, settings: settings)); nothing was restored")
        }
        do {
            try received.verify(backup)
        } catch {
            restore.kill()
            _ = restore.wait()
            throw error
        }
        if restoreStopped { throw Self.restoreFailed(restore) }
        do {
            try tail.withUnsafeBytes { try restore.write($0) }
        } catch {
            throw Self.restoreFailed(restore)
        }
        restore.closeInput()
        guard restore.wait() == 0 else { throw Self.restoreFailed(restore) }
    }

    /// pg_restore ended with an error (read once it has exited, so its last words are in).
    private static func restoreFailed(_ restore: ToolProcess) -> BackupFailure {
        restore.closeInput()
        _ = restore.wait()
        return BackupFailure("pg_restore failed (\(restore.ending))\(restore.lastError.map { ": \($0)" } ?? ""); its transaction was rolled back, the database is unchanged")
    }

    private func restoreSQLite(_ backup: StoredBackup, path: String, client: S3Client) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let download = directory.appendingPathComponent(".\(backup.key.name).partial").path
        guard FileManager.default.createFile(atPath: download, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: download)
        else { throw BackupFailure("cannot write \(download)") }
        defer { try? FileManager.default.removeItem(atPath: download) }
        var received = DownloadCheck()
        do {
            try client.get(backup.key.description) { bytes in
                received.add(bytes)
                try handle.write(contentsOf: bytes)
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw BackupFailure("\(Self.sentence(for: error, settings: settings)); nothing was restored")
        }
        try received.verify(backup)
        for suffix in ["-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        guard rename(download, path) == 0 else {
            throw BackupFailure("cannot move the restored database into \(path): \(String(cString: strerror(errno)))")
        }
    }

    // MARK: The database

    private var store: BackupDatabaseStore { BackupDatabaseStore(db: sql) }

    /// pg_dump and pg_restore of the database server's major version.
    private func postgresTools(databaseURL: String) async throws -> PostgresTools {
        try PostgresTools.locate(
            databaseURL: databaseURL, serverMajorVersion: try await store.serverMajorVersion(), pgDumpPath: settings.pgDumpPath,
            path: ProcessInfo.processInfo.environment["PATH"])
    }

    private func requireEmptyPostgres() async throws {
        let names = try await store.userRelations()
        guard names.isEmpty else {
            throw BackupFailure("the database is not empty (\(Words.count(names.count, "table or sequence", plural: "tables and sequences")), such as \(names.prefix(3).joined(separator: ", "))): restore only into an empty database, made with dropdb and createdb")
        }
    }

    private func requireEmptySQLite(path: String) async throws {
        guard FileManager.default.fileExists(atPath: path),
              let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0
        else { return }
        let names = try await store.userRelations()
        guard names.isEmpty else {
            throw BackupFailure("the database at \(path) is not empty (\(Words.count(names.count, "table")), such as \(names.prefix(3).joined(separator: ", "))): move it away and restore into a new file")
        }
    }

    // MARK: Support

    func client() -> S3Client { S3Client(settings: settings, isCancelled: isCancelled) }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// One sentence for any failure, naming what the operator can change.
    static func sentence(for error: any Error, settings: BackupSettings) -> String {
        switch error {
        case let failure as BackupFailure:
            return failure.message
        case let failure as S3Failure:
            let endpoint = settings.endpoint?.absoluteString ?? "AWS S3 (\(settings.region))"
            switch failure {
            case .unreachable(let endpoint, let reason):
                return "cannot reach the storage at \(endpoint) (\(reason)): check LMS_BACKUP_ENDPOINT and the network"
            case .interrupted(let reason):
                return "the connection to \(endpoint) broke during the transfer (\(reason))"
            case .refused(_, let code, _) where ["InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"].contains(code):
                return "the storage at \(endpoint) refused the credentials (\(code)): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            case .refused(_, "AccessDenied", _):
                return "the credentials may not use the bucket '\(settings.bucket)' (AccessDenied): give them read, write and delete access to it"
            case .refused(_, "NoSuchBucket", _):
                return "the bucket '\(settings.bucket)' does not exist at \(endpoint): create it, or fix LMS_BACKUP_URL"
            case .refused(let status, let code, let message):
                return "the storage at \(endpoint) answered \(status) \(code)\(message.isEmpty ? "" : ": \(message)")"
            case .cancelled:
                return "stopped by a signal before the transfer finished"
            }
        case is CancellationError:
            return "stopped before the transfer finished"
        default:
            return String(describing: error)
        }
    }
}

/// A download's bytes as they pass, counted and hashed, then held to the backup's checksum.
private struct DownloadCheck {
    private var hash = SHA256()
    private var total: Int64 = 0

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        hash.update(bufferPointer: bytes)
        total += Int64(bytes.count)
    }

    func verify(_ backup: StoredBackup) throws {
        let digest = S3Client.hex(hash.finalize())
        guard digest == backup.sha256, total == backup.bytes else {
            throw BackupFailure("\(backup.key) does not match its checksum (SHA-256 \(digest.prefix(12))… of \(total) bytes instead of \(backup.sha256.prefix(12))… of \(backup.bytes)): the object is damaged, nothing was restored")
        }
    }
}

/// Runs blocking work (processes, libcurl) on a thread of its own.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
