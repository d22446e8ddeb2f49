import Foundation

/// A course's structure as an instructor reviews it: counts and durations computed from the
/// outline, and where the denormalised counters on `courses` disagree with them.
public struct CourseStructure: Codable, Hashable, Sendable {
    public struct ChapterSummary: Codable, Hashable, Sendable {
        public var chapterID: UUID
        public var title: String
        public var position: Int
        public var lessonsCount: Int
        public var duration: Int
        public var lessonsByType: [String: Int]

        enum CodingKeys: String, CodingKey {
            case chapterID = "chapter_id"
            case title, position
            case lessonsCount = "lessons_count"
            case duration
            case lessonsByType = "lessons_by_type"
        }
    }

    /// One counter on `courses` that does not match the outline.
    public struct Drift: Codable, Hashable, Sendable, CustomStringConvertible {
        public var field: String
        public var stored: Int
        public var computed: Int

        public var description: String { "\(field): stored \(stored), outline has \(computed)" }
    }

    public var courseID: UUID
    public var status: CourseStatus
    public var chaptersCount: Int
    public var lessonsCount: Int
    /// Sum of lesson durations, seconds.
    public var duration: Int
    public var freeLessons: Int
    public var lessonsByType: [String: Int]
    public var chapters: [ChapterSummary]
    public var drift: [Drift]

    public var hasDrift: Bool { !drift.isEmpty }

    enum CodingKeys: String, CodingKey {
        case courseID = "course_id"
        case status
        case chaptersCount = "chapters_count"
        case lessonsCount = "lessons_count"
        case duration
        case freeLessons = "free_lessons"
        case lessonsByType = "lessons_by_type"
        case chapters, drift
    }

    public static func summarize(_ outline: CourseOutline) -> CourseStructure {
        var chapters: [ChapterSummary] = []
        var byType: [String: Int] = [:]
        var free = 0
        for chapterOutline in outline.orderedChapters {
            var chapterByType: [String: Int] = [:]
            for lesson in chapterOutline.lessons {
                chapterByType[lesson.type.rawValue, default: 0] += 1
                if lesson.isFree { free += 1 }
            }
            byType.merge(chapterByType, uniquingKeysWith: +)
            chapters.append(
                ChapterSummary(
                    chapterID: chapterOutline.chapter.id, title: chapterOutline.chapter.title,
                    position: chapterOutline.chapter.position, lessonsCount: chapterOutline.lessons.count,
                    duration: chapterOutline.lessons.reduce(0) { $0 + $1.duration }, lessonsByType: chapterByType))
        }
        let lessons = chapters.reduce(0) { $0 + $1.lessonsCount }
        let duration = chapters.reduce(0) { $0 + $1.duration }
        let course = outline.course
        var drift: [Drift] = []
        if course.chaptersCount != chapters.count {
            drift.append(Drift(field: "chapters_count", stored: course.chaptersCount, computed: chapters.count))
        }
        if course.lessonsCount != lessons {
            drift.append(Drift(field: "lessons_count", stored: course.lessonsCount, computed: lessons))
        }
        if course.duration != duration {
            drift.append(Drift(field: "duration", stored: course.duration, computed: duration))
        }
        return CourseStructure(
            courseID: course.id, status: course.status, chaptersCount: chapters.count, lessonsCount: lessons,
            duration: duration, freeLessons: free, lessonsByType: byType, chapters: chapters, drift: drift)
    }
}
