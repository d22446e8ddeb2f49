import Fluent
import Foundation
import LMSKit
import Vapor

/// `lms-server backup [--list | --prune | --restore KEY --yes] [--json]`: one full backup of the
/// database to the configured bucket (then pruning), or one of the other operations. Exits 0
/// only when what was asked is done; otherwise one sentence on stderr (and, with `--json`, an
/// error object on stdout) and exit status 1.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "list", help: "List the stored backups, newest first.")
        var list: Bool
        @Flag(name: "prune", help: "Only delete the backups older than the retention (the newest always stays).")
        var prune: Bool
        @Option(name: "restore", help: "Restore this backup (a key from --list, or latest) into the empty configured database; needs --yes.")
        var restore: String?
        @Flag(name: "json", help: "Print the result as JSON.")
        var json: Bool
        init() {}
    }

    let help = "Back up the database to S3 or R2 (LMS_BACKUP_URL), list, prune or restore backups."

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let output = BackupOutput(console: context.console, json: signature.json)
        guard let settings = app.lmsSettings.backup else {
            output.fail("backups are not configured: set LMS_BACKUP_URL=s3://BUCKET/PREFIX, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and LMS_BACKUP_ENDPOINT for R2)", code: "not_configured")
            throw ExitCode(2)
        }
        let operations = [signature.list, signature.prune, signature.restore != nil].filter { $0 }.count
        guard operations <= 1 else {
            output.fail("choose one of --list, --prune and --restore", code: "usage")
            throw ExitCode(2)
        }
        // Console Kit takes `--yes` (and `-y`) for itself, as the answer to any confirmation.
        if signature.restore != nil, context.console.confirmOverride != true {
            output.fail("--restore writes the whole backup into the configured database: add --yes to confirm", code: "usage")
            throw ExitCode(2)
        }
        let stop = StopSignals()
        let service = BackupService(
            settings: settings, database: app.lmsSettings.database, sql: app.db.sql, logger: app.logger, isCancelled: { stop.received })
        do {
            if signature.list {
                output.list(try await service.list())
            } else if signature.prune {
                guard let pruned = try await AdvisoryLock.backups.ifFree(app, { try await service.prune() }) else { throw BackupLockHeld() }
                output.pruned(pruned)
            } else if let name = signature.restore {
                guard let restored = try await AdvisoryLock.backups.ifFree(app, { try await service.restore(name) }) else { throw BackupLockHeld() }
                output.restored(restored)
            } else {
                guard let result = try await AdvisoryLock.backups.ifFree(app, { try await service.backUp() }) else { throw BackupLockHeld() }
                output.stored(result.stored, pruned: result.pruned)
            }
        } catch let failure as BackupFailure {
            output.fail(failure.message, code: "backup_failed")
            throw ExitCode(1)
        } catch is BackupLockHeld {
            output.fail("another backup, prune or restore is running (it holds the backup lock): try again when it ends", code: "busy")
            throw ExitCode(1)
        }
    }
}

private struct BackupLockHeld: Error {}

/// What the command prints: sentences for people, or one JSON document with `--json`.
private struct BackupOutput {
    let console: any Console
    let json: Bool

    func stored(_ backup: StoredBackup, pruned: [BackupKey]) {
        if json { return print(["stored": object(backup), "pruned": pruned.map(\.description)]) }
        console.print("Stored \(backup.key) (\(Words.bytes(backup.bytes)), SHA-256 \(backup.sha256)).")
        console.print(pruned.isEmpty ? "Nothing to prune." : "Pruned \(Words.count(pruned.count, "old backup")): \(pruned.map(\.name).joined(separator: ", ")).")
    }

    func list(_ backups: [ListedBackup]) {
        if json {
            return print(["backups": backups.map { backup -> [String: Any] in
                ["key": backup.key.description, "time": ISO8601.format(backup.key.time), "bytes": backup.bytes,
                 "sha256": backup.sha256 as Any? ?? NSNull()]
            }])
        }
        guard !backups.isEmpty else { return console.print("No backups stored yet.") }
        for backup in backups {
            let time = ISO8601.format(backup.key.time)
            console.print("\(backup.key)  \(time)  \(Words.bytes(backup.bytes))  \(backup.sha256 ?? "no checksum: not restorable")")
        }
    }

    func pruned(_ keys: [BackupKey]) {
        if json { return print(["pruned": keys.map(\.description)]) }
        console.print(keys.isEmpty ? "Nothing to prune." : "Pruned \(Words.count(keys.count, "old backup")): \(keys.map(\.name).joined(separator: ", ")).")
    }

    func restored(_ backup: StoredBackup) {
        if json { return print(["restored": object(backup)]) }
        console.print("Restored \(backup.key) (\(Words.bytes(backup.bytes)), checksum verified).")
    }

    func fail(_ message: String, code: String) {
        // A sentence starts with a capital, unless it starts with a name (pg_dump, a path).
        let firstWord = message.prefix { $0 != " " }
        let capital = firstWord.allSatisfy(\.isLetter) ? message.prefix(1).uppercased() + message.dropFirst() : message
        let sentence = capital + (message.hasSuffix(".") ? "" : ".")
        if json { print(["error": ["code": code, "message": sentence]]) }
        console.error("lms-server backup: \(sentence)")
    }

    private func object(_ backup: StoredBackup) -> [String: Any] {
        ["key": backup.key.description, "bytes": backup.bytes, "sha256": backup.sha256]
    }

    private func print(_ value: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// SIGINT and SIGTERM stop a run between requests (the upload in progress is then aborted)
/// instead of killing it with a multipart upload left open.
private final class StopSignals: @unchecked Sendable {
    let flag = StopFlag()
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber)
            source.setEventHandler { [flag] in flag.stop() }
            source.resume()
            sources.append(source)
        }
    }

    var received: Bool { flag.isStopped }
}
