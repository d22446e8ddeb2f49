import Foundation
import LMSKit
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
            guard cursor.seq <= (try await log.newestSequence()) else { throw Self.expired }
            after = cursor
        }
        let rows = try await log.rows(after: after, limit: limit, viewerID: viewer.userID)
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
        let records = FeedRecordStore(db: db)

        if let courseIDs = ids[.course] {
            for course in try await records.courses(ids: courseIDs) where context.canSee(course) {
                states[Key(entity: .course, id: course.id)] = .course(course)
            }
        }
        if let chapterIDs = ids[.chapter] {
            let chapters = try await records.chapters(ids: chapterIDs)
            let courses = try await records.coursesByID(Set(chapters.map(\.courseID)))
            for chapter in chapters where courses[chapter.courseID].map(context.canSee) == true {
                states[Key(entity: .chapter, id: chapter.id)] = .chapter(chapter)
            }
        }
        let lessonIDs = (ids[.lesson] ?? []) + (ids[.lessonContent] ?? [])
        if !lessonIDs.isEmpty {
            let found = try await records.lessonsWithCourseAndBody(ids: Array(Set(lessonIDs)))
            var lessons: [UUID: (Lesson, UUID, String?)] = [:]
            lessons.reserveCapacity(found.count)
            for entry in found { lessons[entry.0.id] = entry }
            let courses = try await records.coursesByID(Set(lessons.values.map(\.1)))
            for id in ids[.lesson] ?? [] {
                guard let (lesson, courseID, _) = lessons[id], let course = courses[courseID], context.canSee(course) else { continue }
                states[Key(entity: .lesson, id: id)] = .lesson(context.isEntitled(to: lesson, in: course) ? lesson : lesson.withoutContentLinks)
            }
            let entitled = (ids[.lessonContent] ?? []).filter { id in
                guard let (lesson, courseID, _) = lessons[id], let course = courses[courseID] else { return false }
                return context.canSee(course) && context.isEntitled(to: lesson, in: course)
            }
            let questions = try await records.questions(lessonIDs: entitled)
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
            for row in try await records.progress(ids: progressIDs)
            where row.userID == viewer.userID {
                states[Key(entity: .progress, id: row.id)] = .progress(row)
            }
        }
        if let resultIDs = ids[.quizResult] {
            for row in try await records.quizResults(ids: resultIDs)
            where row.userID == viewer.userID {
                states[Key(entity: .quizResult, id: row.id)] = .quizResult(row)
            }
        }
        if let awardIDs = ids[.userBadge] {
            for row in try await records.userBadges(ids: awardIDs)
            where row.userID == viewer.userID {
                states[Key(entity: .userBadge, id: row.id)] = .userBadge(row)
            }
        }
        if let purchaseIDs = ids[.purchase] {
            for row in try await records.purchases(ids: purchaseIDs)
            where row.userID == viewer.userID {
                states[Key(entity: .purchase, id: row.id)] = .purchase(row)
            }
        }
        if let badgeIDs = ids[.badge] {
            for badge in try await records.badges(ids: badgeIDs) {
                states[Key(entity: .badge, id: badge.id)] = .badge(badge)
            }
        }
        return states
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
