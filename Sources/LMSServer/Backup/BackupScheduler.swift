import Foundation
import Logging
import Vapor

/// The daily backup of `serve` at `LMS_BACKUP_AT` (UTC). Every replica wakes at that time; the
/// first to take the backup lock makes the backup, and one that takes it later sees that
/// backup's key at or after the slot and stands down, so a slot gets one backup.
final class BackupScheduler: LifecycleHandler, @unchecked Sendable {
    private let task: Task<Void, Never>
    /// Set on shutdown: a backup in progress aborts its upload instead of outliving the server.
    private let stopping = StopFlag()

    init(app: Application, settings: BackupSettings, dailyAt: DailyTime) {
        let logger = app.logger
        let stopping = stopping
        task = Task {
            logger.notice("backups scheduled", metadata: [
                "daily_at_utc": .string(Self.clock(dailyAt)), "destination": .string("s3://\(settings.bucket)/\(settings.prefix)"),
            ])
            while !Task.isCancelled {
                let slot = dailyAt.next(after: Date())
                do {
                    try await Task.sleep(for: .seconds(max(0, slot.timeIntervalSinceNow)))
                } catch {
                    return
                }
                await Self.run(slot: slot, app: app, settings: settings, isCancelled: { stopping.isStopped })
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        stopping.stop()
        task.cancel()
        await task.value
    }

    static func run(slot: Date, app: Application, settings: BackupSettings, isCancelled: @escaping @Sendable () -> Bool = { false }) async {
        let service = BackupService(
            settings: settings, database: app.lmsSettings.database, sql: app.db.sql, logger: app.logger, isCancelled: isCancelled)
        do {
            let stored = try await AdvisoryLock.backups.ifFree(app) { () async throws -> StoredBackup? in
                let existing = try await service.list()
                if existing.contains(where: { $0.key.time >= slot && $0.sha256 != nil }) { return nil }
                return try await service.backUp().stored
            }
            guard let made = stored ?? nil else {
                app.logger.info("scheduled backup left to another replica", metadata: ["slot": .string(BackupKey.format(slot))])
                return
            }
            app.serverMetrics.backupFinished(stored: made, at: Date())
        } catch {
            // BackupService has logged the reason; tomorrow's slot tries again.
            app.serverMetrics.backupFinished(stored: nil, at: Date())
            app.logger.warning("scheduled backup did not complete", metadata: ["slot": .string(BackupKey.format(slot))])
        }
    }

    private static func clock(_ time: DailyTime) -> String {
        let s = time.secondsAfterMidnight
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}

/// A flag set once, from any thread: a signal or a shutdown asking a backup to stop.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    func stop() { lock.withLock { stopped = true } }
    var isStopped: Bool { lock.withLock { stopped } }
}
