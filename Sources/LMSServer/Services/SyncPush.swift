import Foundation
import LMSKit
import SQLKit

/// Applies a pushed batch of offline work in a few set-based statements instead of several
/// round trips per mutation: stored results, the batch's lessons with the one before each, their
/// courses and the learner's records are read once (whatever the number of courses), progress is merged in memory in the batch's order (so sequencing sees what
/// came earlier in the batch), and the changed rows, their change-log entries and every
/// mutation's result are written together. Quiz submissions (rare, and graded against the
/// database) write what is pending first, then go through `LearningService` one by one.
///
/// The contract is `SyncController.push`'s: each mutation applied exactly once, a replay gets the
/// stored result as `duplicate`, a refused one is `rejected` with its reason and does not stop
/// the others, badges are evaluated once for the batch and reported on its last applied mutation.
struct SyncPush {
    let db: any SQLDatabase
    let viewer: Principal

    func apply(_ mutations: [SyncMutation], clientID: UUID, now: Date) async throws -> [MutationResult] {
        let learning = LearningService(db: db, viewer: viewer)
        // One learner's pushes take turns (two devices at once); other learners' never wait.
        try await AccountStatus(db: db).requireActiveAndLock(viewer)
        let stored = try await AppliedMutationStore(db: db).results(ids: mutations.map(\.id))
        var state = try await load(lessonIDs: mutations.compactMap(\.progressLessonID))
        var results: [MutationResult] = []
        var resultByID: [UUID: MutationResult] = [:]
        var newResults: [(result: MutationResult, type: String)] = []
        var lastApplied: Int?

        for mutation in mutations {
            if let earlier = stored[mutation.id] ?? resultByID[mutation.id].map({ (userID: viewer.userID, result: $0) }) {
                guard earlier.userID == viewer.userID else {
                    results.append(MutationResult(
                        id: mutation.id, status: .rejected, error: APIErrorBody(code: .conflict, message: "This mutation id is already used")))
                    continue
                }
                var replay = earlier.result
                replay.status = .duplicate
                results.append(replay)
                continue
            }
            var result: MutationResult
            do {
                switch mutation.kind {
                case .progressUpsert(let update):
                    result = MutationResult(id: mutation.id, status: .applied, progress: try state.apply(update, viewer: viewer, now: now))
                case .quizSubmit(let lessonID, let submission):
                    try await state.flush(db: db, viewer: viewer, now: now)
                    let outcome = try await learning.submitQuiz(lessonID: lessonID, submission, now: now)
                    try await state.reload(lessonID: lessonID, db: db, viewer: viewer, now: now)
                    state.activity.quizAttempted = true
                    state.activity.days.insert(ISO8601.utcDayNumber(outcome.result.completedAt))
                    result = MutationResult(id: mutation.id, status: .applied, quizResult: outcome.result)
                case .unknown(let type, _):
                    throw APIFailure.validation("Unknown mutation type '\(type)'")
                }
                lastApplied = results.count
            } catch let failure as APIFailure where failure.status.code < 500 {
                result = MutationResult(
                    id: mutation.id, status: .rejected, error: APIErrorBody(code: failure.code, message: failure.message, details: failure.details))
            }
            resultByID[mutation.id] = result
            newResults.append((result, mutation.typeName))
            results.append(result)
        }
        try await state.flush(db: db, viewer: viewer, now: now)
        if let lastApplied {
            let awarded = try await learning.awardBadges(now: now, batch: state.activity)
            if !awarded.isEmpty {
                results[lastApplied].awardedBadges = awarded
                if let index = newResults.firstIndex(where: { $0.result.id == results[lastApplied].id }) {
                    newResults[index].result = results[lastApplied]
                }
            }
        }
        try await AppliedMutationStore(db: db).insert(newResults, userID: viewer.userID, clientID: clientID, at: now)
        return results
    }

