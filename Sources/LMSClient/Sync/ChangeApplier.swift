import Foundation
import LMSKit

/// Applies one page of the sync feed to the cached files. Every step is an upsert or a delete by
/// id, so applying a page twice (after a crash before its cursor was saved) changes nothing more.
struct ChangeApplier {
    var index: CacheIndex
    /// Set on every change, so the caller saves only what a page touched without comparing
    /// maps of a hundred thousand entries.
    var structure: StructureMap { didSet { structureChanged = true } }
    var learner: LearnerRecords { didSet { learnerChanged = true } }
    private(set) var structureChanged = false
    private(set) var learnerChanged = false
    /// Course files touched by this page, loaded on first use.
    var courses: [UUID: CourseFile] = [:]
    /// Courses whose chapters or lessons changed: sorted once, after the whole page.
    private var unsorted: Set<UUID> = []

    init(index: CacheIndex, structure: StructureMap, learner: LearnerRecords, loadCourse: @escaping (UUID) -> CourseFile?) {
        self.index = index
        self.structure = structure
        self.learner = learner
        self.loadCourse = loadCourse
    }
    var deletedCourses: Set<UUID> = []
    let loadCourse: (UUID) -> CourseFile?

    mutating func apply(_ changes: [SyncChange]) {
        // A record waiting for its course is superseded by any newer change to it.
        let changed = Set(changes.map(RecordKey.init))
        index.waiting.removeAll { changed.contains(RecordKey($0)) }
        // Parents before children within the page; each record appears once, so this changes
        // no record's final state.
        let ordered = changes.enumerated()
            .sorted { (Self.rank($0.element.entity), $0.offset) < (Self.rank($1.element.entity), $1.offset) }
            .map(\.element)
        for change in ordered { apply(change) }
        // Then whatever waited (on this page or an earlier one) and may now find its course.
        let waiting = index.waiting
        index.waiting = []
        for change in waiting { apply(change) }
        for id in unsorted {
            courses[id]?.chapters.sort { $0.position != $1.position ? $0.position < $1.position : $0.id.precedes($1.id) }
            courses[id]?.lessons.sort { $0.position != $1.position ? $0.position < $1.position : $0.id.precedes($1.id) }
        }
        unsorted = []
        let titles = index.courses.map { $0.title.lowercased() }
        index.courses = zip(titles, index.courses)
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.id.precedes($1.1.id) }
            .map(\.1)
    }

    private mutating func apply(_ change: SyncChange) {
        switch change.op {
        case .upsert: if let data = change.data { upsert(data, change: change) }
        case .delete: delete(change.entity, id: change.id)
        case .other: return  // an operation from a newer server: leave the record as it is
        }
    }

    /// One record of the feed: the same entity and id.
    private struct RecordKey: Hashable {
        let entity: String
        let id: UUID
        init(_ change: SyncChange) {
            entity = change.entity.rawValue
            id = change.id
        }
    }

    private static func rank(_ entity: SyncEntity) -> Int {
        switch entity {
        case .course: 0
        case .chapter: 1
        case .lesson: 2
        case .lessonContent: 3
        default: 4
        }
    }

    private mutating func upsert(_ payload: SyncPayload, change: SyncChange) {
        switch payload {
        case .course(let course):
            if let position = index.courses.firstIndex(where: { $0.id == course.id }) {
                index.courses[position] = course
            } else {
                index.courses.append(course)
            }
            deletedCourses.remove(course.id)
            modifyCourse(course.id, creatingWith: course) { $0.course = course }
        case .chapter(let chapter):
            structure.chapterCourse[chapter.id] = chapter.courseID
            let placed = modifyCourse(chapter.courseID) { file in replace(&file.chapters, with: chapter) }
            if placed { unsorted.insert(chapter.courseID) }
            if !placed { index.waiting.append(change) }
        case .lesson(let lesson):
            structure.lessonChapter[lesson.id] = lesson.chapterID
            let courseID = structure.chapterCourse[lesson.chapterID]
            let placed = courseID.map { modifyCourse($0) { file in replace(&file.lessons, with: lesson) } } ?? false
            if placed, let courseID { unsorted.insert(courseID) }
            if !placed { index.waiting.append(change) }
        case .lessonContent(let content):
            let placed = modifyCourse(content.courseID) { file in
                if let position = file.contents.firstIndex(where: { $0.lesson.id == content.lesson.id }) {
                    file.contents[position] = content
                } else {
                    file.contents.append(content)
                }
            }
            if !placed { index.waiting.append(change) }
        case .progress(let row):
            learner.progress.removeAll { $0.id == row.id || $0.lessonID == row.lessonID }
            learner.progress.append(row)
        case .quizResult(let result): replace(&learner.quizResults, with: result)
        case .badge(let badge): replace(&learner.badges, with: badge)
        case .userBadge(let award): replace(&learner.earned, with: award)
        case .purchase(let purchase): replace(&learner.purchases, with: purchase)
        case .unknown: break
        }
    }

    private mutating func delete(_ entity: SyncEntity, id: UUID) {
        switch entity {
        case .course:
            index.courses.removeAll { $0.id == id }
            courses[id] = nil
            deletedCourses.insert(id)
            let chapterCourse = structure.chapterCourse
            index.waiting.removeAll { Self.course(of: $0, chapterCourse: chapterCourse) == id }
        case .chapter:
            if let courseID = structure.chapterCourse[id] {
                modifyCourse(courseID) { file in
                    file.chapters.removeAll { $0.id == id }
                    file.lessons.removeAll { $0.chapterID == id }
                }
            }
            structure.chapterCourse[id] = nil
        case .lesson:
            if let courseID = structure.course(ofLesson: id) {
                modifyCourse(courseID) { file in
                    file.lessons.removeAll { $0.id == id }
                    file.contents.removeAll { $0.lesson.id == id }
                }
            }
            structure.lessonChapter[id] = nil
        case .lessonContent:
            if let courseID = structure.course(ofLesson: id) {
                modifyCourse(courseID) { $0.contents.removeAll { $0.lesson.id == id } }
            }
        case .progress: learner.progress.removeAll { $0.id == id }
        case .quizResult: learner.quizResults.removeAll { $0.id == id }
        case .badge: learner.badges.removeAll { $0.id == id }
        case .userBadge: learner.earned.removeAll { $0.id == id }
        case .purchase: learner.purchases.removeAll { $0.id == id }
        case .other: break
        }
    }

    /// Changes a course file, loading it first; a course never seen is created from the index.
    /// False when the course is not known (yet): the caller keeps the change waiting.
    @discardableResult
    private mutating func modifyCourse(_ id: UUID, creatingWith course: Course? = nil, _ change: (inout CourseFile) -> Void) -> Bool {
        guard !deletedCourses.contains(id) else { return true }
        var file = courses[id] ?? loadCourse(id)
        if file == nil, let known = course ?? index.courses.first(where: { $0.id == id }) {
            file = CourseFile(course: known)
        }
        guard var loaded = file else { return false }
        change(&loaded)
        courses[id] = loaded
        return true
    }

    private static func course(of change: SyncChange, chapterCourse: [UUID: UUID]) -> UUID? {
        switch change.data {
        case .chapter(let chapter)?: chapter.courseID
        case .lesson(let lesson)?: chapterCourse[lesson.chapterID]
        case .lessonContent(let content)?: content.courseID
        default: nil
        }
    }
}

private func replace<T: Identifiable>(_ list: inout [T], with item: T) {
    if let position = list.firstIndex(where: { $0.id == item.id }) {
        list[position] = item
    } else {
        list.append(item)
    }
}
