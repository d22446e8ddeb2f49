import Foundation
import LMSKit

/// The small file read at start-up: who is signed in, the sync position, and one line per course.
/// Course outlines live in their own files and load when a course is opened.
@Record
public struct CacheIndex: Sendable, Equatable {
    public var me: MeResponse?
    public var cursor: String?
    public var lastSync: Date?
    /// Every course the learner may see, sorted by title.
    public var courses: [Course] = []
    /// Chapters, lessons and lesson content that came before their course (the feed is ordered
    /// by when each record last changed, so an edited course comes after its lessons), kept
    /// until the course arrives, possibly on a later page. Saved with the cursor on every page.
    @Lenient public var waiting: [SyncChange] = []
}

/// One course as studied offline: its outline and the content of the lessons the learner may open.
@Record
public struct CourseFile: Sendable, Equatable {
    public var course: Course
    public var chapters: [Chapter] = []
    public var lessons: [Lesson] = []
    public var contents: [LessonContent] = []

    public var outline: CourseOutline {
        let byChapter = Dictionary(grouping: lessons, by: \.chapterID)
        return CourseOutline(course: course, chapters: chapters.map { ChapterOutline(chapter: $0, lessons: byChapter[$0.id] ?? []) })
    }

    public func content(of lessonID: UUID) -> LessonContent? { contents.first { $0.lesson.id == lessonID } }
}

/// Which course each chapter and lesson belongs to, so a sync change finds its course file.
///
/// At a hundred thousand lessons this is the largest file, so a pull writes it once, at the end,
/// stamped with the cursor it matches. When the stamp differs from the index's cursor (a pull
/// was interrupted), the map is rebuilt from the course files, which are always saved first.
public struct StructureMap: Codable, Sendable, Equatable {
    public var chapterCourse: [UUID: UUID] = [:]
    public var lessonChapter: [UUID: UUID] = [:]
    /// The sync cursor this map is complete for.
    public var cursor: String?
    /// Only in files from before `CacheIndex.waiting`; moved there when read.
    public var waiting: [SyncChange] = []

    public init() {}

    public func course(ofLesson id: UUID) -> UUID? {
        lessonChapter[id].flatMap { chapterCourse[$0] }
    }

    /// Every chapter and lesson of the given course files.
    public init(rebuildingFrom courses: [CourseFile], cursor: String?) {
        for file in courses {
            for chapter in file.chapters { chapterCourse[chapter.id] = file.course.id }
            for lesson in file.lessons { lessonChapter[lesson.id] = lesson.chapterID }
        }
        self.cursor = cursor
    }

    enum CodingKeys: String, CodingKey {
        case chapterCourse = "chapter_course"
        case lessonChapter = "lesson_chapter"
        case cursor, waiting
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // On disk the keys are UUID strings (a JSON object), as `[String: UUID]` writes them.
        chapterCourse = try Self.keyedByUUID(c.decodeIfPresent([String: UUID].self, forKey: .chapterCourse) ?? [:])
        lessonChapter = try Self.keyedByUUID(c.decodeIfPresent([String: UUID].self, forKey: .lessonChapter) ?? [:])
        cursor = try c.decodeIfPresent(String.self, forKey: .cursor)
        waiting = try c.decodeIfPresent([SyncChange].self, forKey: .waiting) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Dictionary(uniqueKeysWithValues: chapterCourse.map { ($0.key.uuidString, $0.value) }), forKey: .chapterCourse)
        try c.encode(Dictionary(uniqueKeysWithValues: lessonChapter.map { ($0.key.uuidString, $0.value) }), forKey: .lessonChapter)
        try c.encodeIfPresent(cursor, forKey: .cursor)
    }

    private static func keyedByUUID(_ pairs: [String: UUID]) throws -> [UUID: UUID] {
        var keyed: [UUID: UUID] = [:]
        for (key, value) in pairs {
            guard let id = UUID(uuidString: key) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(key)' is not a UUID"))
            }
            keyed[id] = value
        }
        return keyed
    }
}

/// The learner's own records as last seen from the server.
@Record
public struct LearnerRecords: Sendable, Equatable {
    public var progress: [UserProgress] = []
    public var quizResults: [QuizResult] = []
    public var badges: [Badge] = []
    public var earned: [UserBadge] = []
    public var purchases: [Purchase] = []
}

/// A piece of offline work waiting for the server, or refused by it.
@Record
public struct OutboxEntry: Sendable, Equatable, Identifiable {
    public enum State: String, Codable, Sendable, FieldValue {
        case pending, rejected

        public init(stored: String, key: String) throws {
            guard let state = State(rawValue: stored) else { throw FieldError(key: key, problem: "'\(stored)' is not pending or rejected") }
            self = state
        }
    }

    public var mutation: SyncMutation
    public var state: State = .pending
    /// Why the server refused it, for rejected entries.
    public var rejection: APIErrorBody?
    public var attempts: Int = 0

    public var id: UUID { mutation.id }
}

extension StructureMap: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> StructureMap {
        var map = StructureMap()
        func pairs(_ reader: inout JSONReader) throws -> [UUID: UUID] {
            var pairs: [UUID: UUID] = [:]
            try reader.object { reader, key in
                guard let id = key.uuid else { throw JSONReaderError(offset: reader.offset, expected: "a UUID key", found: key.text) }
                pairs[id] = try reader.uuid()
            }
            return pairs
        }
        try reader.object { reader, key in
            if key == "chapter_course" { map.chapterCourse = try pairs(&reader) }
            else if key == "lesson_chapter" { map.lessonChapter = try pairs(&reader) }
            else if key == "cursor" { map.cursor = try reader.optionalString() }
            else if key == "waiting" { map.waiting = try reader.decode([SyncChange].self, with: LMSJSON.makeDecoder()) }
            else { try reader.skipValue() }
        }
        return map
    }

    public func write(to writer: inout JSONWriter) {
        func pairs(_ key: String, _ pairs: [UUID: UUID]) {
            writer.beginObject(key)
            for (id, parent) in pairs { writer.field(id, parent) }
            writer.endObject()
        }
        pairs("chapter_course", chapterCourse)
        writer.field("cursor", cursor)
        pairs("lesson_chapter", lessonChapter)
    }
}

/// A quiz left half-way: its answers so far and the page the learner was on, kept with the
/// account's files so quitting the app loses nothing. Dropped once the quiz is submitted.
@Record
public struct QuizDraft: Sendable, Hashable {
    public var lessonID: UUID
    public var answers: [QuizAnswer]
    public var page: Int = 0
}
