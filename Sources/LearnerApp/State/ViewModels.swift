import Foundation
import LMSClient
import LMSKit

/// Rows of the home screen, in order.
public enum HomeItem: Hashable, Sendable {
    case resume(Course, Lesson)
    /// A course the signed-in instructor teaches, drafts included: Enter previews it.
    case teaching(Course)
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
        items += teaching(library).map(HomeItem.teaching)
        items += library.myCourses.map(HomeItem.course)
        items += [.browse, .progress, .badges]
        return items
    }

    /// The courses the signed-in user teaches, drafts first (work in progress), then by title.
    static func teaching(_ library: CourseLibrary) -> [Course] {
        guard let me = library.me, me.role == .instructor || me.role == .admin else { return [] }
        return library.listedCourses.filter { $0.instructorID == me.id }
            .sorted { ($0.status == .draft ? 0 : 1, $0.title) < ($1.status == .draft ? 0 : 1, $1.title) }
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
    /// What the catalog is filtered by: the filter being typed, or the one kept.
    static func query(_ state: AppState) -> String { state.filter?.value ?? state.filterText }

    public static func courses(_ state: AppState) -> [Course] {
        guard let library = state.library else { return [] }
        let query = query(state)
        // Shared, not copied: this runs on every key and every frame, over the whole catalog.
        let visible = library.listedCourses
        guard !query.isEmpty else { return visible }
        if let search = state.catalogSearch, search.query == CatalogSearch.fold(query) { return search.courses }
        return CatalogSearch(visible).narrowed(to: query, in: visible).courses
    }

    /// Brings `state.catalogSearch` up to date with the filter and the library; `App.update`
    /// calls it after every change to either.
    static func refreshSearch(_ state: inout AppState) {
        let query = query(state)
        // An empty filter shows every course; the last matches stay, valid for this library.
        guard let library = state.library, !query.isEmpty else { return }
        let visible = library.listedCourses
        let search = state.catalogSearch ?? CatalogSearch(visible)
        state.catalogSearch = search.narrowed(to: query, in: visible)
    }
}

/// The catalog's titles folded for matching and the courses the filter matched, kept so that
/// no frame or key searches every title again; a query that extends the last one searches only
/// its matches.
public struct CatalogSearch: Sendable {
    /// Lowercased titles, in `listedCourses` order.
    let titles: [String]
    /// The folded query the matches are for; "" before the first search.
    private(set) var query = ""
    /// Positions in `listedCourses`, and those courses.
    private(set) var matches: [Int] = []
    public private(set) var courses: [Course] = []

    init(_ visible: [Course]) {
        titles = visible.map { Self.fold($0.title) }
    }

    static func fold(_ text: String) -> String { text.lowercased() }

    func narrowed(to rawQuery: String, in visible: [Course]) -> CatalogSearch {
        let query = Self.fold(rawQuery)
        guard query != self.query else { return self }
        // Every title containing "abc" contains "ab": a longer query looks only at what matched.
        let candidates = !self.query.isEmpty && query.hasPrefix(self.query) ? matches : Array(visible.indices)
        var next = self
        next.query = query
        next.matches = candidates.filter { Self.contains(titles[$0], query) }
        next.courses = next.matches.map { visible[$0] }
        return next
    }

    /// Substring search on UTF-8 bytes: both sides are folded already.
    static func contains(_ title: String, _ query: String) -> Bool {
        var title = title, query = query
        return title.withUTF8 { haystack in query.withUTF8 { needle in contains(haystack, needle) } }
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var start = 0
        while start <= haystack.count - needle.count {
            if haystack[start] == first,
               memcmp(haystack.baseAddress! + start, needle.baseAddress!, needle.count) == 0 {
                return true
            }
            start += 1
        }
        return false
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
