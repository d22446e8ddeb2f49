import Foundation
import LMSKit
import Logging
import PostgresNIO

/// What an outline request reads on every call, cached or not: the course by slug whatever its
/// status (`CourseVisibility` decides, so one plan serves every role), the viewer's purchase,
/// the version of its chapters and lessons, and whether the viewer's account is usable.
struct OutlineHead {
    let course: Course
    let purchased: Bool
    /// nil where the database keeps no versions (SQLite): nothing is cached there.
    let structureVersion: Int64?
    let viewerActive: Bool
}

/// `OutlineHead` on PostgreSQL as a named prepared statement, parsed and planned once per
/// connection. It is the one read the server keeps off SQLKit: `server.sh` measured the outline
/// at 0.35x pgbench through SQLKit (the query re-planned on every request) and 0.79x prepared.
/// `CourseStore.outlineHeadQuery` is the same question for SQLite; `OutlineVisibilityTests`
/// holds both to the rule `CourseStore.outline(slug:)` states in SQL.
struct OutlineHeadStatement: PostgresPreparedStatement {
    static let name = "lms_outline_head"
    static let sql = """
        SELECT \(Columns.course),
               EXISTS (SELECT 1 FROM purchases p WHERE p.course_id = c.id AND p.status = 'completed'
                       AND (p.user_id = $2 OR p.tenant_id = $3)) AS owned,
               COALESCE((SELECT v.version FROM course_structure_versions v WHERE v.course_id = c.id), 0) AS structure_version,
               EXISTS (SELECT 1 FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id
                       WHERE u.id = $2 AND \(AccountStatus.usable)) AS viewer_active
        FROM courses c WHERE c.slug = $1 AND c.deleted_at IS NULL
        """
    static let bindingDataTypes: [PostgresDataType] = [.varchar, .uuid, .uuid]

    let slug: String
    let userID: UUID
    let tenantID: UUID?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(slug)
        bindings.append(userID)
        bindings.append(tenantID)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> OutlineHead {
        var cells = PostgresCellReader(row)
        let course = try Course(fields: &cells)
        return OutlineHead(
            course: course, purchased: try cells.next(Bool.self), structureVersion: try cells.next(Int64.self),
            viewerActive: try cells.next(Bool.self))
    }

    static func run(on database: any PostgresDatabase, slug: String, viewer: Principal) async throws -> OutlineHead? {
        let statement = OutlineHeadStatement(slug: slug, userID: viewer.userID, tenantID: viewer.tenantID)
        let logger = database.logger
        return try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.execute(statement, logger: logger).first { _ in true }
            }
        }.get()
    }
}
