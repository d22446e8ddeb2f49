import Foundation
import LMSKit
import SQLKit

/// Whether an account may still act: not deleted, active, and its tenant (if any) neither
/// deleted nor suspended. Access tokens outlive a suspension by up to their lifetime, so every
/// place that decides access (refresh, lessons, the feed, pushes, purchases, outlines) asks again.
struct AccountStatus {
    let db: any SQLDatabase

    /// The SQL condition on `users u LEFT JOIN tenants t ON t.id = u.tenant_id`.
    static let usable = """
        u.deleted_at IS NULL AND u.status = 'active' AND (t.id IS NULL OR (t.deleted_at IS NULL AND t.status <> 'suspended'))
        """

    /// The same condition for a tenant alone.
    static let tenantUsable = "t.id IS NULL OR (t.deleted_at IS NULL AND t.status <> 'suspended')"

    func isActive(_ viewer: Principal) async throws -> Bool {
        try await isActive(userID: viewer.userID)
    }

    func isActive(userID: UUID) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS usable FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id
            WHERE u.id = \(bind: userID) AND \(unsafeRaw: Self.usable)
            """).first() != nil
    }

    /// Serialises one learner's writes on PostgreSQL (SQLite has a single writer anyway), so two
    /// devices syncing at once cannot both award a badge or both number an attempt "2". Other
    /// learners' writes never wait for it; `NO KEY UPDATE` leaves the row's foreign-key readers be.
    func lock(_ userID: UUID) async throws {
        if SQLFlavor(db) == .postgres {
            try await db.raw("SELECT id FROM users WHERE id = \(bind: userID) FOR NO KEY UPDATE").run()
        }
    }

    /// Checks the account inside a write transaction and, on PostgreSQL, takes the learner's row
    /// lock (see `lock`) in the same query.
    func requireActiveAndLock(_ viewer: Principal) async throws {
        guard SQLFlavor(db) == .postgres else { return try await requireActive(viewer) }
        let row = try await db.raw("""
            SELECT u.id FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id
            WHERE u.id = \(bind: viewer.userID) AND \(unsafeRaw: Self.usable) FOR NO KEY UPDATE OF u
            """).first()
        guard row != nil else { throw Self.inactive }
    }

    func requireActive(_ viewer: Principal) async throws {
        guard try await isActive(viewer) else { throw Self.inactive }
    }

    static let inactive = APIFailure(
        status: .forbidden, code: .accountInactive, message: "This account or its organisation is suspended; contact your administrator")
}
