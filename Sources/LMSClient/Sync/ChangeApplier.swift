import Foundation
import LMSKit

/// Applies one page of the sync feed to the cached files. Every step is an upsert or a delete by
/// id, so applying a page twice (after a crash before its cursor was saved) changes nothing more.
struct ChangeApplier {
    var index: CacheIndex
    var structure: StructureMap
    var learner: LearnerRecords
    /// Course files touched by this page, loaded on first use.
    var courses: [UUID: CourseFile] = [:]
    var deletedCourses: Set<UUID> = []
    let loadCourse: (UUID) -> CourseFile?

    mutating func apply(_ changes: [SyncChange]) {
        for change in changes {
            switch change.op {
            case .upsert: if let data = change.data { upsert(data) }
            case .delete: delete(change.entity, id: change.id)
            case .other: continue  // an operation from a newer server: leave the record as it is
            }
        }
        index.courses.sort { ($0.title.lowercased(), $0.id.uuidString) < ($1.title.lowercased(), $1.id.uuidString) }
    }

    private mutating func upsert(_ payload: SyncPayload) {
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
            structure.chapterCourse[chapter.id.uuidString] = chapter.courseID
            modifyCourse(chapter.courseID) { file in
                replace(&file.chapters, with: chapter)
                file.chapters.sort { ($0.position, $0.id.uuidString) < ($1.position, $1.id.uuidString) }
            }
        case .lesson(let lesson):
            structure.lessonChapter[lesson.id.uuidString] = lesson.chapterID
            guard let courseID = structure.chapterCourse[lesson.chapterID.uuidString] else { return }
            modifyCourse(courseID) { file in
                replace(&file.lessons, with: lesson)
                file.lessons.sort { ($0.position, $0.id.uuidString) < ($1.position, $1.id.uuidString) }
            }
        case .lessonContent(let content):
            modifyCourse(content.courseID) { file in
                if let position = file.contents.firstIndex(where: { $0.lesson.id == content.lesson.id }) {
                    file.contents[position] = content
                } else {
                    file.contents.append(content)
                }
            }
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
        case .chapter:
            if let courseID = structure.chapterCourse[id.uuidString] {
                modifyCourse(courseID) { file in
                    file.chapters.removeAll { $0.id == id }
                    file.lessons.removeAll { $0.chapterID == id }
                }
            }
            structure.chapterCourse[id.uuidString] = nil
        case .lesson:
            if let courseID = structure.course(ofLesson: id) {
                modifyCourse(courseID) { file in
                    file.lessons.removeAll { $0.id == id }
                    file.contents.removeAll { $0.lesson.id == id }
                }
            }
            structure.lessonChapter[id.uuidString] = nil
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
    private mutating func modifyCourse(_ id: UUID, creatingWith course: Course? = nil, _ change: (inout CourseFile) -> Void) {
        guard !deletedCourses.contains(id) else { return }
        var file = courses[id] ?? loadCourse(id)
        if file == nil, let known = course ?? index.courses.first(where: { $0.id == id }) {
            file = CourseFile(course: known)
        }
        guard var loaded = file else { return }
        change(&loaded)
        courses[id] = loaded
    }
}

private func replace<T: Identifiable>(_ list: inout [T], with item: T) {
    if let position = list.firstIndex(where: { $0.id == item.id }) {
        list[position] = item
    } else {
        list.append(item)
    }
}
