import Foundation
import LMSKit
import SQLKit

/// One learner's own records: purchases, progress, quiz results and badges.
struct LearnerStore {
    let db: any SQLDatabase

    /// Purchases that can give this learner a course: their own and their tenant's.
    func purchases(userID: UUID, tenantID: UUID?, courseID: UUID? = nil) async throws -> [Purchase] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Columns.purchase) FROM purchases p WHERE "
        if let tenantID {
            query += "(p.user_id = \(bind: userID) OR p.tenant_id = \(bind: tenantID))"
        } else {
            query += "p.user_id = \(bind: userID)"
        }
        if let courseID { query += " AND p.course_id = \(bind: courseID)" }
        query += " ORDER BY p.created_at, p.id"
        return try await db.raw(query).all().map(Purchase.init(row:))
    }

    /// The learner's own purchases only, as listed to them.
    func ownPurchases(userID: UUID) async throws -> [Purchase] {
        try await db.raw("SELECT \(unsafeRaw: Columns.purchase) FROM purchases p WHERE p.user_id = \(bind: userID) ORDER BY p.created_at, p.id")
            .all().map(Purchase.init(row:))
    }

    func progress(userID: UUID, courseID: UUID? = nil) async throws -> [UserProgress] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Columns.progress) FROM user_progress up WHERE up.user_id = \(bind: userID)"
        if let courseID { query += " AND up.course_id = \(bind: courseID)" }
        query += " ORDER BY up.updated_at, up.id"
        return try await db.raw(query).all().map(UserProgress.init(row:))
    }

    func progress(userID: UUID, lessonID: UUID) async throws -> UserProgress? {
        try await db.raw("SELECT \(unsafeRaw: Columns.progress) FROM user_progress up WHERE up.user_id = \(bind: userID) AND up.lesson_id = \(bind: lessonID)")
            .first().map(UserProgress.init(row:))
    }

    /// The learner's rows in these courses.
    func progress(userID: UUID, courseIDs: Set<UUID>) async throws -> [UserProgress] {
        guard !courseIDs.isEmpty else { return [] }
        return try await db.raw("""
            SELECT \(unsafeRaw: Columns.progress) FROM user_progress up
            WHERE up.user_id = \(bind: userID) AND up.course_id IN (\(binds: Array(courseIDs))) ORDER BY up.updated_at, up.id
            """).all().map(UserProgress.init(row:))
    }

    /// Which of these UTC days (day numbers) the learner was active on through writes made before
    /// `before`: progress updated or completed, quizzes taken (what streaks count).
    func activeDays(userID: UUID, among days: Set<Int>, before: Date) async throws -> Set<Int> {
        var active: Set<Int> = []
        for day in days {
            let start = Date(timeIntervalSince1970: Double(day) * 86_400), end = start.addingTimeInterval(86_400)
            let found = try await db.raw("""
                SELECT 1 AS found WHERE EXISTS (
                    SELECT 1 FROM user_progress WHERE user_id = \(bind: userID) AND updated_at < \(bind: before)
                      AND ((updated_at >= \(bind: start) AND updated_at < \(bind: end)) OR (completed_at >= \(bind: start) AND completed_at < \(bind: end))))
                OR EXISTS (
                    SELECT 1 FROM quiz_results WHERE user_id = \(bind: userID) AND created_at < \(bind: before)
                      AND completed_at >= \(bind: start) AND completed_at < \(bind: end))
                """).first()
            if found != nil { active.insert(day) }
        }
        return active
    }

    /// The learner's rows of these lessons.
    func progress(userID: UUID, lessonIDs: Set<UUID>) async throws -> [UserProgress] {
        guard !lessonIDs.isEmpty else { return [] }
        return try await db.raw("""
            SELECT \(unsafeRaw: Columns.progress) FROM user_progress up
            WHERE up.user_id = \(bind: userID) AND up.lesson_id IN (\(binds: Array(lessonIDs)))
            """).all().map(UserProgress.init(row:))
    }

    /// Which of these lessons the learner completed (what sequencing asks).
    func completedLessonIDs(userID: UUID, lessonIDs: Set<UUID>) async throws -> Set<UUID> {
        guard !lessonIDs.isEmpty else { return [] }
        return Set(try await db.raw("""
            SELECT lesson_id FROM user_progress
            WHERE user_id = \(bind: userID) AND lesson_id IN (\(binds: Array(lessonIDs))) AND completed
            """).all().map { try $0.value("lesson_id", as: UUID.self) })
    }

    /// Writes merged rows, inserting or updating on the (user_id, lesson_id) key, a hundred rows a
    /// statement. The caller merged them under the learner's lock (`AccountStatus.lock`).
    func upsert(_ rows: [UserProgress]) async throws {
        for start in stride(from: 0, to: rows.count, by: 100) {
            var query: SQLQueryString = """
                INSERT INTO user_progress (id, user_id, course_id, lesson_id, completed, progress_seconds, completed_at, created_at, updated_at)
                VALUES
                """
            for (index, row) in rows[start..<min(start + 100, rows.count)].enumerated() {
                query += index == 0 ? " " : ", "
                query += """
                    (\(bind: row.id), \(bind: row.userID), \(bind: row.courseID), \(bind: row.lessonID), \(bind: row.completed),
                     \(bind: row.progressSeconds), \(bind: row.completedAt), \(bind: row.createdAt), \(bind: row.updatedAt))
                    """
            }
            query += """
                 ON CONFLICT (user_id, lesson_id) DO UPDATE SET completed = excluded.completed,
                   progress_seconds = excluded.progress_seconds, completed_at = excluded.completed_at, updated_at = excluded.updated_at
                """
            try await db.raw(query).run()
        }
    }

    func quizResults(userID: UUID, lessonID: UUID? = nil) async throws -> [QuizResult] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Columns.quizResult) FROM quiz_results qr WHERE qr.user_id = \(bind: userID)"
        if let lessonID { query += " AND qr.lesson_id = \(bind: lessonID)" }
        query += " ORDER BY qr.completed_at, qr.attempt_number"
        return try await db.raw(query).all().map(QuizResult.init(row:))
    }

    func quizResult(userID: UUID, clientAttemptID: UUID) async throws -> QuizResult? {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.quizResult) FROM quiz_results qr
            WHERE qr.user_id = \(bind: userID) AND qr.client_attempt_id = \(bind: clientAttemptID)
            """).first().map(QuizResult.init(row:))
    }

    func attemptCount(userID: UUID, lessonID: UUID) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM quiz_results WHERE user_id = \(bind: userID) AND lesson_id = \(bind: lessonID)")
            .first().map { try $0.value("n", as: Int.self) } ?? 0
    }

    func insert(_ result: QuizResult) async throws {
        let dialect = Dialect(db)
        try await db.raw("""
            INSERT INTO quiz_results (id, user_id, lesson_id, score, max_score, passed, answers, attempt_number, client_attempt_id, completed_at, created_at)
            VALUES (\(bind: result.id), \(bind: result.userID), \(bind: result.lessonID), \(bind: result.score), \(bind: result.maxScore),
                    \(bind: result.passed), \(dialect.json(try result.answers.jsonText())), \(bind: result.attemptNumber),
                    \(bind: result.clientAttemptID), \(bind: result.completedAt), \(bind: result.createdAt))
            """).run()
    }

    func badges() async throws -> [Badge] {
        try await db.raw("SELECT \(unsafeRaw: Columns.badge) FROM badges b ORDER BY b.name, b.id").all().map(Badge.init(row:))
    }

    /// Badges the learner has not earned yet: the candidates after a change.
    func badgesNotEarned(userID: UUID) async throws -> [Badge] {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.badge) FROM badges b
            WHERE NOT EXISTS (SELECT 1 FROM user_badges ub WHERE ub.badge_id = b.id AND ub.user_id = \(bind: userID))
            ORDER BY b.name, b.id
            """).all().map(Badge.init(row:))
    }

    func userBadges(userID: UUID) async throws -> [UserBadge] {
        try await db.raw("SELECT \(unsafeRaw: Columns.userBadge) FROM user_badges ub WHERE ub.user_id = \(bind: userID) ORDER BY ub.earned_at, ub.id")
            .all().map(UserBadge.init(row:))
    }

    func insert(_ award: UserBadge) async throws {
        try await db.raw("""
            INSERT INTO user_badges (id, user_id, badge_id, course_id, earned_at)
            VALUES (\(bind: award.id), \(bind: award.userID), \(bind: award.badgeID), \(bind: award.courseID), \(bind: award.earnedAt))
            """).run()
    }
}
