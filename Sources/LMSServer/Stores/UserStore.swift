import Foundation
import LMSKit
import SQLKit

/// Users, credentials and refresh tokens.
struct UserStore {
    let db: any SQLDatabase

    struct Credentials {
        let user: User
        let passwordHash: String
        let tenantUsable: Bool
    }

    /// A user who may try to sign in: not soft-deleted. Emails compare without case.
    func credentials(email: String) async throws -> Credentials? {
        let row = try await db.raw("""
            SELECT \(unsafeRaw: Columns.user), u.password_hash,
                   CASE WHEN \(unsafeRaw: AccountStatus.tenantUsable) THEN 1 ELSE 0 END AS tenant_usable
            FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id
            WHERE LOWER(u.email) = LOWER(\(bind: email)) AND u.deleted_at IS NULL
            """).first()
        guard let row else { return nil }
        return Credentials(
            user: try User(row: row), passwordHash: try row.value("password_hash"),
            tenantUsable: try row.value("tenant_usable", as: Int.self) == 1)
    }

    func user(id: UUID) async throws -> User? {
        try await db.raw("SELECT \(unsafeRaw: Columns.user) FROM users u WHERE u.id = \(bind: id) AND u.deleted_at IS NULL")
            .first().map(User.init(row:))
    }

    /// The id of the account with exactly this email, deleted or not.
    func id(ofEmail email: String) async throws -> UUID? {
        try await db.raw("SELECT id FROM users WHERE email = \(bind: email)").first()?.value("id", as: UUID.self)
    }

    func recordLogin(userID: UUID, at now: Date) async throws {
        try await db.raw("UPDATE users SET last_login_at = \(bind: now) WHERE id = \(bind: userID)").run()
    }

    // MARK: Refresh tokens

    struct StoredRefreshToken {
        let id: UUID
        let userID: UUID
        let familyID: UUID
        let expiresAt: Date
        let revokedAt: Date?
    }

    func insertRefreshToken(hash: String, userID: UUID, familyID: UUID, expiresAt: Date, now: Date) async throws {
        try await db.raw("""
            INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at)
            VALUES (\(bind: UUID()), \(bind: userID), \(bind: familyID), \(bind: hash), \(bind: expiresAt), \(bind: now))
            """).run()
    }

    func refreshToken(hash: String) async throws -> StoredRefreshToken? {
        guard let row = try await db.raw("""
            SELECT id, user_id, family_id, expires_at, revoked_at FROM refresh_tokens WHERE token_hash = \(bind: hash)
            """).first() else { return nil }
        return StoredRefreshToken(
            id: try row.value("id"), userID: try row.value("user_id"), familyID: try row.value("family_id"),
            expiresAt: try row.value("expires_at"), revokedAt: try row.optional("revoked_at"))
    }

    /// Marks one token used. Returns false when another request used it first.
    func revokeRefreshToken(id: UUID, at now: Date) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE refresh_tokens SET revoked_at = \(bind: now) WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func revokeFamily(_ familyID: UUID, at now: Date) async throws {
        try await db.raw("""
            UPDATE refresh_tokens SET revoked_at = \(bind: now) WHERE family_id = \(bind: familyID) AND revoked_at IS NULL
            """).run()
    }

    func groups(userID: UUID) async throws -> [Group] {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.group) FROM groups g JOIN user_groups ug ON ug.group_id = g.id
            WHERE ug.user_id = \(bind: userID) AND g.deleted_at IS NULL ORDER BY g.name
            """).all().map(Group.init(row:))
    }

    func tenant(id: UUID) async throws -> Tenant? {
        try await db.raw("SELECT \(unsafeRaw: Columns.tenant) FROM tenants t WHERE t.id = \(bind: id) AND t.deleted_at IS NULL")
            .first().map(Tenant.init(row:))
    }
}
