import Foundation
import LMSKit
import SQLKit

/// A learner's writes: progress and quiz attempts, then badges. The REST endpoints and the sync
/// push both go through here, so offline work is judged exactly like online work.
struct LearningService {
    let db: any SQLDatabase
    let viewer: Principal

    /// Serialises one learner's writes (see `AccountStatus.lock`).
    func lockLearner() async throws {
        try await AccountStatus(db: db).lock(viewer.userID)
    }

    /// Merges an update into the learner's row with `ProgressMerge`; refuses locked lessons.
    func upsertProgress(_ update: ProgressUpsert, now: Date) async throws -> UserProgress {
        try Self.validate(update)
        let access = try await AccessService(db: db).lesson(update.lessonID, for: viewer)
        try Self.check(update, lesson: access.lesson, decision: access.decision)
        return try await saveProgress(
            lessonID: update.lessonID, courseID: access.course.id, seconds: update.progressSeconds,
            completed: update.completed, completedAt: update.completed ? min(update.completedAt ?? now, now) : nil, now: now)
    }

    static func validate(_ update: ProgressUpsert) throws {
        guard update.progressSeconds >= 0, update.progressSeconds <= ProgressUpsert.maximumSeconds else {
            throw APIFailure.validation("progress_seconds must be between 0 and \(ProgressUpsert.maximumSeconds)")
        }
    }

    /// Refuses an update the lesson does not allow: locked, or completing a quiz without passing it.
    static func check(_ update: ProgressUpsert, lesson: Lesson, decision: AccessDecision) throws {
        try AccessService.requireGranted(decision)
        if lesson.type == .quiz, update.completed {
            throw APIFailure.validation("A quiz lesson is completed by passing its quiz, not by marking it complete")
        }
    }

    /// The learner's row after an update: merged into the existing one (keeping its id and
    /// creation time), and whether anything changed.
    static func merged(
        _ existing: UserProgress?, userID: UUID, lessonID: UUID, courseID: UUID, seconds: Int, completed: Bool,
        completedAt: Date?, now: Date
    ) -> (row: UserProgress, changed: Bool) {
        let incoming = UserProgress(
            id: UUID(), userID: userID, courseID: courseID, lessonID: lessonID, completed: completed,
            progressSeconds: seconds, completedAt: completedAt, createdAt: now, updatedAt: now)
        guard let existing else { return (incoming, true) }
        var merged = ProgressMerge.merge(existing, incoming)
        merged.id = existing.id
        merged.createdAt = existing.createdAt
        merged.updatedAt = existing.updatedAt
        let changed = existing.completed != merged.completed || existing.progressSeconds != merged.progressSeconds
            || existing.completedAt != merged.completedAt
        if changed { merged.updatedAt = now }
        return (merged, changed)
    }

    private func saveProgress(
        lessonID: UUID, courseID: UUID, seconds: Int, completed: Bool, completedAt: Date?, now: Date
    ) async throws -> UserProgress {
        let store = LearnerStore(db: db)
        let existing = try await store.progress(userID: viewer.userID, lessonID: lessonID)
        let (merged, changed) = Self.merged(
            existing, userID: viewer.userID, lessonID: lessonID, courseID: courseID, seconds: seconds, completed: completed,
            completedAt: completedAt, now: now)
        if changed {
            try await store.upsert([merged])
            try await ChangeLog(db: db).record(.progress, id: merged.id, userID: viewer.userID, at: now)
        }
        return merged
    }

    struct QuizOutcome {
        let result: QuizResult
        let replayed: Bool
    }

