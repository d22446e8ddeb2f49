import Foundation
import LMSKit
import PostgresNIO
import SQLKit

/// The records a sync feed page is made of, by id: one query per kind. On PostgreSQL a query
/// takes an array parameter (planned once, whatever the page size), elsewhere 500 ids at a time.
struct FeedRecordStore {
    let db: any SQLDatabase

    // Courses, chapters and lessons make up a full pull: on PostgreSQL they are read by column
    // position (reading cells by name took half of a full pull's time).

    func courses(ids: [UUID]) async throws -> [Course] {
        try await fetch(Columns.course, from: "courses c", idColumn: "c.id", ids: ids, postgres: { try Course(fields: &$0) }, portable: Course.init(row:))
    }

    func coursesByID(_ ids: Set<UUID>) async throws -> [UUID: Course] {
        Dictionary(uniqueKeysWithValues: try await courses(ids: Array(ids)).map { ($0.id, $0) })
    }

    func chapters(ids: [UUID]) async throws -> [Chapter] {
        try await fetch(Columns.chapter, from: "chapters ch", idColumn: "ch.id", ids: ids, postgres: { try Chapter(fields: &$0) }, portable: Chapter.init(row:))
    }

    /// Each lesson with its course's id and its body.
    func lessonsWithCourseAndBody(ids: [UUID]) async throws -> [(Lesson, UUID, String?)] {
        try await fetch(
            "\(Columns.lesson), ch.course_id AS lesson_course_id, l.body",
            from: "lessons l JOIN chapters ch ON ch.id = l.chapter_id", idColumn: "l.id", ids: ids,
            postgres: { (try Lesson(fields: &$0), try $0.next(UUID.self), try $0.optional(String.self)) },
            portable: { (try Lesson(row: $0), try $0.value("lesson_course_id", as: UUID.self), try $0.optional("body", as: String.self)) })
    }

    func questions(lessonIDs: [UUID]) async throws -> [QuizQuestion] {
        try await fetch(Columns.question, from: "quiz_questions q", idColumn: "q.lesson_id", ids: lessonIDs,
                        postgres: { try QuizQuestion(fields: &$0) }, portable: QuizQuestion.init(row:))
    }

    func progress(ids: [UUID]) async throws -> [UserProgress] {
        try await select(Columns.progress, from: "user_progress up", idColumn: "up.id", ids: ids, UserProgress.init(row:))
    }

    func quizResults(ids: [UUID]) async throws -> [QuizResult] {
        try await select(Columns.quizResult, from: "quiz_results qr", idColumn: "qr.id", ids: ids, QuizResult.init(row:))
    }

    func userBadges(ids: [UUID]) async throws -> [UserBadge] {
        try await select(Columns.userBadge, from: "user_badges ub", idColumn: "ub.id", ids: ids, UserBadge.init(row:))
    }

    func purchases(ids: [UUID]) async throws -> [Purchase] {
        try await select(Columns.purchase, from: "purchases p", idColumn: "p.id", ids: ids, Purchase.init(row:))
    }

    func badges(ids: [UUID]) async throws -> [Badge] {
        try await select(Columns.badge, from: "badges b", idColumn: "b.id", ids: ids, Badge.init(row:))
    }

    private func selectRows(_ columns: String, from table: String, idColumn: String, ids: [UUID]) async throws -> [any SQLRow] {
        guard !ids.isEmpty else { return [] }
        if SQLFlavor(db) == .postgres {
            return try await db.raw("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: table) WHERE \(unsafeRaw: idColumn) = ANY(\(bind: ids))").all()
        }
        var rows: [any SQLRow] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            rows += try await db.raw("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: table) WHERE \(unsafeRaw: idColumn) IN (\(binds: chunk))").all()
        }
        return rows
    }

    private func select<T>(_ columns: String, from table: String, idColumn: String, ids: [UUID], _ make: (any SQLRow) throws -> T) async throws -> [T] {
        try await selectRows(columns, from: table, idColumn: idColumn, ids: ids).map(make)
    }

    /// `select`, but on PostgreSQL read by position: `postgres` follows the order of `columns`.
    private func fetch<T>(
        _ columns: String, from table: String, idColumn: String, ids: [UUID],
        postgres: (inout PostgresCellReader) throws -> T, portable: (any SQLRow) throws -> T
    ) async throws -> [T] {
        guard !ids.isEmpty else { return [] }
        guard let database = db as? any PostgresDatabase else {
            return try await select(columns, from: table, idColumn: idColumn, ids: ids, portable)
        }
        let query: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: table) WHERE \(unsafeRaw: idColumn) = ANY(\(bind: ids))"
        return try await db.postgresRows(query, on: database).map { row in
            var cells = PostgresCellReader(row)
            return try postgres(&cells)
        }
    }
}
