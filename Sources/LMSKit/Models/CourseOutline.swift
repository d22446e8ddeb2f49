import Foundation

/// A course with its chapters and their lessons: what a learner browses and what the rules read.
public struct CourseOutline: Codable, Hashable, Sendable {
    public var course: Course
    public var chapters: [ChapterOutline]

    public init(course: Course, chapters: [ChapterOutline]) {
        self.course = course
        self.chapters = chapters
    }

    /// Chapters by position, then lessons by position; ties broken by id so every device agrees.
    public var orderedChapters: [ChapterOutline] {
        chapters.sorted { $0.chapter.position != $1.chapter.position ? $0.chapter.position < $1.chapter.position : $0.chapter.id.precedes($1.chapter.id) }
            .map { outline in
                var outline = outline
                outline.lessons.sort { $0.position != $1.position ? $0.position < $1.position : $0.id.precedes($1.id) }
                return outline
            }
    }

    /// Every lesson in study order: chapter position, then lesson position.
    public var orderedLessons: [Lesson] { orderedChapters.flatMap(\.lessons) }

    public func lesson(_ id: UUID) -> Lesson? {
        for chapter in chapters { if let lesson = chapter.lessons.first(where: { $0.id == id }) { return lesson } }
        return nil
    }

    public func chapter(containing lessonID: UUID) -> Chapter? {
        chapters.first { $0.lessons.contains { $0.id == lessonID } }?.chapter
    }

    enum CodingKeys: String, CodingKey { case course, chapters }
}

/// A chapter and its lessons. On the wire the chapter's own fields sit beside `lessons`.
public struct ChapterOutline: Codable, Hashable, Sendable, Identifiable {
    public var chapter: Chapter
    public var lessons: [Lesson]

    public init(chapter: Chapter, lessons: [Lesson]) {
        self.chapter = chapter
        self.lessons = lessons
    }

    public var id: UUID { chapter.id }

    private enum Keys: String, CodingKey { case lessons }

    public init(from decoder: any Decoder) throws {
        chapter = try Chapter(from: decoder)
        lessons = try decoder.container(keyedBy: Keys.self).decode([Lesson].self, forKey: .lessons)
    }

    public func encode(to encoder: any Encoder) throws {
        try chapter.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(lessons, forKey: .lessons)
    }
}

extension Lesson {
    /// The lesson as shown to someone not entitled to its content: everything but the links to it.
    public var withoutContentLinks: Lesson {
        var lesson = self
        lesson.videoURL = nil
        lesson.videoID = nil
        return lesson
    }
}

extension CourseOutline {
    /// The outline as shown to a viewer who does not own the course: free lessons keep their
    /// links, the others carry none.
    public var withoutPaidContentLinks: CourseOutline {
        var outline = self
        for chapter in outline.chapters.indices {
            for lesson in outline.chapters[chapter].lessons.indices where !outline.chapters[chapter].lessons[lesson].isFree {
                outline.chapters[chapter].lessons[lesson] = outline.chapters[chapter].lessons[lesson].withoutContentLinks
            }
        }
        return outline
    }
}