    /// Grades an attempt on the server. A replayed `client_attempt_id` returns the stored result.
    /// A passed quiz completes its lesson.
    func submitQuiz(lessonID: UUID, _ submission: QuizSubmission, now: Date) async throws -> QuizOutcome {
        let store = LearnerStore(db: db)
        if let stored = try await store.quizResult(userID: viewer.userID, clientAttemptID: submission.clientAttemptID) {
            guard stored.lessonID == lessonID else {
                throw APIFailure.conflict("client_attempt_id \(submission.clientAttemptID) was already used for another quiz")
            }
            return QuizOutcome(result: stored, replayed: true)
        }
        let access = try await AccessService(db: db).lesson(lessonID, for: viewer)
        guard access.lesson.type == .quiz else { throw APIFailure.validation("Lesson \(lessonID) is not a quiz") }
        try AccessService.requireGranted(access.decision)
        let questions = try await CourseStore(db: db).questions(lessonID: lessonID)
        let grade: QuizGrade
        do {
            grade = try QuizGrader.grade(questions: questions, answers: submission.answers, passMark: QuizPassMark(course: access.course))
        } catch {
            throw APIFailure.validation(error.description)
        }
        // An offline attempt keeps the time it was taken, but never a time in the future.
        let completedAt = min(submission.completedAt ?? now, now)
        let result = QuizResult(
            id: UUID(), userID: viewer.userID, lessonID: lessonID, score: grade.score, maxScore: grade.maxScore,
            passed: grade.passed, answers: grade.answers,
            attemptNumber: try await store.attemptCount(userID: viewer.userID, lessonID: lessonID) + 1,
            clientAttemptID: submission.clientAttemptID, completedAt: completedAt, createdAt: now)
        try await store.insert(result)
        try await ChangeLog(db: db).record(.quizResult, id: result.id, userID: viewer.userID, at: now)
        if grade.passed {
            _ = try await saveProgress(
                lessonID: lessonID, courseID: access.course.id, seconds: 0, completed: true, completedAt: completedAt, now: now)
        }
        return QuizOutcome(result: result, replayed: false)
    }

    /// Awards every badge whose criteria the learner now meets and has not earned yet.
    /// What a batch of work changed, for badges: see `BadgeTrigger`.
    struct BatchActivity {
        var completedIn: Set<UUID> = []
        var quizAttempted = false
        /// UTC day numbers the batch's writes make the learner active on.
        var days: Set<Int> = []
    }

    /// Awards the badges the learner now meets. With `batch`, only badges one of whose rules the
    /// batch can change are evaluated, over only the facts their rules need; without it (a single
    /// request), every badge not yet earned.
    func awardBadges(now: Date, batch: BatchActivity? = nil) async throws -> [UserBadge] {
        let store = LearnerStore(db: db)
        var candidates = try await store.badgesNotEarned(userID: viewer.userID)
        if let batch {
            var trigger = BadgeTrigger(completedIn: batch.completedIn, quizAttempted: batch.quizAttempted)
            let streaks = candidates.contains { $0.criteria.rules.contains { if case .streakDays = $0 { true } else { false } } }
            if streaks, !batch.days.isEmpty {
                // Activity before this batch (whose writes are stamped `now`) on the batch's days.
                let active = try await store.activeDays(userID: viewer.userID, among: batch.days, before: now)
                trigger.newActiveDay = !batch.days.isSubset(of: active)
            }
            candidates = candidates.filter { trigger.mayChange($0.criteria) }
        }
        guard !candidates.isEmpty else { return [] }
        let facts = batch == nil ? nil : BadgeFacts(for: candidates.map(\.criteria))
        let progress = facts.map { $0.allProgress } ?? true
            ? try await store.progress(userID: viewer.userID)
            : try await store.progress(userID: viewer.userID, courseIDs: facts?.courses ?? [])
        let results = facts.map(\.quizResults) ?? true ? try await store.quizResults(userID: viewer.userID) : []
        var courseIDs = Set(progress.map(\.courseID))
        for badge in candidates { courseIDs.formUnion(badge.criteria.rules.compactMap(\.courseID)) }
        let lessonCounts = try await CourseStore(db: db).lessonCounts(courseIDs: courseIDs)
        let record = LearnerRecord(progress: progress, quizResults: results, lessonCounts: lessonCounts)
        var awarded: [UserBadge] = []
        for badge in candidates {
            let evaluation = BadgeEvaluator.evaluate(badge.criteria, record: record)
            guard evaluation.isEarned else { continue }
            let award = UserBadge(id: UUID(), userID: viewer.userID, badgeID: badge.id, courseID: evaluation.courseID, earnedAt: now)
            try await store.insert(award)
            try await ChangeLog(db: db).record(.userBadge, id: award.id, userID: viewer.userID, at: now)
            awarded.append(award)
        }
        return awarded
    }
}
