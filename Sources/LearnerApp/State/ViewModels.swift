import Foundation
import LMSClient
import LMSKit

/// Rows of the home screen, in order.
public enum HomeItem: Hashable, Sendable {
    case resume(Course, Lesson)
    case course(Course)
    case browse
    case progress
    case badges
}

public enum HomeModel {
    public static func items(_ state: AppState) -> [HomeItem] {
        guard let library = state.library else { return [.browse] }
        var items: [HomeItem] = []
        if let (course, lesson) = nextLesson(state) { items.append(.resume(course, lesson)) }
        items += library.myCourses.map(HomeItem.course)
        items += [.browse, .progress, .badges]
        return items
    }

    /// The next lesson of the course touched last, using only course files already loaded.
    static func nextLesson(_ state: AppState) -> (Course, Lesson)? {
        guard let library = state.library else { return nil }
        let recent = library.snapshot.progress.max { $0.updatedAt < $1.updatedAt }?.courseID
        let courses = library.myCourses.sorted { ($0.id == recent ? 0 : 1) < ($1.id == recent ? 0 : 1) }
        for course in courses {
            guard let file = state.courses[course.id], let lesson = library.progress(in: file).nextLesson else { continue }
            return (course, lesson)
        }
        return nil
    }
}

public enum CatalogModel {
    /// Published courses matching the filter (case-insensitive, anywhere in the title).
    public static func courses(_ state: AppState) -> [Course] {
        guard let library = state.library else { return [] }
        let query = state.filter?.value ?? state.filterText
        // Shared, not copied: this runs on every key and every frame, over the whole catalog.
        let visible = library.listedCourses
        guard !query.isEmpty else { return visible }
        return visible.filter { $0.title.localizedCaseInsensitiveContains(query) }
    }
}

/// One row of the course screen: a chapter header or a lesson.
public enum CourseRow: Hashable, Sendable {
    case chapter(Chapter, done: Int, total: Int, collapsed: Bool)
    case lesson(Lesson, LessonState)
}

public enum LessonState: Hashable, Sendable {
    case done
    case inProgress(seconds: Int)
    case open
    case locked(String)
}

public enum CourseModel {
    public static func rows(_ state: AppState, courseID: UUID) -> [CourseRow] {
        guard let library = state.library, let file = state.courses[courseID] else { return [] }
        let outline = file.outline
        let decisions = Dictionary(LessonAccess.decideAll(in: outline, for: library.learner()).map { ($0.0.id, $0.1) }, uniquingKeysWith: { a, _ in a })
        let progress = Dictionary(library.snapshot.progress(inCourse: courseID).map { ($0.lessonID, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [CourseRow] = []
        for chapter in outline.orderedChapters {
            let done = chapter.lessons.filter { progress[$0.id]?.completed == true }.count
            let collapsed = state.collapsed.contains(chapter.chapter.id)
            rows.append(.chapter(chapter.chapter, done: done, total: chapter.lessons.count, collapsed: collapsed))
            guard !collapsed else { continue }
            for lesson in chapter.lessons {
                rows.append(.lesson(lesson, lessonState(progress[lesson.id], decisions[lesson.id])))
            }
        }
        return rows
    }

    static func lessonState(_ row: UserProgress?, _ decision: AccessDecision?) -> LessonState {
        if row?.completed == true { return .done }
        if let reason = decision?.lockReason { return .locked(reason.description) }
        if let seconds = row?.progressSeconds, seconds > 0 { return .inProgress(seconds: seconds) }
        return .open
    }
}
