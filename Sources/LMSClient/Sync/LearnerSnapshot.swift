import Foundation
import LMSKit

/// A quiz taken offline that the server has not graded yet.
public struct PendingAttempt: Sendable, Equatable {
    public var mutationID: UUID
    public var lessonID: UUID
    public var submission: QuizSubmission
    public var takenAt: Date
}

/// What the learner sees: the server's records with their unsynced work applied on top, so
/// completing a lesson offline shows at once and survives a restart.
public struct LearnerSnapshot: Sendable, Equatable {
    public var progress: [UserProgress]
    public var quizResults: [QuizResult]
    public var pendingAttempts: [PendingAttempt]
    public var rejected: [OutboxEntry]
    public var pendingCount: Int
    public var badges: [Badge]
    public var earned: [UserBadge]
    public var purchases: [Purchase]

    /// - Parameter courseOf: the course a lesson belongs to, for progress rows made offline.
    public static func make(
        records: LearnerRecords, outbox: [OutboxEntry], userID: UUID, courseOf: (UUID) -> UUID?
    ) -> LearnerSnapshot {
        var byLesson = Dictionary(records.progress.map { ($0.lessonID, $0) }, uniquingKeysWith: ProgressMerge.merge)
        var pendingAttempts: [PendingAttempt] = []
        for entry in outbox where entry.state == .pending {
            switch entry.mutation.kind {
            case .progressUpsert(let update):
                guard let courseID = byLesson[update.lessonID]?.courseID ?? courseOf(update.lessonID) else { continue }
                let local = UserProgress(
                    id: entry.mutation.id, userID: userID, courseID: courseID, lessonID: update.lessonID,
                    completed: update.completed, progressSeconds: update.progressSeconds,
                    completedAt: update.completed ? (update.completedAt ?? entry.mutation.createdAt) : nil,
                    createdAt: entry.mutation.createdAt, updatedAt: entry.mutation.createdAt)
                byLesson[update.lessonID] = byLesson[update.lessonID].map { ProgressMerge.merge($0, local) } ?? local
            case .quizSubmit(let lessonID, let submission):
                pendingAttempts.append(PendingAttempt(
                    mutationID: entry.mutation.id, lessonID: lessonID, submission: submission,
                    takenAt: submission.completedAt ?? entry.mutation.createdAt))
            case .unknown:
                continue
            }
        }
        return LearnerSnapshot(
            progress: byLesson.values.sorted { $0.updatedAt != $1.updatedAt ? $0.updatedAt < $1.updatedAt : $0.id.precedes($1.id) },
            quizResults: records.quizResults, pendingAttempts: pendingAttempts,
            rejected: outbox.filter { $0.state == .rejected }, pendingCount: outbox.filter { $0.state == .pending }.count,
            badges: records.badges, earned: records.earned, purchases: records.purchases)
    }

    public func progress(inCourse courseID: UUID) -> [UserProgress] { progress.filter { $0.courseID == courseID } }

    public var completedLessonIDs: Set<UUID> { Set(progress.lazy.filter(\.completed).map(\.lessonID)) }
}
