import Foundation
import LMSKit
import PostgresNIO
import SQLKit

/// Courses, chapters, lessons and quiz questions, always filtered by what the viewer may see.
struct CourseStore {
    let db: any SQLDatabase

    enum CatalogSort: String {
        case title, newest, price
    }

    /// The SQL condition for "this viewer may see course `c`": learners see published courses,
    /// instructors also their own in any state, platform admins everything not deleted.
    static func visibility(_ viewer: Principal) -> SQLQueryString {
        switch viewer.courseRole {
        case .admin: "c.deleted_at IS NULL"
        case .instructor: "c.deleted_at IS NULL AND (c.status = 'published' OR c.instructor_id = \(bind: viewer.userID))"
        default: "c.deleted_at IS NULL AND c.status = 'published'"
        }
    }

    /// Completed purchases that give this viewer the course: their own or their tenant's.
    static func ownership(_ viewer: Principal) -> SQLQueryString {
        if let tenant = viewer.tenantID {
            return "EXISTS (SELECT 1 FROM purchases p WHERE p.course_id = c.id AND p.status = 'completed' AND (p.user_id = \(bind: viewer.userID) OR p.tenant_id = \(bind: tenant)))"
        }
        return "EXISTS (SELECT 1 FROM purchases p WHERE p.course_id = c.id AND p.status = 'completed' AND p.user_id = \(bind: viewer.userID))"
    }

    /// One page of the catalog, keyset-paginated on (sort key, id) so pages stay correct while
    /// courses are added and cost the same at any depth.
    func catalogPage(
        viewer: Principal, search: String?, sort: CatalogSort, after cursorID: UUID?, limit: Int
    ) async throws -> (entries: [CatalogEntry], hasMore: Bool) {
        let rows = try await db.raw(catalogQuery(viewer: viewer, search: search, sort: sort, after: cursorID, limit: limit)).all()
        let entries = try rows.prefix(limit).map { row in
            CatalogEntry(
                course: try Course(row: row), owned: try row.value("owned", as: Int.self) == 1,
                instructorName: "\(try row.value("instructor_first", as: String.self)) \(try row.value("instructor_last", as: String.self))")
        }
        return (entries, rows.count > limit)
    }

