import Foundation

/// Why a lesson is open to someone.
public enum AccessGrant: Hashable, Sendable {
    case admin
    case instructor
    case freeLesson
    case freeCourse
    case purchased
    case tenantLicence
}

/// Why a lesson is closed, phrased for the learner (in the spirit of Canvas's lock explanations).
public enum LockReason: Hashable, Sendable, CustomStringConvertible {
    case courseUnavailable
    case purchaseRequired(price: Decimal, currency: Currency)
    case requiresPrevious(lessonID: UUID, lessonTitle: String)
    case accountInactive

    public var description: String {
        switch self {
        case .courseUnavailable: "This course is not available yet"
        case .purchaseRequired(let price, let currency): "Buy the course to unlock (\(currency.display(price)))"
        case .requiresPrevious(_, let title): "Complete '\(title)' first"
        case .accountInactive: "Your account is not active"
        }
    }
}

public enum AccessDecision: Hashable, Sendable {
    case granted(AccessGrant)
    case locked(LockReason)

    public var isGranted: Bool { if case .granted = self { true } else { false } }
    public var lockReason: LockReason? { if case .locked(let reason) = self { reason } else { nil } }
}

/// Everything the access rule needs to know about one learner in one course.
public struct LearnerContext: Sendable {
    public var userID: UUID
    public var role: UserRole
    public var status: UserStatus
    public var tenantID: UUID?
    /// The learner's purchases and their tenant's, in any course; only completed ones count.
    public var purchases: [Purchase]
    /// Lessons the learner has completed.
    public var completedLessonIDs: Set<UUID>

    public init(
        userID: UUID, role: UserRole, status: UserStatus = .active, tenantID: UUID?, purchases: [Purchase],
        completedLessonIDs: Set<UUID>
    ) {
        self.userID = userID
        self.role = role
        self.status = status
        self.tenantID = tenantID
        self.purchases = purchases
        self.completedLessonIDs = completedLessonIDs
    }

    /// Administrators of the whole platform (no tenant) open every course; a tenant's
    /// administrator manages people and purchases and studies as a learner does.
    public var isPlatformAdmin: Bool { role == .admin && tenantID == nil }

    public init(user: User, purchases: [Purchase], progress: [UserProgress]) {
        self.init(
            userID: user.id, role: user.role, status: user.status, tenantID: user.tenantID, purchases: purchases,
            completedLessonIDs: Set(progress.lazy.filter(\.completed).map(\.lessonID)))
    }
}

/// May this learner open this lesson? Pure: the server enforces it, the client explains it offline.
///
/// Order of the checks:
/// 1. an inactive (pending, suspended) account opens nothing, whatever its role;
/// 2. admins and the course's instructor may open anything, drafts included;
/// 3. a course that is neither published nor archived (a draft) is closed to learners, and so is an
///    archived course to anyone who does not already own it (Udemy-style retirement);
/// 4. entitlement: a free lesson (preview), a free course, the learner's own completed purchase,
///    or a completed purchase made by the learner's tenant;
/// 5. sequencing: for an entitled learner, a lesson with `requires_previous` needs the lesson before
///    it (by chapter position, then lesson position) completed. A free preview opened without
///    owning the course skips sequencing: the lessons before it may be paid and out of reach.
public enum LessonAccess {
    public static func decide(lesson: Lesson, in outline: CourseOutline, for learner: LearnerContext) -> AccessDecision {
        decide(lesson: lesson, orderedLessons: outline.orderedLessons, course: outline.course, for: learner)
    }

    /// Decides for every lesson of a course at once, in study order.
    public static func decideAll(in outline: CourseOutline, for learner: LearnerContext) -> [(Lesson, AccessDecision)] {
        let ordered = outline.orderedLessons
        return ordered.enumerated().map { index, lesson in
            (lesson, decide(lesson: lesson, previous: index > 0 ? ordered[index - 1] : nil, course: outline.course, for: learner))
        }
    }

    static func decide(lesson: Lesson, orderedLessons: [Lesson], course: Course, for learner: LearnerContext) -> AccessDecision {
        let index = orderedLessons.firstIndex { $0.id == lesson.id }
        let previous = index.flatMap { $0 > 0 ? orderedLessons[$0 - 1] : nil }
        return decide(lesson: lesson, previous: previous, course: course, for: learner)
    }

    /// The decision when the lesson before it in study order is already known (`previous`).
    public static func decide(lesson: Lesson, previous: Lesson?, course: Course, for learner: LearnerContext) -> AccessDecision {
        decide(lesson: lesson, previous: previous.map { Previous(id: $0.id, title: $0.title) }, course: course, for: learner)
    }

    /// What sequencing needs of the lesson before: whether it was completed (by id), and its
    /// title for the reason.
    public struct Previous: Hashable, Sendable {
        public var id: UUID
        public var title: String

        public init(id: UUID, title: String) {
            self.id = id
            self.title = title
        }
    }

    public static func decide(lesson: Lesson, previous: Previous?, course: Course, for learner: LearnerContext) -> AccessDecision {
        if learner.status != .active { return .locked(.accountInactive) }
        if learner.isPlatformAdmin { return .granted(.admin) }
        if course.instructorID == learner.userID { return .granted(.instructor) }
        guard course.deletedAt == nil else { return .locked(.courseUnavailable) }

        let ownership = ownershipGrant(course: course, learner: learner)
        switch course.status {
        case .published: break
        case .archived where ownership != nil: break
        default: return .locked(.courseUnavailable)
        }

        guard let grant = ownership ?? (lesson.isFree ? .freeLesson : nil) else {
            return .locked(.purchaseRequired(price: course.price, currency: course.currency))
        }
        if grant != .freeLesson, lesson.requiresPrevious, let previous,
           !learner.completedLessonIDs.contains(previous.id) {
            return .locked(.requiresPrevious(lessonID: previous.id, lessonTitle: previous.title))
        }
        return .granted(grant)
    }

    /// How the learner owns the whole course, if they do.
    /// Whether the learner is the one to buy this course: a published paid course they do not
    /// own already, alone or through their tenant, and do not teach or administer.
    public static func mayBuy(course: Course, learner: LearnerContext) -> Bool {
        !course.isFree && course.status == .published && course.deletedAt == nil && !learner.isPlatformAdmin
            && course.instructorID != learner.userID && ownershipGrant(course: course, learner: learner) == nil
    }

    public static func ownershipGrant(course: Course, learner: LearnerContext) -> AccessGrant? {
        let completed = learner.purchases.filter { $0.courseID == course.id && $0.status == .completed }
        if completed.contains(where: { $0.userID == learner.userID }) { return .purchased }
        if let tenant = learner.tenantID, completed.contains(where: { $0.tenantID == tenant }) { return .tenantLicence }
        if course.isFree { return .freeCourse }
        return nil
    }
}
