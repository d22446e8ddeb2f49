import Foundation
import LMSKit
import SQLKit

/// Bringing back what was soft-deleted (`lms-server restore`).
struct SoftDeleteStore {
    let db: any SQLDatabase

    /// The tables whose rows are soft-deleted.
    enum Table: String {
        case users, tenants, groups, courses
    }

    /// Restores a soft-deleted row and what depends on it: a user takes a seat of their tenant
    /// again, and a course's whole outline goes back into the feed (devices dropped it on its
    /// tombstone). False when there is no such deleted row.
    func restore(_ table: Table, id: UUID, now: Date) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE \(unsafeRaw: table.rawValue) SET deleted_at = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND deleted_at IS NOT NULL RETURNING id
            """).all()
        guard !rows.isEmpty else { return false }
        switch table {
        case .users:
            if let tenant = try await db.raw("SELECT tenant_id FROM users WHERE id = \(bind: id)").first()?.optional("tenant_id", as: UUID.self) {
                try await TenantStore(db: db, tenantID: tenant).takeSeat(now: now)
            }
        case .courses:
            let courses = CourseStore(db: db)
            let log = ChangeLog(db: db)
            let lessons = try await courses.lessonIDs(ofCourse: id)
            try await log.record(.course, id: id, userID: nil, at: now)
            try await log.record(.chapter, ids: try await courses.chapterIDs(ofCourse: id), userID: nil, at: now)
            try await log.record(.lesson, ids: lessons, userID: nil, at: now)
            try await log.record(.lessonContent, ids: lessons, userID: nil, at: now)
        case .tenants, .groups:
            break
        }
        return true
    }
}
