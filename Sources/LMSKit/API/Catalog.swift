import Foundation

/// One course in the catalog, with what the learner needs to decide: do I own it, who teaches it.
public struct CatalogEntry: Codable, Hashable, Sendable, Identifiable {
    public var course: Course
    public var owned: Bool
    public var instructorName: String

    public init(course: Course, owned: Bool, instructorName: String) {
        self.course = course
        self.owned = owned
        self.instructorName = instructorName
    }

    public var id: UUID { course.id }

    enum CodingKeys: String, CodingKey {
        case course, owned
        case instructorName = "instructor_name"
    }
}

public typealias CatalogPage = Page<CatalogEntry>

/// `GET /api/v1/courses/{slug}`: the outline plus whether the learner owns the course.
public struct CourseOutlineResponse: Codable, Hashable, Sendable {
    public var outline: CourseOutline
    public var owned: Bool

    public init(outline: CourseOutline, owned: Bool) {
        self.outline = outline
        self.owned = owned
    }
}

/// `GET /api/v1/lessons/{id}`: a lesson with its content. Text lessons carry `body`
/// (Markdown); quiz lessons carry their questions without answer keys.
@Record
public struct LessonContent: Hashable, Sendable, Identifiable {
    public var lesson: Lesson
    public var courseID: UUID
    public var body: String?
    public var questions: [LearnerQuizQuestion]?

    public var id: UUID { lesson.id }
}

/// `GET /api/v1/instructor/courses/{slug}/outline`: everything, answer keys and drafts included.
public struct InstructorOutline: Codable, Hashable, Sendable {
    public var course: Course
    public var chapters: [InstructorChapter]
    public var structure: CourseStructure

    public init(course: Course, chapters: [InstructorChapter], structure: CourseStructure) {
        self.course = course
        self.chapters = chapters
        self.structure = structure
    }
}

public struct InstructorChapter: Codable, Hashable, Sendable {
    public var chapter: Chapter
    public var lessons: [InstructorLesson]

    public init(chapter: Chapter, lessons: [InstructorLesson]) {
        self.chapter = chapter
        self.lessons = lessons
    }
}

public struct InstructorLesson: Codable, Hashable, Sendable {
    public var lesson: Lesson
    public var body: String?
    public var questions: [QuizQuestion]

    public init(lesson: Lesson, body: String? = nil, questions: [QuizQuestion]) {
        self.lesson = lesson
        self.body = body
        self.questions = questions
    }
}

extension InstructorOutline {
    /// The plain outline (no bodies, no questions), for the structure rules.
    public var outline: CourseOutline {
        CourseOutline(course: course, chapters: chapters.map { ChapterOutline(chapter: $0.chapter, lessons: $0.lessons.map(\.lesson)) })
    }
}
