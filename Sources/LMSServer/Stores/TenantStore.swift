import Foundation
import LMSKit
import SQLKit

/// One tenant's administration: its users, seats, groups, membership and purchases. Every
/// statement is scoped to `tenantID`, so an id from another tenant finds nothing.
struct TenantStore {
    let db: any SQLDatabase
    let tenantID: UUID

    // MARK: Users

    func users() async throws -> [User] {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.user) FROM users u WHERE u.tenant_id = \(bind: tenantID) AND u.deleted_at IS NULL ORDER BY u.email
            """).all().map(User.init(row:))
    }

    /// Whether an account (of any tenant, deleted or not) already has this email, compared without case.
    func emailTaken(_ email: String) async throws -> Bool {
        try await db.raw("SELECT id FROM users WHERE LOWER(email) = LOWER(\(bind: email))").first() != nil
    }

    /// Adds a member, taking one of the tenant's seats (409 when none is left).
    func insert(_ user: User, passwordHash: String, now: Date) async throws {
        try await takeSeat(now: now)
        try await db.raw("""
            INSERT INTO users (id, email, password_hash, first_name, last_name, role, status, tenant_id, created_at, updated_at)
            VALUES (\(bind: user.id), \(bind: user.email), \(bind: passwordHash), \(bind: user.firstName), \(bind: user.lastName),
                    \(bind: user.role.rawValue), \(bind: user.status.rawValue), \(bind: tenantID), \(bind: now), \(bind: now))
            """).run()
    }

    /// The member after the change, or nil when no such member exists.
    func updateUser(_ id: UUID, role: UserRole?, status: UserStatus?, now: Date) async throws -> User? {
        try await db.raw("""
            UPDATE users AS u SET role = COALESCE(\(bind: role?.rawValue), role), status = COALESCE(\(bind: status?.rawValue), status),
                   updated_at = \(bind: now)
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL
            RETURNING \(unsafeRaw: Columns.returning(Columns.user, alias: "u"))
            """).first().map(User.init(row:))
    }

    /// Soft delete: the member can no longer sign in, their seat is freed and their sessions end;
    /// their records stay. False when no such member exists.
    func deleteUser(_ id: UUID, now: Date) async throws -> Bool {
        let deleted = try await db.raw("""
            UPDATE users SET deleted_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL RETURNING id
            """).all()
        guard !deleted.isEmpty else { return false }
        try await db.raw("""
            UPDATE tenants SET seats_used = seats_used - 1, updated_at = \(bind: now) WHERE id = \(bind: tenantID) AND seats_used > 0
            """).run()
        try await db.raw("UPDATE refresh_tokens SET revoked_at = \(bind: now) WHERE user_id = \(bind: id) AND revoked_at IS NULL").run()
        return true
    }

    func hasUser(_ id: UUID) async throws -> Bool {
        try await db.raw("SELECT id FROM users WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL").first() != nil
    }

    // MARK: Seats

    /// Takes one seat atomically (the UPDATE only succeeds while seats remain), or fails with 409.
    func takeSeat(now: Date) async throws {
        let taken = try await db.raw("""
            UPDATE tenants SET seats_used = seats_used + 1, updated_at = \(bind: now)
            WHERE id = \(bind: tenantID) AND seats_used < seats_purchased RETURNING id
            """).all()
        guard !taken.isEmpty else {
            throw APIFailure.conflict("All seats of this tenant are in use; buy more seats or remove a user", code: .seatsExhausted)
        }
    }

    /// The tenant with its new seat count, or nil when more seats are in use than that.
    func setSeatsPurchased(_ seats: Int, now: Date) async throws -> Tenant? {
        try await db.raw("""
            UPDATE tenants AS t SET seats_purchased = \(bind: seats), updated_at = \(bind: now)
            WHERE id = \(bind: tenantID) AND seats_used <= \(bind: seats)
            RETURNING \(unsafeRaw: Columns.returning(Columns.tenant, alias: "t"))
            """).first().map(Tenant.init(row:))
    }

    // MARK: Groups

    func groups() async throws -> [Group] {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.group) FROM groups g WHERE g.tenant_id = \(bind: tenantID) AND g.deleted_at IS NULL ORDER BY g.name
            """).all().map(Group.init(row:))
    }

    func insert(_ group: Group) async throws {
        try await db.raw("""
            INSERT INTO groups (id, tenant_id, name, description, created_at, updated_at)
            VALUES (\(bind: group.id), \(bind: tenantID), \(bind: group.name), \(bind: group.description), \(bind: group.createdAt),
                    \(bind: group.updatedAt))
            """).run()
    }

    /// Soft delete; false when no such group exists.
    func deleteGroup(_ id: UUID, now: Date) async throws -> Bool {
        try await !db.raw("""
            UPDATE groups SET deleted_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL RETURNING id
            """).all().isEmpty
    }

    func hasGroup(_ id: UUID) async throws -> Bool {
        try await db.raw("SELECT id FROM groups WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND deleted_at IS NULL").first() != nil
    }

    func addMember(userID: UUID, groupID: UUID) async throws {
        try await db.raw("""
            INSERT INTO user_groups (user_id, group_id) VALUES (\(bind: userID), \(bind: groupID)) ON CONFLICT DO NOTHING
            """).run()
    }

    func removeMember(userID: UUID, groupID: UUID) async throws {
        try await db.raw("DELETE FROM user_groups WHERE user_id = \(bind: userID) AND group_id = \(bind: groupID)").run()
    }

    // MARK: Purchases

    /// The tenant's licences and its members' own purchases.
    func purchases() async throws -> [Purchase] {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.purchase) FROM purchases p
            WHERE p.tenant_id = \(bind: tenantID) OR p.user_id IN (SELECT id FROM users WHERE tenant_id = \(bind: tenantID))
            ORDER BY p.created_at, p.id
            """).all().map(Purchase.init(row:))
    }
}
