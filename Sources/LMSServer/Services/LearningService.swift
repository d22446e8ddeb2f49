import Foundation
import LMSKit
import SQLKit

/// A learner's writes: progress and quiz attempts, then badges. The REST endpoints and the sync
/// push both go through here, so offline work is judged exactly like online work.
struct LearningService {
    let db: any SQLDatabase
    let viewer: Principal

    /// Serialises one learner's writes on PostgreSQL (SQLite has a single writer anyway), so two
    /// devices syncing at once cannot both award a badge or both number an attempt "2".
    func lockLearner() async throws {
        if SQLFlavor(db) == .postgres {
            try await db.raw("SELECT id FROM users WHERE id = \(bind: viewer.userID) FOR UPDATE").run()
        }
    }

    /// Merges an update into the learner's row with `ProgressMerge`; refuses locked lessons.
    func upsertProgress(_ update: ProgressUpsert, now: Date) async throws -> UserProgress {
        guard update.progressSeconds >= 0, update.progressSeconds <= 7 * 24 * 3600 else {
            throw APIFailure.validation("progress_seconds must be between 0 and 604800")
        }
        let access = try await AccessService(db: db).lesson(update.lessonID, for: viewer)
        try AccessService.requireGranted(access.decision)
        if access.lesson.type == .quiz, update.completed {
            throw APIFailure.validation("A quiz lesson is completed by passing its quiz, not by marking it complete")
        }
        return try await saveProgress(
            lessonID: update.lessonID, courseID: access.course.id, seconds: update.progressSeconds,
            completed: update.completed, completedAt: update.completed ? min(update.completedAt ?? now, now) : nil, now: now)
    }

    private func saveProgress(
        lessonID: UUID, courseID: UUID, seconds: Int, completed: Bool, completedAt: Date?, now: Date
    ) async throws -> UserProgress {
        let store = LearnerStore(db: db)
        let incoming = UserProgress(
            id: UUID(), userID: viewer.userID, courseID: courseID, lessonID: lessonID, completed: completed,
            progressSeconds: seconds, completedAt: completedAt, createdAt: now, updatedAt: now)
        let existing = try await store.progress(userID: viewer.userID, lessonID: lessonID)
        var merged = existing.map { ProgressMerge.merge($0, incoming) } ?? incoming
        if let existing {
            merged.id = existing.id
            merged.createdAt = existing.createdAt
            merged.updatedAt = existing.updatedAt
        }
        let changed = existing.map {
            $0.completed != merged.completed || $0.progressSeconds != merged.progressSeconds || $0.completedAt != merged.completedAt
        } ?? true
        if changed {
            merged.updatedAt = now
            try await store.save(merged, isNew: existing == nil)
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
    func awardBadges(now: Date) async throws -> [UserBadge] {
        let store = LearnerStore(db: db)
        let earned = try await store.userBadges(userID: viewer.userID)
        let earnedIDs = Set(earned.map(\.badgeID))
        let candidates = try await store.badges().filter { !earnedIDs.contains($0.id) }
        guard !candidates.isEmpty else { return [] }
        let progress = try await store.progress(userID: viewer.userID)
        let results = try await store.quizResults(userID: viewer.userID)
        var courseIDs = Set(progress.map(\.courseID))
        for badge in candidates { courseIDs.formUnion(badge.criteria.rules.compactMap(\.courseID)) }
        let record = LearnerRecord(
            progress: progress, quizResults: results,
            lessonCounts: try await CourseStore(db: db).lessonCounts(courseIDs: courseIDs))
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
