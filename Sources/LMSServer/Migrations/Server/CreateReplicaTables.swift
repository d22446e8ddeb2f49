import FluentKit
import Foundation
import SQLKit

/// Failed sign-ins per throttle key (a SHA-256 hash), shared by every replica: see `LoginThrottleStore`.
struct CreateLoginFailures: SQLMigration {
    let name = "021_create_login_failures"
    let postgresUp = [
        """
        CREATE TABLE login_failures (
          key_hash VARCHAR(64) PRIMARY KEY,
          failures INTEGER NOT NULL,
          window_started_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX idx_login_failures_window ON login_failures(window_started_at)",
    ]
    let postgresDown = ["DROP TABLE login_failures"]
}

/// Each change-log row records the transaction that wrote it, so the feed can serve only rows of
/// transactions older than every one still running (the horizon; see `SyncFeed`) instead of
/// making writers take turns. Two indexes serve the feed's two streams: catalog rows, and one
/// viewer's own rows, each in (transaction, sequence) order, so a pull never walks other
/// learners' rows. SQLite has one writer at a time: its rows all carry 0 and order by sequence.
struct AddSyncChangesTransaction: SQLMigration {
    let name = "022_add_sync_changes_xid"
    let postgresUp = [
        "ALTER TABLE sync_changes ADD COLUMN xid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint)",
        "DROP INDEX idx_sync_changes_user_seq",
        "CREATE INDEX idx_sync_changes_catalog ON sync_changes(xid, seq) WHERE user_id IS NULL",
        "CREATE INDEX idx_sync_changes_viewer ON sync_changes(user_id, xid, seq)",
    ]
    let postgresDown = [
        "DROP INDEX idx_sync_changes_viewer",
        "DROP INDEX idx_sync_changes_catalog",
        "CREATE INDEX idx_sync_changes_user_seq ON sync_changes(user_id, seq)",
        "ALTER TABLE sync_changes DROP COLUMN xid",
    ]
    let sqliteUp = [
        "ALTER TABLE sync_changes ADD COLUMN xid INTEGER NOT NULL DEFAULT 0",
        "DROP INDEX idx_sync_changes_user_seq",
        "CREATE INDEX idx_sync_changes_catalog ON sync_changes(xid, seq) WHERE user_id IS NULL",
        "CREATE INDEX idx_sync_changes_viewer ON sync_changes(user_id, xid, seq)",
    ]
    let sqliteDown = [
        "DROP INDEX idx_sync_changes_viewer",
        "DROP INDEX idx_sync_changes_catalog",
        "CREATE INDEX idx_sync_changes_user_seq ON sync_changes(user_id, seq)",
        "ALTER TABLE sync_changes DROP COLUMN xid",
    ]
}

/// Stripe events already handled, by event id: a replayed event (even correctly signed, within
/// the signature's tolerance) is acknowledged and changes nothing.
struct CreateStripeEvents: SQLMigration {
    let name = "023_create_stripe_events"
    let postgresUp = [
        """
        CREATE TABLE stripe_events (
          id VARCHAR(255) PRIMARY KEY,
          type VARCHAR(100) NOT NULL,
          received_at TIMESTAMPTZ NOT NULL
        )
        """
    ]
    let postgresDown = ["DROP TABLE stripe_events"]
}
