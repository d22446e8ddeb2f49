import Foundation
import LMSKit
import PostgresNIO
import SQLKit

/// Builds pages of the sync feed: the log rows after a cursor, each turned into the record's
/// current state as this viewer may see it, or a tombstone where they may no longer see it.
struct SyncFeed {
    let db: any SQLDatabase
    let viewer: Principal

    /// The log rows after the cursor in (transaction, sequence) order, from two streams that
    /// share the cursor: catalog rows and the viewer's own. Each is an index range scan, so a
    /// pull never reads another learner's rows. On PostgreSQL only rows written by transactions
    /// older than every running one are served (below the horizon), so no row can later appear
    /// before a cursor already handed out; SQLite has one writer at a time and numbers rows in
    /// commit order.
    func page(after cursorText: String?, limit: Int) async throws -> SyncChangesPage {
        try await AccountStatus(db: db).requireActive(viewer)
        let log = ChangeLog(db: db)
        let epoch = try await log.epoch()
        var after = SyncCursor(epoch: epoch, xid: 0, seq: 0)
        if let cursorText, !cursorText.isEmpty {
            guard let cursor = SyncCursor(text: cursorText), cursor.epoch == epoch else { throw Self.expired }
            let newest = try await db.raw("SELECT COALESCE(MAX(seq), 0) AS newest FROM sync_changes").first()
                .map { try $0.value("newest", as: Int64.self) } ?? 0
            guard cursor.seq <= newest else { throw Self.expired }
            after = cursor
        }
        let rows = try await logRows(after: after, limit: limit)
        let entries = rows.prefix(limit).map { row in
            (position: SyncCursor(epoch: epoch, xid: row.xid, seq: row.seq), entity: SyncEntity(rawValue: row.entity), id: row.id)
        }
        let states = try await loadStates(entries.map { ($0.entity, $0.id) })
        let changes = entries.compactMap { entry -> SyncChange? in
            guard entry.entity.isKnown else { return nil }
            if let payload = states[Key(entity: entry.entity, id: entry.id)] { return .upsert(payload, id: entry.id) }
            return .tombstone(entry.entity, id: entry.id)
        }
        let last = entries.last?.position ?? after
        return SyncChangesPage(changes: changes, cursor: last.text, hasMore: rows.count > limit)
    }

    /// A big page (a first sync) is loaded in two halves at once: each half's queries and
    /// decoding run on a connection and a thread of their own, so both cores serve the client.
    private func loadStates(_ items: [(SyncEntity, UUID)]) async throws -> [Key: SyncPayload] {
        guard items.count >= 1000 else { return try await currentStates(of: items) }
        let middle = items.count / 2
        async let first = currentStates(of: Array(items[..<middle]))
        let second = try await currentStates(of: Array(items[middle...]))
        return try await first.merging(second) { kept, _ in kept }
    }

    private func logRows(after: SyncCursor, limit: Int) async throws -> [(xid: Int64, seq: Int64, entity: String, id: UUID)] {
        if let database = db as? any PostgresDatabase {
            return try await db.postgresRows(rowsQuery(after: after, limit: limit), on: database).map { row in
                var cells = PostgresCellReader(row)
                return (try cells.next(Int64.self), try cells.next(Int64.self), try cells.next(String.self), try cells.next(UUID.self))
            }
        }
        return try await db.raw(rowsQuery(after: after, limit: limit)).all().map { row in
            (try row.value("xid"), try row.value("seq"), try row.value("entity"), try row.value("entity_id"))
        }
    }

    /// The log rows of a page (one more than `limit`, to tell whether more follow).
    func rowsQuery(after: SyncCursor, limit: Int) -> SQLQueryString {
        let horizon: SQLQueryString = SQLFlavor(db) == .postgres
            ? " AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint" : ""
        func stream(_ audience: SQLQueryString) -> SQLQueryString {
            """
            SELECT xid, seq, entity, entity_id FROM sync_changes
            WHERE \(audience) AND (xid, seq) > (\(bind: after.xid), \(bind: after.seq))\(horizon)
            ORDER BY xid, seq LIMIT \(bind: limit + 1)
            """
        }
        return """
            SELECT xid, seq, entity, entity_id FROM (\(stream("user_id IS NULL"))) AS catalog
            UNION ALL
            SELECT xid, seq, entity, entity_id FROM (\(stream("user_id = \(bind: viewer.userID)"))) AS own
            ORDER BY xid, seq LIMIT \(bind: limit + 1)
            """
    }

