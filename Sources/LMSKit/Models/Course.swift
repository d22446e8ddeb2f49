import Foundation

/// A row of `courses`.
///
/// `duration`, `chapters_count` and `lessons_count` are denormalised counters kept by the server;
/// `CourseStructure` recomputes them from the outline and reports drift.
/// `quiz_pass_percent` is the one column we add to the seed's table (see the server's migrations):
/// nil means the platform default, `QuizPassMark.defaultPercent`.
public struct Course: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var title: String
    public var slug: String
    public var description: String?
    public var thumbnailURL: String?
    public var status: CourseStatus
    /// In EUR, the seed's only currency for list prices.
    public var price: Decimal
    public var instructorID: UUID
    /// Total seconds.
    public var duration: Int
    public var chaptersCount: Int
    public var lessonsCount: Int
    public var quizPassPercent: Int?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: UUID, title: String, slug: String, description: String? = nil, thumbnailURL: String? = nil,
        status: CourseStatus = .draft, price: Decimal = 0, instructorID: UUID, duration: Int = 0,
        chaptersCount: Int = 0, lessonsCount: Int = 0, quizPassPercent: Int? = nil,
        createdAt: Date, updatedAt: Date, deletedAt: Date? = nil
    ) {
        self.id = id
        self.title = title
        self.slug = slug
        self.description = description
        self.thumbnailURL = thumbnailURL
        self.status = status
        self.price = price
        self.instructorID = instructorID
        self.duration = duration
        self.chaptersCount = chaptersCount
        self.lessonsCount = lessonsCount
        self.quizPassPercent = quizPassPercent
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    public var isFree: Bool { price <= 0 }
    public var currency: Currency { .eur }

    enum CodingKeys: String, CodingKey {
        case id, title, slug, description
        case thumbnailURL = "thumbnail_url"
        case status, price
        case instructorID = "instructor_id"
        case duration
        case chaptersCount = "chapters_count"
        case lessonsCount = "lessons_count"
        case quizPassPercent = "quiz_pass_percent"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        slug = try c.decode(String.self, forKey: .slug)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        thumbnailURL = try c.decodeIfPresent(String.self, forKey: .thumbnailURL)
        status = try c.decode(CourseStatus.self, forKey: .status)
        price = try c.decodeMoney(forKey: .price)
        instructorID = try c.decode(UUID.self, forKey: .instructorID)
        duration = try c.decode(Int.self, forKey: .duration)
        chaptersCount = try c.decode(Int.self, forKey: .chaptersCount)
        lessonsCount = try c.decode(Int.self, forKey: .lessonsCount)
        quizPassPercent = try c.decodeIfPresent(Int.self, forKey: .quizPassPercent)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        deletedAt = try c.decodeIfPresent(Date.self, forKey: .deletedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(slug, forKey: .slug)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(thumbnailURL, forKey: .thumbnailURL)
        try c.encode(status, forKey: .status)
        try c.encodeMoney(price, forKey: .price)
        try c.encode(instructorID, forKey: .instructorID)
        try c.encode(duration, forKey: .duration)
        try c.encode(chaptersCount, forKey: .chaptersCount)
        try c.encode(lessonsCount, forKey: .lessonsCount)
        try c.encodeIfPresent(quizPassPercent, forKey: .quizPassPercent)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(deletedAt, forKey: .deletedAt)
    }
}

/// A row of `chapters`.
public struct Chapter: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var courseID: UUID
    public var title: String
    public var description: String?
    public var position: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, courseID: UUID, title: String, description: String? = nil, position: Int = 0,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.courseID = courseID
        self.title = title
        self.description = description
        self.position = position
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case courseID = "course_id"
        case title, description, position
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A row of `lessons`. A text lesson's body and a quiz's questions come with the lesson detail,
/// not the outline, so outlines stay small.
public struct Lesson: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var chapterID: UUID
    public var title: String
    public var type: LessonType
    public var videoURL: String?
    /// External video service id.
    public var videoID: String?
    /// Seconds.
    public var duration: Int
    public var position: Int
    public var isFree: Bool
    public var requiresPrevious: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, chapterID: UUID, title: String, type: LessonType = .video, videoURL: String? = nil,
        videoID: String? = nil, duration: Int = 0, position: Int = 0, isFree: Bool = false,
        requiresPrevious: Bool = true, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.chapterID = chapterID
        self.title = title
        self.type = type
        self.videoURL = videoURL
        self.videoID = videoID
        self.duration = duration
        self.position = position
        self.isFree = isFree
        self.requiresPrevious = requiresPrevious
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case chapterID = "chapter_id"
        case title, type
        case videoURL = "video_url"
        case videoID = "video_id"
        case duration, position
        case isFree = "is_free"
        case requiresPrevious = "requires_previous"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
