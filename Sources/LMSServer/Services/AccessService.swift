import Foundation
import LMSKit
import SQLKit

/// Loads what LMSKit's access rule needs and applies it, so every endpoint decides the same way.
struct AccessService {
    let db: any SQLDatabase

    struct LessonAccessResult {
        let course: Course
        let outline: CourseOutline
        let lesson: Lesson
        let learner: LearnerContext
        let decision: AccessDecision
    }

    /// The lesson, its course and the decision. A lesson in a course the viewer may not see at
    /// all is "not found", exactly like a lesson that does not exist.
    func lesson(_ lessonID: UUID, for viewer: Principal) async throws -> LessonAccessResult {
        let courses = CourseStore(db: db)
        guard let courseID = try await courses.courseID(ofLesson: lessonID),
              let course = try await courses.course(id: courseID),
              course.deletedAt == nil
        else { throw APIFailure.notFound("Lesson") }
        let learner = try await learnerContext(viewer, courseID: course.id)
        // A course the viewer may not see is not read further.
        guard Self.isVisible(course, to: learner, viewer: viewer) else { throw APIFailure.notFound("Lesson") }
        let outline = try await courses.outline(of: course)
        let (lesson, decision) = try Self.decide(lessonID, in: outline, for: learner, viewer: viewer)
        return LessonAccessResult(course: course, outline: outline, lesson: lesson, learner: learner, decision: decision)
    }

    /// The lesson and the decision, from records already loaded. A course the viewer may not see
    /// hides its lessons: "not found", exactly like a lesson that does not exist.
    static func decide(
        _ lessonID: UUID, in outline: CourseOutline, for learner: LearnerContext, viewer: Principal
    ) throws -> (Lesson, AccessDecision) {
        try decide(lessonID, in: OrderedCourse(outline), for: learner, viewer: viewer)
    }

    /// The same over a course whose lessons are already in study order (a push decides many).
    static func decide(
        _ lessonID: UUID, in course: OrderedCourse, for learner: LearnerContext, viewer: Principal
    ) throws -> (Lesson, AccessDecision) {
        guard isVisible(course.course, to: learner, viewer: viewer), let index = course.position[lessonID] else {
            throw APIFailure.notFound("Lesson")
        }
        let lesson = course.lessons[index]
        let previous = index > 0 ? course.lessons[index - 1] : nil
        return (lesson, LessonAccess.decide(lesson: lesson, previous: previous, course: course.course, for: learner))
    }

    /// The same from a lesson's place alone (a push decides lessons of many courses at once,
    /// reading only those lessons, not their whole outlines).
    static func decide(
        _ lesson: Lesson, previous: LessonAccess.Previous?, in course: Course, for learner: LearnerContext, viewer: Principal
    ) throws -> AccessDecision {
        guard isVisible(course, to: learner, viewer: viewer) else { throw APIFailure.notFound("Lesson") }
        return LessonAccess.decide(lesson: lesson, previous: previous, course: course, for: learner)
    }

    /// May the viewer see the course at all: not deleted, and published, theirs to teach, the
    /// platform's to administer, or archived but owned. The lessons, the feed and pushes ask this.
    static func isVisible(_ course: Course, to learner: LearnerContext, viewer: Principal) -> Bool {
        course.deletedAt == nil
            && (course.status == .published || viewer.isPlatformAdmin || course.instructorID == viewer.userID
                || (course.status == .archived && LessonAccess.ownershipGrant(course: course, learner: learner) != nil))
    }

    func learnerContext(_ viewer: Principal, courseID: UUID?) async throws -> LearnerContext {
        let store = LearnerStore(db: db)
        let purchases = try await store.purchases(userID: viewer.userID, tenantID: viewer.tenantID, courseID: courseID)
        let progress = try await store.progress(userID: viewer.userID, courseID: courseID)
        // The token was issued to an active user; read the status again so a suspension or
        // deletion (of the account or its tenant) takes effect at once, not when the token expires.
        let status: UserStatus = try await AccountStatus(db: db).isActive(viewer) ? .active : .suspended
        return LearnerContext(
            userID: viewer.userID, role: viewer.role, status: status, tenantID: viewer.tenantID, purchases: purchases,
            completedLessonIDs: Set(progress.lazy.filter(\.completed).map(\.lessonID)))
    }

    /// Throws the 403 a locked lesson answers with, naming the reason.
    static func requireGranted(_ decision: AccessDecision) throws {
        guard let reason = decision.lockReason else { return }
        switch reason {
        case .purchaseRequired(let price, let currency):
            throw APIFailure(
                status: .forbidden, code: .purchaseRequired, message: reason.description,
                details: .object(["price": .string(MoneyText.format(price)), "currency": .string(currency.rawValue)]))
        case .requiresPrevious(let lessonID, _):
            throw APIFailure(
                status: .forbidden, code: .lessonLocked, message: reason.description,
                details: .object(["requires_lesson_id": .string(lessonID.uuidString)]))
        case .accountInactive:
            throw APIFailure(status: .forbidden, code: .accountInactive, message: reason.description)
        case .courseUnavailable:
            throw APIFailure(status: .forbidden, code: .lessonLocked, message: reason.description)
        }
    }
}

/// A course's lessons in study order, with each lesson's place: what sequencing reads.
struct OrderedCourse {
    let course: Course
    let lessons: [Lesson]
    let position: [UUID: Int]

    init(_ outline: CourseOutline) {
        course = outline.course
        lessons = outline.orderedLessons
        position = Dictionary(uniqueKeysWithValues: lessons.enumerated().map { ($1.id, $0) })
    }
}
