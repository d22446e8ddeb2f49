import Foundation

/// A row of `courses`.
///
/// `duration`, `chapters_count` and `lessons_count` are denormalised counters kept by the server;
/// `CourseStructure` recomputes them from the outline and reports drift.
/// `quiz_pass_percent` is the one column we add to the seed's table (see the server's migrations):
/// nil means the platform default, `QuizPassMark.defaultPercent`.
@Record
public struct Course: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var title: String
    public var slug: String
    public var description: String?
    public var thumbnailURL: String?
    public var status: CourseStatus = .draft
    /// In EUR, the seed's only currency for list prices.
    public var price: Decimal = 0
    public var instructorID: UUID
    /// Total seconds.
    public var duration: Int = 0
    public var chaptersCount: Int = 0
    public var lessonsCount: Int = 0
    public var quizPassPercent: Int?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public var isFree: Bool { price <= 0 }
    public var currency: Currency { .eur }
}

/// A row of `chapters`.
@Record
public struct Chapter: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var courseID: UUID
    public var title: String
    public var description: String?
    public var position: Int = 0
    public var createdAt: Date
    public var updatedAt: Date
}

/// A row of `lessons`. A text lesson's body and a quiz's questions come with the lesson detail,
/// not the outline, so outlines stay small.
@Record
public struct Lesson: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var chapterID: UUID
    public var title: String
    public var type: LessonType = .video
    public var videoURL: String?
    /// External video service id.
    public var videoID: String?
    /// Seconds.
    public var duration: Int = 0
    public var position: Int = 0
    public var isFree: Bool = false
    public var requiresPrevious: Bool = true
    public var createdAt: Date
    public var updatedAt: Date
}
