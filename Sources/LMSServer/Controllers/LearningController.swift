import Foundation
import LMSKit
import SQLKit
import Vapor

/// Progress, quiz attempts and badges of the signed-in learner.
struct LearningController {
    func boot(_ routes: any RoutesBuilder) {
        routes.get("progress", use: listProgress)
        routes.put("progress", use: upsertProgress)
        routes.post("lessons", ":lesson_id", "quiz", "attempts", use: submitQuiz)
        routes.get("lessons", ":lesson_id", "quiz", "attempts", use: listAttempts)
        routes.get("badges", use: allBadges)
        routes.get("me", "badges", use: myBadges)
    }

    func listProgress(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        var courseID: UUID?
        if let text = try req.query.get(String?.self, at: "course_id") {
            guard let id = UUID(uuidString: text) else { throw APIFailure.validation("course_id must be a UUID") }
            courseID = id
        }
        return try json(ItemList(items: try await LearnerStore(db: req.sql).progress(userID: viewer.userID, courseID: courseID)))
    }

    func upsertProgress(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let update = try req.decodeBody(ProgressUpsert.self)
        let response = try await req.writeTransaction { db in
            let service = LearningService(db: db.sql, viewer: viewer)
            try await service.lockLearner()
            let now = Date()
            let progress = try await service.upsertProgress(update, now: now)
            return ProgressUpsertResponse(progress: progress, awardedBadges: try await service.awardBadges(now: now))
        }
        return try json(response)
    }

    func submitQuiz(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let lessonID = try req.uuidParameter("lesson_id", what: "Lesson")
        let submission = try req.decodeBody(QuizSubmission.self)
        let response = try await req.writeTransaction { db in
            let service = LearningService(db: db.sql, viewer: viewer)
            try await service.lockLearner()
            let now = Date()
            let outcome = try await service.submitQuiz(lessonID: lessonID, submission, now: now)
            let awarded = outcome.replayed ? [] : try await service.awardBadges(now: now)
            return QuizAttemptResponse(result: outcome.result, awardedBadges: awarded, replayed: outcome.replayed)
        }
        return try json(response, status: response.replayed ? .ok : .created)
    }

    func listAttempts(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let lessonID = try req.uuidParameter("lesson_id", what: "Lesson")
        return try json(ItemList(items: try await LearnerStore(db: req.sql).quizResults(userID: viewer.userID, lessonID: lessonID)))
    }

    func allBadges(_ req: Request) async throws -> Response {
        _ = try req.principal
        return try taggedJSON(ItemList(items: try await LearnerStore(db: req.sql).badges()), for: req)
    }

    func myBadges(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let store = LearnerStore(db: req.sql)
        let badges = Dictionary(uniqueKeysWithValues: try await store.badges().map { ($0.id, $0) })
        let earned = try await store.userBadges(userID: viewer.userID).compactMap { award in
            badges[award.badgeID].map { EarnedBadge(badge: $0, award: award) }
        }
        return try json(ItemList(items: earned))
    }
}