    static let expired = APIFailure(
        status: .gone, code: .cursorExpired, message: "The sync cursor is no longer valid; pull everything again without a cursor")

    private struct Key: Hashable {
        let entity: SyncEntity
        let id: UUID
    }

    /// Loads every record of the page, in one query per entity type.
    private func currentStates(of items: [(SyncEntity, UUID)]) async throws -> [Key: SyncPayload] {
        var ids: [SyncEntity: [UUID]] = [:]
        for (entity, id) in items { ids[entity, default: []].append(id) }
        var states: [Key: SyncPayload] = [:]
        let context = try await VisibilityContext.load(db: db, viewer: viewer)

        if let courseIDs = ids[.course] {
            for course in try await fetch(Columns.course, from: "courses c", idColumn: "c.id", ids: courseIDs, postgres: { try $0.course() }, portable: Course.init(row:))
            where context.canSee(course) {
                states[Key(entity: .course, id: course.id)] = .course(course)
            }
        }
        if let chapterIDs = ids[.chapter] {
            let chapters = try await fetch(
                Columns.chapter, from: "chapters ch", idColumn: "ch.id", ids: chapterIDs, postgres: { try $0.chapter() }, portable: Chapter.init(row:))
            let courses = try await context.courses(Set(chapters.map(\.courseID)), db: db)
            for chapter in chapters where courses[chapter.courseID].map(context.canSee) == true {
                states[Key(entity: .chapter, id: chapter.id)] = .chapter(chapter)
            }
        }
        let lessonIDs = (ids[.lesson] ?? []) + (ids[.lessonContent] ?? [])
        if !lessonIDs.isEmpty {
            let found = try await fetch(
                "\(Columns.lesson), ch.course_id AS lesson_course_id, l.body",
                from: "lessons l JOIN chapters ch ON ch.id = l.chapter_id", idColumn: "l.id", ids: Array(Set(lessonIDs)),
                postgres: { (try $0.lesson(), try $0.next(UUID.self), try $0.optional(String.self)) },
                portable: { (try Lesson(row: $0), try $0.value("lesson_course_id", as: UUID.self), try $0.optional("body", as: String.self)) })
            var lessons: [UUID: (Lesson, UUID, String?)] = [:]
            lessons.reserveCapacity(found.count)
            for entry in found { lessons[entry.0.id] = entry }
            let courses = try await context.courses(Set(lessons.values.map(\.1)), db: db)
            for id in ids[.lesson] ?? [] {
                guard let (lesson, courseID, _) = lessons[id], let course = courses[courseID], context.canSee(course) else { continue }
                states[Key(entity: .lesson, id: id)] = .lesson(context.isEntitled(to: lesson, in: course) ? lesson : lesson.withoutContentLinks)
            }
            let entitled = (ids[.lessonContent] ?? []).filter { id in
                guard let (lesson, courseID, _) = lessons[id], let course = courses[courseID] else { return false }
                return context.canSee(course) && context.isEntitled(to: lesson, in: course)
            }
            let questions = try await fetch(
                Columns.question, from: "quiz_questions q", idColumn: "q.lesson_id", ids: entitled,
                postgres: { try $0.question() }, portable: QuizQuestion.init(row:))
            let questionsByLesson = Dictionary(grouping: questions, by: \.lessonID)
            for id in entitled {
                guard let (lesson, courseID, body) = lessons[id] else { continue }
                let learnerQuestions = lesson.type == .quiz
                    ? (questionsByLesson[id] ?? []).sorted { ($0.position, $0.id.uuidString) < ($1.position, $1.id.uuidString) }.map(\.learnerView)
                    : nil
                states[Key(entity: .lessonContent, id: id)] = .lessonContent(
                    LessonContent(lesson: lesson, courseID: courseID, body: body, questions: learnerQuestions))
            }
        }
        if let progressIDs = ids[.progress] {
            for row in try await select(Columns.progress, from: "user_progress up", idColumn: "up.id", ids: progressIDs, UserProgress.init(row:))
            where row.userID == viewer.userID {
                states[Key(entity: .progress, id: row.id)] = .progress(row)
            }
        }
        if let resultIDs = ids[.quizResult] {
            for row in try await select(Columns.quizResult, from: "quiz_results qr", idColumn: "qr.id", ids: resultIDs, QuizResult.init(row:))
            where row.userID == viewer.userID {
                states[Key(entity: .quizResult, id: row.id)] = .quizResult(row)
            }
        }
        if let awardIDs = ids[.userBadge] {
            for row in try await select(Columns.userBadge, from: "user_badges ub", idColumn: "ub.id", ids: awardIDs, UserBadge.init(row:))
            where row.userID == viewer.userID {
                states[Key(entity: .userBadge, id: row.id)] = .userBadge(row)
            }
        }
        if let purchaseIDs = ids[.purchase] {
            for row in try await select(Columns.purchase, from: "purchases p", idColumn: "p.id", ids: purchaseIDs, Purchase.init(row:))
            where row.userID == viewer.userID {
                states[Key(entity: .purchase, id: row.id)] = .purchase(row)
            }
        }
        if let badgeIDs = ids[.badge] {
            for badge in try await select(Columns.badge, from: "badges b", idColumn: "b.id", ids: badgeIDs, Badge.init(row:)) {
                states[Key(entity: .badge, id: badge.id)] = .badge(badge)
            }
        }
        return states
    }

