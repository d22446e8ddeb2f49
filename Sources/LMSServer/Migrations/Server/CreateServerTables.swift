import FluentKit
import Foundation
import SQLKit

/// Refresh tokens, stored as SHA-256 hashes. Each refresh replaces the token with a new one of
/// the same family; presenting a replaced token again revokes the whole family (reuse detection).
struct CreateRefreshTokens: SQLMigration {
    let name = "017_create_refresh_tokens"
    let postgresUp = [
        """
        CREATE TABLE refresh_tokens (
          id UUID PRIMARY KEY,
          user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          family_id UUID NOT NULL,
          token_hash VARCHAR(64) UNIQUE NOT NULL,
          expires_at TIMESTAMPTZ NOT NULL,
          revoked_at TIMESTAMPTZ,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """,
        "CREATE INDEX idx_refresh_tokens_family ON refresh_tokens(family_id)",
    ]
    let postgresDown = ["DROP TABLE refresh_tokens"]
}

/// Mutations pushed by clients and already applied, with the result sent back, so that a replay
/// (the response was lost, the client retries) returns the same result and changes nothing.
struct CreateAppliedMutations: SQLMigration {
    let name = "018_create_applied_mutations"
    let postgresUp = [
        """
        CREATE TABLE applied_mutations (
          id UUID PRIMARY KEY,
          user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          client_id UUID NOT NULL,
          type VARCHAR(50) NOT NULL,
          result JSONB NOT NULL,
          applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """
    ]
    let postgresDown = ["DROP TABLE applied_mutations"]
}

/// The change log behind the sync feed: one row per change, numbered by a server sequence.
/// The client's cursor is a position in this sequence, never a wall-clock time, so clock skew and
/// transactions committing out of time order cannot make a client miss a change.
/// `user_id` is set for a learner's own records (progress, results, badges, purchases) and NULL
/// for catalog records everyone may see.
struct CreateSyncChanges: SQLMigration {
    let name = "019_create_sync_changes"
    let postgresUp = [
        """
        CREATE TABLE sync_changes (
          seq BIGSERIAL PRIMARY KEY,
          entity VARCHAR(50) NOT NULL,
          entity_id UUID NOT NULL,
          user_id UUID,
          op VARCHAR(10) NOT NULL,
          changed_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """,
        "CREATE INDEX idx_sync_changes_user_seq ON sync_changes(user_id, seq)",
        "CREATE INDEX idx_sync_changes_entity ON sync_changes(entity, entity_id)",
        // One row: the identity of this database's change sequence. Cursors carry it, so a
        // cursor from a wiped or different database is recognised (410) instead of misread.
        "CREATE TABLE sync_state (id INTEGER PRIMARY KEY, epoch UUID NOT NULL)",
    ]
    let postgresDown = ["DROP TABLE sync_state", "DROP TABLE sync_changes"]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for statement in SQLFlavor(sql) == .postgres ? postgresUp : sqliteUp {
            try await sql.raw(SQLQueryString(statement)).run()
        }
        try await sql.raw("INSERT INTO sync_state (id, epoch) VALUES (1, \(bind: UUID()))").run()
    }
}