    /// The query of `catalogPage`: one more row than `limit`, to tell whether more follow.
    func catalogQuery(viewer: Principal, search: String?, sort: CatalogSort, after cursorID: UUID?, limit: Int) -> SQLQueryString {
        let dialect = Dialect(db)
        let priceKey = dialect.flavor == .postgres ? "c.price" : "CAST(c.price AS REAL)"
        let (key, direction, comparison): (String, String, String) = switch sort {
        case .title: ("c.title", "ASC", ">")
        case .newest: ("c.created_at", "DESC", "<")
        case .price: (priceKey, "ASC", ">")
        }
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: Columns.course), u.first_name AS instructor_first, u.last_name AS instructor_last,
                   CASE WHEN \(unsafeRaw: priceKey) <= 0 OR \(Self.ownership(viewer)) THEN 1 ELSE 0 END AS owned
            FROM courses c JOIN users u ON u.id = c.instructor_id
            WHERE \(Self.visibility(viewer))
            """
        if let search, !search.isEmpty {
            query += " AND c.title \(unsafeRaw: dialect.ilike) \(bind: likePattern(containing: search)) ESCAPE '\\'"
        }
        if let cursorID {
            let innerKey = key.replacingOccurrences(of: "c.", with: "k.")
            query += " AND (\(unsafeRaw: key), c.id) \(unsafeRaw: comparison) (SELECT \(unsafeRaw: innerKey), k.id FROM courses k WHERE k.id = \(bind: cursorID))"
        }
        query += " ORDER BY \(unsafeRaw: key) \(unsafeRaw: direction), c.id \(unsafeRaw: direction) LIMIT \(bind: limit + 1)"
        return query
    }

    func course(slug: String, viewer: Principal) async throws -> Course? {
        try await db.raw("SELECT \(unsafeRaw: Columns.course) FROM courses c WHERE c.slug = \(bind: slug) AND \(Self.visibility(viewer))")
            .first().map(Course.init(row:))
    }

    func course(id: UUID, viewer: Principal) async throws -> Course? {
        try await db.raw("SELECT \(unsafeRaw: Columns.course) FROM courses c WHERE c.id = \(bind: id) AND \(Self.visibility(viewer))")
            .first().map(Course.init(row:))
    }

    /// Also finds archived courses the viewer owns, which the catalog no longer lists.
    func courseIncludingOwned(slug: String, viewer: Principal) async throws -> Course? {
        if let course = try await course(slug: slug, viewer: viewer) { return course }
        return try await db.raw("""
            SELECT \(unsafeRaw: Columns.course) FROM courses c
            WHERE c.slug = \(bind: slug) AND c.deleted_at IS NULL AND c.status = 'archived' AND \(Self.ownership(viewer))
            """).first().map(Course.init(row:))
    }

    /// A course the viewer may open by slug (published, their own draft, or an archived course they
    /// bought), and whether they bought it — one query, for the outline's hot path.
    func courseWithOwnership(slug: String, viewer: Principal) async throws -> (Course, Bool)? {
        let row = try await db.raw("""
            SELECT \(unsafeRaw: Columns.course), CASE WHEN \(Self.ownership(viewer)) THEN 1 ELSE 0 END AS owned
            FROM courses c
            WHERE c.slug = \(bind: slug) AND ((\(Self.visibility(viewer))) OR (c.deleted_at IS NULL AND c.status = 'archived' AND \(Self.ownership(viewer))))
            """).first()
        guard let row else { return nil }
        return (try Course(row: row), try row.value("owned", as: Int.self) == 1)
    }

    func isOwned(courseID: UUID, viewer: Principal) async throws -> Bool {
        try await db.raw("SELECT 1 AS owned FROM courses c WHERE c.id = \(bind: courseID) AND \(Self.ownership(viewer))").first() != nil
    }

    /// The outline response's JSON body for the course at `slug`, or nil when the viewer may not
    /// open it. One query finds the course, the viewer's purchase, the version of its chapters
    /// and lessons and whether the viewer's account is usable; the chapters' JSON then comes from
    /// `cache` while that version is unchanged (PostgreSQL keeps versions; on SQLite they are read each time).
    func outlineResponseBody(
        slug: String, viewer: Principal, cache: OutlineCache? = nil, metrics: ServerMetrics? = nil
    ) async throws -> Data? {
        guard let head = try await outlineHead(slug: slug, viewer: viewer),
              CourseVisibility.mayOpen(head.course, purchased: head.purchased, viewer: viewer) else { return nil }
        guard head.viewerActive else { throw AccountStatus.inactive }
        let course = head.course
        let key = OutlineCache.Key(courseID: course.id, withPaidLinks: CourseVisibility.ownsContent(course, purchased: head.purchased, viewer: viewer))
        let cache = head.structureVersion == nil ? nil : cache
        let version = head.structureVersion ?? 0
        let chapters: Data
        if let cached = cache?.chapters(of: key, version: version) {
            chapters = cached
            metrics?.outlineCache(hit: true)
        } else {
            let outline = try await outline(of: course)
            chapters = JSONWriter.encode((key.withPaidLinks ? outline : outline.withoutPaidContentLinks).chapters)
            cache?.store(chapters, of: key, version: version)
            if cache != nil { metrics?.outlineCache(hit: false) }
        }
        // A free course is owned by everyone, like a purchased one (see `LessonAccess.ownershipGrant`).
        return JSONWriter.encode(course, chapters: chapters, owned: course.isFree || head.purchased)
    }

    /// See `OutlineHead`: a prepared statement on PostgreSQL, `outlineHeadQuery` elsewhere.
    func outlineHead(slug: String, viewer: Principal) async throws -> OutlineHead? {
        if let postgres = db as? any PostgresDatabase {
            return try await OutlineHeadStatement.run(on: postgres, slug: slug, viewer: viewer)
        }
        guard let row = try await db.raw(outlineHeadQuery(slug: slug, viewer: viewer)).first() else { return nil }
        return OutlineHead(
            course: try Course(row: row), purchased: try row.value("owned", as: Int.self) == 1, structureVersion: nil,
            viewerActive: try row.value("viewer_active", as: Int.self) == 1)
    }

    /// `OutlineHeadStatement`'s question through SQLKit, for SQLite, which keeps no structure versions.
    func outlineHeadQuery(slug: String, viewer: Principal) -> SQLQueryString {
        """
            SELECT \(unsafeRaw: Columns.course),
                   CASE WHEN \(Self.ownership(viewer)) THEN 1 ELSE 0 END AS owned,
                   CASE WHEN EXISTS (SELECT 1 FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id
                                     WHERE u.id = \(bind: viewer.userID) AND \(unsafeRaw: AccountStatus.usable)) THEN 1 ELSE 0 END AS viewer_active
            FROM courses c WHERE c.slug = \(bind: slug) AND c.deleted_at IS NULL
            """
    }

    /// The outline of the course at `slug` if the viewer may open it (published, their own draft, or
    /// an archived course they bought), and whether they bought it, through SQLKit.
    func outline(slug: String, viewer: Principal) async throws -> (outline: CourseOutline, purchased: Bool)? {
        guard let (course, purchased) = try await courseWithOwnership(slug: slug, viewer: viewer) else { return nil }
        return (try await outline(of: course), purchased)
    }

    /// Chapters and lessons of a course in study order.
    func outline(of course: Course) async throws -> CourseOutline {
        try await outlines(of: [course])[course.id] ?? CourseOutline(course: course, chapters: [])
    }

    /// The outlines of many courses in two statements, whatever their number: what a push over
    /// many courses reads.
    func outlines(of courses: [Course]) async throws -> [UUID: CourseOutline] {
        guard !courses.isEmpty else { return [:] }
        let ids = courses.map(\.id)
        let chapters = try await db.raw(chaptersQuery(courseIDs: ids)).all().map(Chapter.init(row:))
        let lessons = try await db.raw(lessonsQuery(courseIDs: ids)).all().map(Lesson.init(row:))
        let lessonsByChapter = Dictionary(grouping: lessons, by: \.chapterID)
        let chaptersByCourse = Dictionary(grouping: chapters, by: \.courseID)
        var outlines: [UUID: CourseOutline] = [:]
        for course in courses {
            outlines[course.id] = CourseOutline(course: course, chapters: (chaptersByCourse[course.id] ?? []).map {
                ChapterOutline(chapter: $0, lessons: lessonsByChapter[$0.id] ?? [])
            })
        }
        return outlines
    }

    /// Where each of these lessons stands in its course: the lesson, and the one before it in
    /// study order (chapter position, lesson position, ids breaking ties as `CourseOutline` does),
    /// which sequencing needs. One statement returning only these lessons, however long their
    /// courses are.
    func placements(ofLessons lessonIDs: Set<UUID>) async throws -> [UUID: (lesson: Lesson, previous: LessonAccess.Previous?)] {
        guard !lessonIDs.isEmpty else { return [:] }
        let ids = Array(lessonIDs)
        var placements: [UUID: (lesson: Lesson, previous: LessonAccess.Previous?)] = [:]
        for row in try await db.raw("""
            SELECT * FROM (
                SELECT \(unsafeRaw: Columns.lesson),
                       LAG(l.id) OVER study AS previous_id, LAG(l.title) OVER study AS previous_title
                FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id
                WHERE ch.course_id IN (SELECT c2.course_id FROM lessons l2 JOIN chapters c2 ON c2.id = l2.chapter_id WHERE l2.id IN (\(binds: ids)))
                WINDOW study AS (PARTITION BY ch.course_id ORDER BY ch.position, ch.id, l.position, l.id)
            ) placed WHERE placed.id IN (\(binds: ids))
            """).all() {
            let lesson = try Lesson(row: row)
            let previous = try row.optional("previous_id", as: UUID.self).map { id in
                LessonAccess.Previous(id: id, title: try row.optional("previous_title", as: String.self) ?? "")
            }
            placements[lesson.id] = (lesson, previous)
        }
        return placements
    }

    func chaptersQuery(courseIDs: [UUID]) -> SQLQueryString {
        "SELECT \(unsafeRaw: Columns.chapter) FROM chapters ch WHERE ch.course_id IN (\(binds: courseIDs)) ORDER BY ch.position, ch.id"
    }

    func lessonsQuery(courseIDs: [UUID]) -> SQLQueryString {
        """
        SELECT \(unsafeRaw: Columns.lesson) FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id
        WHERE ch.course_id IN (\(binds: courseIDs)) ORDER BY l.position, l.id
        """
    }

    func chapterIDs(ofCourse courseID: UUID) async throws -> [UUID] {
        try await db.raw("SELECT id FROM chapters WHERE course_id = \(bind: courseID)").all().map { try $0.value("id", as: UUID.self) }
    }

    func lessonIDs(ofCourse courseID: UUID) async throws -> [UUID] {
        try await db.raw("""
            SELECT l.id FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id WHERE ch.course_id = \(bind: courseID)
            """).all().map { try $0.value("id", as: UUID.self) }
    }

    func courseID(ofLesson lessonID: UUID) async throws -> UUID? {
        try await db.raw("""
            SELECT ch.course_id FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id WHERE l.id = \(bind: lessonID)
            """).first().map { try $0.value("course_id", as: UUID.self) }
    }

    /// The courses of these lessons (those that exist), ignoring visibility: one query.
    func courses(ofLessons lessonIDs: Set<UUID>) async throws -> (courseOfLesson: [UUID: UUID], courses: [Course]) {
        guard !lessonIDs.isEmpty else { return ([:], []) }
        var courseOfLesson: [UUID: UUID] = [:]
        var courses: [UUID: Course] = [:]
        for row in try await db.raw("""
            SELECT l.id AS lesson_id, \(unsafeRaw: Columns.course) FROM lessons l
            JOIN chapters ch ON ch.id = l.chapter_id JOIN courses c ON c.id = ch.course_id
            WHERE l.id IN (\(binds: Array(lessonIDs)))
            """).all() {
            let courseID = try row.value("id", as: UUID.self)
            courseOfLesson[try row.value("lesson_id")] = courseID
            if courses[courseID] == nil { courses[courseID] = try Course(row: row) }
        }
        return (courseOfLesson, Array(courses.values))
    }

    func course(id: UUID) async throws -> Course? {
        try await db.raw("SELECT \(unsafeRaw: Columns.course) FROM courses c WHERE c.id = \(bind: id)").first().map(Course.init(row:))
    }

    func lessonBody(_ lessonID: UUID) async throws -> String? {
        try await db.raw("SELECT body FROM lessons WHERE id = \(bind: lessonID)").first().flatMap { try $0.optional("body", as: String.self) }
    }

    func questions(lessonID: UUID) async throws -> [QuizQuestion] {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.question) FROM quiz_questions q WHERE q.lesson_id = \(bind: lessonID) ORDER BY q.position, q.id
            """).all().map(QuizQuestion.init(row:))
    }

    func questions(courseID: UUID) async throws -> [UUID: [QuizQuestion]] {
        let rows = try await db.raw("""
            SELECT \(unsafeRaw: Columns.question) FROM quiz_questions q
            JOIN lessons l ON l.id = q.lesson_id JOIN chapters ch ON ch.id = l.chapter_id
            WHERE ch.course_id = \(bind: courseID) ORDER BY q.position, q.id
            """).all().map(QuizQuestion.init(row:))
        return Dictionary(grouping: rows, by: \.lessonID)
    }

    func bodies(courseID: UUID) async throws -> [UUID: String] {
        let rows = try await db.raw("""
            SELECT l.id, l.body FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id
            WHERE ch.course_id = \(bind: courseID) AND l.body IS NOT NULL
            """).all()
        var bodies: [UUID: String] = [:]
        for row in rows { bodies[try row.value("id")] = try row.value("body", as: String.self) }
        return bodies
    }

    /// Lessons per course, counted from the lessons themselves (not the denormalised counters).
    func lessonCounts(courseIDs: Set<UUID>) async throws -> [UUID: Int] {
        guard !courseIDs.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT ch.course_id, COUNT(l.id) AS lessons FROM chapters ch JOIN lessons l ON l.chapter_id = ch.id
            WHERE ch.course_id IN (\(binds: Array(courseIDs))) GROUP BY ch.course_id
            """).all()
        var counts: [UUID: Int] = [:]
        for row in rows { counts[try row.value("course_id")] = try row.value("lessons", as: Int.self) }
        return counts
    }
}