    /// The records the batch's progress updates are decided against: its lessons with the one
    /// before each, their courses, and the learner's purchases and rows, a statement each.
    private func load(lessonIDs: [UUID]) async throws -> PushState {
        var state = PushState()
        guard !lessonIDs.isEmpty else { return state }
        let lessons = Set(lessonIDs)
        let courses = CourseStore(db: db)
        let found = try await courses.courses(ofLessons: lessons)
        state.courseOfLesson = found.courseOfLesson
        state.courses = Dictionary(uniqueKeysWithValues: found.courses.map { ($0.id, $0) })
        state.placements = try await courses.placements(ofLessons: lessons)
        let store = LearnerStore(db: db)
        let purchases = try await store.purchases(userID: viewer.userID, tenantID: viewer.tenantID)
        for row in try await store.progress(userID: viewer.userID, lessonIDs: lessons) {
            state.progress[row.lessonID] = row
        }
        // Sequencing asks about the lessons just before the batch's, and the batch's own.
        let asked = lessons.union(state.placements.values.compactMap { $0.previous?.id })
        // `apply` checked the account first.
        state.learner = LearnerContext(
            userID: viewer.userID, role: viewer.role, status: .active, tenantID: viewer.tenantID, purchases: purchases,
            completedLessonIDs: try await store.completedLessonIDs(userID: viewer.userID, lessonIDs: asked))
        return state
    }
}

/// What a batch has read and what it will write, in memory between the statements.
private struct PushState {
    var courseOfLesson: [UUID: UUID] = [:]
    var courses: [UUID: Course] = [:]
    var placements: [UUID: (lesson: Lesson, previous: LessonAccess.Previous?)] = [:]
    var progress: [UUID: UserProgress] = [:]
    var learner = LearnerContext(userID: UUID(), role: .learner, tenantID: nil, purchases: [], completedLessonIDs: [])
    /// Changed rows not yet written, by lesson.
    var pending: [UUID: UserProgress] = [:]
    /// What the batch changed that badges look at.
    var activity = LearningService.BatchActivity()

    mutating func apply(_ update: ProgressUpsert, viewer: Principal, now: Date) throws -> UserProgress {
        try LearningService.validate(update)
        guard let courseID = courseOfLesson[update.lessonID], let course = courses[courseID], let placement = placements[update.lessonID] else {
            throw APIFailure.notFound("Lesson")
        }
        let lesson = placement.lesson
        let decision = try AccessService.decide(lesson, previous: placement.previous, in: course, for: learner, viewer: viewer)
        try LearningService.check(update, lesson: lesson, decision: decision)
        let (row, changed) = LearningService.merged(
            progress[update.lessonID], userID: viewer.userID, lessonID: update.lessonID, courseID: courseID,
            seconds: update.progressSeconds, completed: update.completed,
            completedAt: update.completed ? min(update.completedAt ?? now, now) : nil, now: now)
        if changed {
            if row.completed, progress[update.lessonID]?.completed != true { activity.completedIn.insert(courseID) }
            progress[update.lessonID] = row
            pending[update.lessonID] = row
            if row.completed { learner.completedLessonIDs.insert(update.lessonID) }
            activity.days.insert(ISO8601.utcDayNumber(now))
            if let completedAt = row.completedAt { activity.days.insert(ISO8601.utcDayNumber(completedAt)) }
        }
        return row
    }

    /// Writes the changed rows and their change-log entries: two or three statements whatever
    /// their number.
    mutating func flush(db: any SQLDatabase, viewer: Principal, now: Date) async throws {
        guard !pending.isEmpty else { return }
        let rows = Array(pending.values)
        try await LearnerStore(db: db).upsert(rows)
        try await ChangeLog(db: db).record(.progress, ids: rows.map(\.id), userID: viewer.userID, at: now)
        pending = [:]
    }

    /// Reads a lesson's row again after `LearningService` wrote it (a passed quiz completes it).
    mutating func reload(lessonID: UUID, db: any SQLDatabase, viewer: Principal, now: Date) async throws {
        guard let row = try await LearnerStore(db: db).progress(userID: viewer.userID, lessonID: lessonID) else { return }
        if row.completed, progress[lessonID]?.completed != true {
            activity.completedIn.insert(row.courseID)
            activity.days.insert(ISO8601.utcDayNumber(now))
        }
        progress[lessonID] = row
        if row.completed { learner.completedLessonIDs.insert(lessonID) }
    }
}

extension SyncMutation {
    var progressLessonID: UUID? {
        if case .progressUpsert(let update) = kind { return update.lessonID }
        return nil
    }
}
