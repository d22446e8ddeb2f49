import Foundation
import LMSKit

/// The small file read at start-up: who is signed in, the sync position, and one line per course.
/// Course outlines live in their own files and load when a course is opened.
public struct CacheIndex: Codable, Sendable, Equatable {
    public var me: MeResponse?
    public var cursor: String?
    public var lastSync: Date?
    /// Every course the learner may see, sorted by title.
    public var courses: [Course]

    public init(me: MeResponse? = nil, cursor: String? = nil, lastSync: Date? = nil, courses: [Course] = []) {
        self.me = me
        self.cursor = cursor
        self.lastSync = lastSync
        self.courses = courses
    }

    enum CodingKeys: String, CodingKey {
        case me, cursor
        case lastSync = "last_sync"
        case courses
    }
}

/// One course as studied offline: its outline and the content of the lessons the learner may open.
public struct CourseFile: Codable, Sendable, Equatable {
    public var course: Course
    public var chapters: [Chapter]
    public var lessons: [Lesson]
    public var contents: [LessonContent]

    public init(course: Course, chapters: [Chapter] = [], lessons: [Lesson] = [], contents: [LessonContent] = []) {
        self.course = course
        self.chapters = chapters
        self.lessons = lessons
        self.contents = contents
    }

    public var outline: CourseOutline {
        let byChapter = Dictionary(grouping: lessons, by: \.chapterID)
        return CourseOutline(course: course, chapters: chapters.map { ChapterOutline(chapter: $0, lessons: byChapter[$0.id] ?? []) })
    }

    public func content(of lessonID: UUID) -> LessonContent? { contents.first { $0.lesson.id == lessonID } }
}

/// Which course each chapter and lesson belongs to, so a sync change finds its course file.
/// Read only while syncing.
public struct StructureMap: Codable, Sendable, Equatable {
    public var chapterCourse: [String: UUID] = [:]
    public var lessonChapter: [String: UUID] = [:]
    /// Chapters, lessons and lesson content that came before their course (the feed is ordered
    /// by when each record last changed, so an edited course comes after its lessons), kept
    /// until the course arrives, possibly on a later page.
    public var waiting: [SyncChange] = []

    public init() {}

    public func course(ofLesson id: UUID) -> UUID? {
        lessonChapter[id.uuidString].flatMap { chapterCourse[$0.uuidString] }
    }

    enum CodingKeys: String, CodingKey {
        case chapterCourse = "chapter_course"
        case lessonChapter = "lesson_chapter"
        case waiting
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chapterCourse = try c.decodeIfPresent([String: UUID].self, forKey: .chapterCourse) ?? [:]
        lessonChapter = try c.decodeIfPresent([String: UUID].self, forKey: .lessonChapter) ?? [:]
        waiting = try c.decodeIfPresent([SyncChange].self, forKey: .waiting) ?? []
    }
}

/// The learner's own records as last seen from the server.
public struct LearnerRecords: Codable, Sendable, Equatable {
    public var progress: [UserProgress] = []
    public var quizResults: [QuizResult] = []
    public var badges: [Badge] = []
    public var earned: [UserBadge] = []
    public var purchases: [Purchase] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case progress
        case quizResults = "quiz_results"
        case badges, earned, purchases
    }
}

/// A piece of offline work waiting for the server, or refused by it.
public struct OutboxEntry: Codable, Sendable, Equatable, Identifiable {
    public enum State: String, Codable, Sendable {
        case pending, rejected
    }

    public var mutation: SyncMutation
    public var state: State
    /// Why the server refused it, for rejected entries.
    public var rejection: APIErrorBody?
    public var attempts: Int

    public init(mutation: SyncMutation, state: State = .pending, rejection: APIErrorBody? = nil, attempts: Int = 0) {
        self.mutation = mutation
        self.state = state
        self.rejection = rejection
        self.attempts = attempts
    }

    public var id: UUID { mutation.id }
}
