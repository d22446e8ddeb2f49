import Foundation
import LMSKit
import Logging
import PostgresNIO

/// A catalog page on PostgreSQL as one named prepared statement per sort order, planned once per
/// connection. Search, cursor and role are parameters rather than SQL variants, so every request
/// of a sort order shares one plan.
struct PostgresCatalogQuery {
    let database: any PostgresDatabase
    let logger: Logger

    func page(
        viewer: Principal, search: String?, sort: CourseStore.CatalogSort, after cursorID: UUID?, limit: Int
    ) async throws -> (entries: [CatalogEntry], hasMore: Bool) {
        let parameters = Parameters(
            userID: viewer.userID, tenantID: viewer.tenantID, role: viewer.courseRole.rawValue,
            titlePattern: search.flatMap { $0.isEmpty ? nil : likePattern(containing: $0) }, cursorID: cursorID,
            rowLimit: limit + 1)
        let logger = logger
        let rows: [CatalogEntry] = try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                switch sort {
                case .title: try await connection.execute(ByTitle(parameters: parameters), logger: logger).collect()
                case .newest: try await connection.execute(Newest(parameters: parameters), logger: logger).collect()
                case .price: try await connection.execute(ByPrice(parameters: parameters), logger: logger).collect()
                }
            }
        }.get()
        return (Array(rows.prefix(limit)), rows.count > limit)
    }

    struct Parameters: Sendable {
        let userID: UUID
        let tenantID: UUID?
        let role: String
        let titlePattern: String?
        let cursorID: UUID?
        let rowLimit: Int

        var bindings: PostgresBindings {
            var bindings = PostgresBindings(capacity: 6)
            bindings.append(userID)
            bindings.append(tenantID)
            bindings.append(role)
            bindings.append(titlePattern)
            bindings.append(cursorID)
            bindings.append(rowLimit)
            return bindings
        }
    }

    /// The statement for one sort order: `key` orders the page, `comparison` continues after the
    /// cursor's row. Visibility matches `CourseStore.visibility`; ownership `CourseStore.ownership`.
    static func sql(key: String, direction: String, comparison: String) -> String {
        let innerKey = key.replacingOccurrences(of: "c.", with: "k.")
        return """
            SELECT \(Columns.course), u.first_name AS instructor_first, u.last_name AS instructor_last,
                   c.price <= 0 OR EXISTS (SELECT 1 FROM purchases p WHERE p.course_id = c.id AND p.status = 'completed'
                                           AND (p.user_id = $1 OR p.tenant_id = $2)) AS owned
            FROM courses c JOIN users u ON u.id = c.instructor_id
            WHERE c.deleted_at IS NULL
              AND (c.status = 'published' OR $3 = 'admin' OR ($3 = 'instructor' AND c.instructor_id = $1))
              AND ($4::text IS NULL OR c.title ILIKE $4 ESCAPE '\\')
              AND ($5::uuid IS NULL OR (\(key), c.id) \(comparison) (SELECT \(innerKey), k.id FROM courses k WHERE k.id = $5))
            ORDER BY \(key) \(direction), c.id \(direction) LIMIT $6
            """
    }

    static let bindingTypes: [PostgresDataType] = [.uuid, .uuid, .varchar, .text, .uuid, .int8]

    static func entry(_ row: PostgresRow) throws -> CatalogEntry {
        var cells = PostgresCellReader(row)
        let course = try cells.course()
        let instructorName = "\(try cells.next(String.self)) \(try cells.next(String.self))"
        return CatalogEntry(course: course, owned: try cells.next(Bool.self), instructorName: instructorName)
    }

    /// One statement per sort order (PostgreSQL prepares by name); the rest is shared.
    protocol Statement: PostgresPreparedStatement where Row == CatalogEntry {
        var parameters: Parameters { get }
    }

    struct ByTitle: Statement {
        static let name = "lms_catalog_title"
        static let sql = PostgresCatalogQuery.sql(key: "c.title", direction: "ASC", comparison: ">")
        let parameters: Parameters
    }

    struct Newest: Statement {
        static let name = "lms_catalog_newest"
        static let sql = PostgresCatalogQuery.sql(key: "c.created_at", direction: "DESC", comparison: "<")
        let parameters: Parameters
    }

    struct ByPrice: Statement {
        static let name = "lms_catalog_price"
        static let sql = PostgresCatalogQuery.sql(key: "c.price", direction: "ASC", comparison: ">")
        let parameters: Parameters
    }
}

extension PostgresCatalogQuery.Statement {
    static var bindingDataTypes: [PostgresDataType] { PostgresCatalogQuery.bindingTypes }
    func makeBindings() throws -> PostgresBindings { parameters.bindings }
    func decodeRow(_ row: PostgresRow) throws -> CatalogEntry { try PostgresCatalogQuery.entry(row) }
}

private extension AsyncSequence {
    func collect() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
