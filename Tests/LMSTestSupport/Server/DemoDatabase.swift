import Foundation
import SQLKit
import Testing

/// A server whose database a test may look into, for the checks the API cannot answer.
package protocol DemoDatabase {
    var sql: any SQLDatabase { get throws }
}

extension DemoDatabase {
    /// A demo lesson's id by its (unique) title.
    package func lessonID(_ title: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> UUID {
        let row = try await sql.raw("SELECT id FROM lessons WHERE title = \(bind: title)").first()
        return try #require(try row?.decode(column: "id", as: UUID.self), "no lesson titled '\(title)'", sourceLocation: sourceLocation)
    }

    package func courseID(_ slug: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> UUID {
        let row = try await sql.raw("SELECT id FROM courses WHERE slug = \(bind: slug)").first()
        return try #require(try row?.decode(column: "id", as: UUID.self), "no course '\(slug)'", sourceLocation: sourceLocation)
    }

    /// Ids of a course's lessons in study order.
    package func lessonIDs(ofCourse slug: String) async throws -> [UUID] {
        try await sql.raw("""
            SELECT l.id FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id JOIN courses c ON c.id = ch.course_id
            WHERE c.slug = \(bind: slug) ORDER BY ch.position, l.position
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// Counts rows of a table.
    package func count(_ table: String, where condition: SQLQueryString = "1 = 1") async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(condition)").first()?.decode(column: "n", as: Int.self) ?? -1
    }
}

extension LiveServer: DemoDatabase {}
