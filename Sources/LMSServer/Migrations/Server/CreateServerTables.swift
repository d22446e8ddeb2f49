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
        let sql = database.sql
        for statement in SQLFlavor(sql) == .postgres ? postgresUp : sqliteUp {
            try await sql.raw(SQLQueryString(statement)).run()
        }
        try await sql.raw("INSERT INTO sync_state (id, epoch) VALUES (1, \(bind: UUID()))").run()
    }
}

/// A version per course, raised in the same transaction as any change to its chapters or lessons,
/// by triggers, so that no writer (the API, the seeders, an admin's SQL) can forget it. The server
/// keeps encoded outlines in memory and serves one only while its version is current; the version
/// is read in the query that fetches the course anyway, so checking it costs no round trip.
/// Statement-level triggers with transition tables: a bulk insert of 100,000 lessons raises each
/// course once. No foreign key: a cascade deleting a course's chapters fires these triggers after
/// the course row is gone, and a version row left for a deleted course is harmless.
/// PostgreSQL only: SQLite builds outlines through SQLKit, uncached.
struct CreateCourseStructureVersions: SQLMigration {
    let name = "020_create_course_structure_versions"
    let postgresUp = [
        """
        CREATE TABLE course_structure_versions (
          course_id UUID PRIMARY KEY,
          version BIGINT NOT NULL
        )
        """,
        // Sorted ids: two statements raising the same courses lock their rows in the same order.
        """
        CREATE FUNCTION lms_raise_structure_versions(course_ids UUID[]) RETURNS void LANGUAGE sql AS $$
          INSERT INTO course_structure_versions AS v (course_id, version)
          SELECT id, 1 FROM (SELECT DISTINCT unnest(course_ids) AS id) ids WHERE id IS NOT NULL ORDER BY id
          ON CONFLICT (course_id) DO UPDATE SET version = v.version + 1
        $$
        """,
        """
        CREATE FUNCTION lms_chapters_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM lms_raise_structure_versions(ARRAY(SELECT course_id FROM new_rows));
          END IF;
          IF TG_OP IN ('DELETE', 'UPDATE') THEN
            PERFORM lms_raise_structure_versions(ARRAY(SELECT course_id FROM old_rows));
          END IF;
          RETURN NULL;
        END
        $$
        """,
        """
        CREATE FUNCTION lms_lessons_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM lms_raise_structure_versions(ARRAY(
              SELECT ch.course_id FROM new_rows l JOIN chapters ch ON ch.id = l.chapter_id));
          END IF;
          IF TG_OP IN ('DELETE', 'UPDATE') THEN
            PERFORM lms_raise_structure_versions(ARRAY(
              SELECT ch.course_id FROM old_rows l JOIN chapters ch ON ch.id = l.chapter_id));
          END IF;
          RETURN NULL;
        END
        $$
        """,
        // TRUNCATE has no transition table: every course's version goes up.
        """
        CREATE FUNCTION lms_structure_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM lms_raise_structure_versions(ARRAY(SELECT id FROM courses));
          RETURN NULL;
        END
        $$
        """,
    ] + ["chapters", "lessons"].flatMap { table in
        [
            """
            CREATE TRIGGER lms_\(table)_inserted AFTER INSERT ON \(table)
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lms_\(table)_changed()
            """,
            """
            CREATE TRIGGER lms_\(table)_updated AFTER UPDATE ON \(table)
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lms_\(table)_changed()
            """,
            """
            CREATE TRIGGER lms_\(table)_deleted AFTER DELETE ON \(table)
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lms_\(table)_changed()
            """,
            """
            CREATE TRIGGER lms_\(table)_truncated AFTER TRUNCATE ON \(table)
            FOR EACH STATEMENT EXECUTE FUNCTION lms_structure_truncated()
            """,
        ]
    }
    let postgresDown = ["chapters", "lessons"].flatMap { table in
        ["inserted", "updated", "deleted", "truncated"].map { "DROP TRIGGER lms_\(table)_\($0) ON \(table)" }
    } + [
        "DROP FUNCTION lms_structure_truncated()",
        "DROP FUNCTION lms_lessons_changed()",
        "DROP FUNCTION lms_chapters_changed()",
        "DROP FUNCTION lms_raise_structure_versions(UUID[])",
        "DROP TABLE course_structure_versions",
    ]
    let sqliteUp: [String] = []
    let sqliteDown: [String] = []
}
