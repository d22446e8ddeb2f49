import Foundation
import LMSKit

/// Read-only questions about the cached courses, answered with LMSKit's rules over the learner's
/// optimistic snapshot. Shared by the CLI and the TUI so both say the same thing.
public final class CourseLibrary: Sendable {
    public let index: CacheIndex
    public let snapshot: LearnerSnapshot
    public let store: AccountStore
    public let userID: UUID
    /// Worked out once: every screen asks for them, once per row, on every frame.
    private let learnerContext: LearnerContext
    /// Courses the learner is taking: owned ones, and free ones they have started.
    public let myCourses: [Course]
    /// The catalog as listed: every course not deleted, in the index's order.
    public let listedCourses: [Course]
    /// Quizzes left half-way, by lesson, as they were on disk when the library was read.
    public let quizDrafts: [UUID: QuizDraft]

    public init(index: CacheIndex, snapshot: LearnerSnapshot, store: AccountStore, userID: UUID, quizDrafts: [QuizDraft] = []) {
        self.index = index
        self.quizDrafts = Dictionary(quizDrafts.map { ($0.lessonID, $0) }, uniquingKeysWith: { _, last in last })
        self.snapshot = snapshot
        self.store = store
        self.userID = userID
        let me = index.me?.user
        let learner = LearnerContext(
            userID: userID, role: me?.role ?? .learner, status: me?.status ?? .active, tenantID: me?.tenantID,
            purchases: snapshot.purchases, completedLessonIDs: snapshot.completedLessonIDs)
        learnerContext = learner
        listedCourses = index.courses.allSatisfy { $0.deletedAt == nil } ? index.courses : index.courses.filter { $0.deletedAt == nil }
        let started = Set(snapshot.progress.map(\.courseID))
        myCourses = index.courses.filter { course in
            guard course.deletedAt == nil else { return false }
            let grant = LessonAccess.ownershipGrant(course: course, learner: learner)
            return grant == .purchased || grant == .tenantLicence || started.contains(course.id)
        }
    }

    public static func load(_ session: ClientSession, notices: inout AccountStore.Notices) throws -> CourseLibrary {
        let (index, snapshot) = try session.snapshot(notices: &notices)
        let drafts = try session.store.quizDrafts(notices: &notices)
        return CourseLibrary(index: index, snapshot: snapshot, store: session.store, userID: session.credentials.userID, quizDrafts: drafts)
    }

    public var me: User? { index.me?.user }

    public func learner() -> LearnerContext { learnerContext }

    public func ownership(of course: Course) -> AccessGrant? {
        LessonAccess.ownershipGrant(course: course, learner: learner())
    }

    /// A course by slug, id, or a unique case-insensitive title fragment.
    public func findCourse(_ query: String) -> Course? {
        if let course = index.courses.first(where: { $0.slug == query || $0.id.uuidString.lowercased() == query.lowercased() }) {
            return course
        }
        let matches = index.courses.filter { $0.title.localizedCaseInsensitiveContains(query) }
        return matches.count == 1 ? matches[0] : nil
    }

    public func courseFile(_ id: UUID) -> CourseFile? {
        var ignored = AccountStore.Notices()
        return try? store.course(id, notices: &ignored)
    }

    public func progress(in file: CourseFile) -> CourseProgress {
        let outline = file.outline
        let learner = learner()
        let decisions = Dictionary(LessonAccess.decideAll(in: outline, for: learner).map { ($0.0.id, $0.1) }, uniquingKeysWith: { a, _ in a })
        return CourseProgress.compute(
            outline: outline, progress: snapshot.progress(inCourse: file.course.id),
            isUnlocked: { decisions[$0.id]?.isGranted ?? false })
    }

    /// The course's quiz figure (best score per quiz, averaged over those taken); nil when none was.
    public func quizSummary(in file: CourseFile) -> QuizSummary? {
        QuizSummary.of(results: snapshot.quizResults, quizLessons: Set(file.lessons.filter { $0.type == .quiz }.map(\.id)))
    }

    /// The lesson to study next: in the course touched last, else the first course taken.
    public func nextLesson() -> (Course, Lesson)? {
        let recent = snapshot.progress.max { $0.updatedAt < $1.updatedAt }?.courseID
        let ordered = myCourses.sorted { ($0.id == recent ? 0 : 1) < ($1.id == recent ? 0 : 1) }
        for course in ordered {
            guard let file = courseFile(course.id), let lesson = progress(in: file).nextLesson else { continue }
            return (course, lesson)
        }
        return nil
    }

    /// A lesson by id or unique title fragment, searched in the cached course files.
    public func findLesson(_ query: String) -> (CourseFile, Lesson)? {
        var matches: [(CourseFile, Lesson)] = []
        for course in index.courses {
            guard let file = courseFile(course.id) else { continue }
            for lesson in file.lessons {
                if lesson.id.uuidString.lowercased() == query.lowercased() { return (file, lesson) }
                if lesson.title.localizedCaseInsensitiveContains(query) { matches.append((file, lesson)) }
            }
        }
        return matches.count == 1 ? matches[0] : nil
    }
}