    /// The rows of these ids: on PostgreSQL one query with an array parameter (planned once,
    /// whatever the page size), elsewhere 500 ids a query.
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

    /// The same for the records a full pull is made of (courses, chapters, lessons): on
    /// PostgreSQL read by column position, `postgres` following the order of `columns` (reading
    /// cells by name took half of a full pull's time), elsewhere through SQLKit with `portable`.
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

/// What the viewer owns, loaded once per page.
struct VisibilityContext {
    let viewer: Principal
    let learner: LearnerContext

    static func load(db: any SQLDatabase, viewer: Principal) async throws -> VisibilityContext {
        let purchases = try await LearnerStore(db: db).purchases(userID: viewer.userID, tenantID: viewer.tenantID)
        return VisibilityContext(
            viewer: viewer,
            learner: LearnerContext(
                userID: viewer.userID, role: viewer.role, tenantID: viewer.tenantID, purchases: purchases, completedLessonIDs: []))
    }

    func canSee(_ course: Course) -> Bool {
        AccessService.isVisible(course, to: learner, viewer: viewer)
    }

    /// May the viewer keep this lesson's content (body, questions) for offline study? Sequencing
    /// is not applied here: it changes with progress and is enforced when the lesson is opened.
    func isEntitled(to lesson: Lesson, in course: Course) -> Bool {
        if viewer.isPlatformAdmin || course.instructorID == viewer.userID { return true }
        return lesson.isFree || LessonAccess.ownershipGrant(course: course, learner: learner) != nil
    }

    func courses(_ ids: Set<UUID>, db: any SQLDatabase) async throws -> [UUID: Course] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.raw("SELECT \(unsafeRaw: Columns.course) FROM courses c WHERE c.id IN (\(binds: Array(ids)))").all()
        return Dictionary(uniqueKeysWithValues: try rows.map { let c = try Course(row: $0); return (c.id, c) })
    }
}

/// `<epoch>.<xid>.<seq>`, base64url: opaque to clients. A cursor of the earlier form
/// `<epoch>.<seq>` no longer parses, so its client is told to pull everything again.
struct SyncCursor {
    let epoch: UUID
    let xid: Int64
    let seq: Int64

    init(epoch: UUID, xid: Int64, seq: Int64) {
        self.epoch = epoch
        self.xid = xid
        self.seq = seq
    }

    init?(text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ".")
        guard parts.count == 3, let epoch = UUID(uuidString: String(parts[0])),
              let xid = Int64(parts[1]), xid >= 0, let seq = Int64(parts[2]), seq >= 0 else { return nil }
        self.init(epoch: epoch, xid: xid, seq: seq)
    }

    var text: String {
        Data("\(epoch.uuidString).\(xid).\(seq)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
