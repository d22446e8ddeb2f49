import Foundation
import LMSKit
import Logging
import PostgresNIO

/// A course outline on PostgreSQL, the API's busiest read: two named prepared statements (parsed and
/// planned once per connection, as `pgbench -M prepared` does) and rows read by column position.
/// Through SQLKit the same outline cost three planned queries and a name lookup per cell.
struct PostgresOutlineQuery {
    let database: any PostgresDatabase
    let logger: Logger

    /// The whole `CourseOutlineResponse` body, written straight from the rows' cells in the order
    /// `JSONWriter.encode(_: CourseOutlineResponse)` writes them (the same bytes, which a test
    /// checks): no `Chapter` or `Lesson` is built, no string made, for the API's busiest read.
    /// The chapters come from `cache` while the course's structure version is unchanged.
    func outlineResponse(slug: String, viewer: Principal, cache: OutlineCache? = nil, metrics: ServerMetrics? = nil) async throws -> Data? {
        let courseStatement = CourseBySlug(slug: slug, userID: viewer.userID, tenantID: viewer.tenantID)
        let logger = logger
        return try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { () -> Data? in
                guard let found = try await connection.execute(courseStatement, logger: logger).first(where: { _ in true }),
                      CourseVisibility.mayOpen(found.course, purchased: found.purchased, viewer: viewer) else { return nil }
                guard found.viewerActive else { throw AccountStatus.inactive }
                let course = found.course
                let key = OutlineCache.Key(
                    courseID: course.id, withPaidLinks: CourseVisibility.ownsContent(course, purchased: found.purchased, viewer: viewer))
                let chapters: Data
                if let cached = cache?.chapters(of: key, version: found.structureVersion) {
                    chapters = cached
                    metrics?.outlineCache(hit: true)
                } else {
                    chapters = try await Self.encodedChapters(of: course, withPaidLinks: key.withPaidLinks, on: connection, logger: logger)
                    cache?.store(chapters, of: key, version: found.structureVersion)
                    if cache != nil { metrics?.outlineCache(hit: false) }
                }
                var writer = JSONWriter(capacity: chapters.count + 2048)
                writer.beginObject()
                writer.beginObject("outline")
                writer.raw("chapters", chapters)
                writer.beginObject("course")
                writer.write(course)
                writer.endObject()
                writer.endObject()
                // A free course is owned by everyone, like a purchased one (see `LessonAccess.ownershipGrant`).
                writer.field("owned", course.isFree || found.purchased)
                writer.endObject()
                return writer.data
            }
        }.get()
    }

    /// The outline's `chapters` array, each with its `lessons`; without `withPaidLinks`, lessons
    /// that are not free carry no `video_url` or `video_id`.
    private static func encodedChapters(
        of course: Course, withPaidLinks: Bool, on connection: PostgresConnection, logger: Logger
    ) async throws -> Data {
        var writer = JSONWriter(capacity: 1024 + 400 * max(course.lessonsCount, 1))
        writer.beginArray()
        var chapterID: ByteBuffer?
        for try await row in try await connection.execute(OutlineRows(courseID: course.id), logger: logger) {
            var cells = OutlineCells(row)
            let id = try cells.next()
            if id.bytes != chapterID {
                if chapterID != nil {
                    writer.endArray()
                    writer.endObject()
                }
                chapterID = id.bytes
                writer.beginObject()
                try cells.writeChapter(to: &writer)
                writer.beginArray("lessons")
            } else {
                try cells.skip(7)
            }
            try cells.writeLesson(to: &writer, withPaidLinks: withPaidLinks)
        }
        if chapterID != nil {
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        return writer.data
    }

    /// Chapters joined with their lessons, each record's columns in the order of its JSON keys,
    /// after the chapter's id (to tell when a new chapter starts).
    struct OutlineRows: ChaptersAndLessonsStatement {
        static let name = "lms_outline_rows"
        static let sql = """
            SELECT ch.id, ch.course_id, ch.created_at, ch.description, ch.id, ch.position, ch.title, ch.updated_at,
                   l.chapter_id, l.created_at, l.duration, l.id, l.is_free, l.position, l.requires_previous, l.title, l.type,
                   l.updated_at, l.video_id, l.video_url
            \(chaptersAndLessonsOfCourse)
            """

        let courseID: UUID

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// The chapters and lessons of a course already found.
    func outline(of course: Course) async throws -> CourseOutline {
        let logger = logger
        let chapters = try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await Self.chapters(of: course.id, on: connection, logger: logger) }
        }.get()
        return CourseOutline(course: course, chapters: chapters)
    }

    private static func chapters(of courseID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [ChapterOutline] {
        var chapters: [ChapterOutline] = []
        for try await (chapter, lesson) in try await connection.execute(ChaptersWithLessons(courseID: courseID), logger: logger) {
            if chapters.last?.chapter.id != chapter.id {
                chapters.append(ChapterOutline(chapter: chapter, lessons: []))
            }
            if let lesson { chapters[chapters.count - 1].lessons.append(lesson) }
        }
        return chapters
    }

    /// The course row by slug, whatever its status, with the viewer's purchase and the version of
    /// its chapters and lessons; `CourseVisibility` decides from it, so one plan serves every role.
    struct CourseBySlug: PostgresPreparedStatement {
        static let name = "lms_outline_course"
        static let sql = """
            SELECT \(Columns.course),
                   EXISTS (SELECT 1 FROM purchases p WHERE p.course_id = c.id AND p.status = 'completed'
                           AND (p.user_id = $2 OR p.tenant_id = $3)) AS owned,
                   COALESCE((SELECT v.version FROM course_structure_versions v WHERE v.course_id = c.id), 0) AS structure_version,
                   EXISTS (SELECT 1 FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id
                           WHERE u.id = $2 AND \(AccountStatus.usable)) AS viewer_active
            FROM courses c WHERE c.slug = $1 AND c.deleted_at IS NULL
            """
        static let bindingDataTypes: [PostgresDataType] = [.varchar, .uuid, .uuid]

        let slug: String
        let userID: UUID
        let tenantID: UUID?

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(slug)
            bindings.append(userID)
            bindings.append(tenantID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (course: Course, purchased: Bool, structureVersion: Int64, viewerActive: Bool) {
            var cells = PostgresCellReader(row)
            let course = try cells.course()
            return (course, try cells.next(Bool.self), try cells.next(Int64.self), try cells.next(Bool.self))
        }
    }

    /// The same rows as `OutlineRows`, decoded into models.
    struct ChaptersWithLessons: ChaptersAndLessonsStatement {
        static let name = "lms_outline_chapters"
        static let sql = """
            SELECT \(Columns.chapter), \(Columns.lesson)
            \(chaptersAndLessonsOfCourse)
            """

        let courseID: UUID

        func decodeRow(_ row: PostgresRow) throws -> (Chapter, Lesson?) {
            var cells = PostgresCellReader(row)
            let chapter = try cells.chapter()
            guard try cells.peekIsNull() == false else { return (chapter, nil) }
            return (chapter, try cells.lesson())
        }
    }
}

/// A course's chapters joined with their lessons in study order, the course's id the only
/// parameter; a chapter without lessons comes once, with NULL lesson columns.
protocol ChaptersAndLessonsStatement: PostgresPreparedStatement {
    var courseID: UUID { get }
}

extension ChaptersAndLessonsStatement {
    static var chaptersAndLessonsOfCourse: String {
        """
        FROM chapters ch LEFT JOIN lessons l ON l.chapter_id = ch.id
        WHERE ch.course_id = $1 ORDER BY ch.position, ch.id, l.position, l.id
        """
    }

    static var bindingDataTypes: [PostgresDataType] { [.uuid] }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(courseID)
        return bindings
    }
}

/// Who may open a course by its address: the rule `CourseStore.visibility` and
/// `CourseStore.courseWithOwnership` state in SQL, for rows fetched without it.
enum CourseVisibility {
    static func mayOpen(_ course: Course, purchased: Bool, viewer: Principal) -> Bool {
        guard course.deletedAt == nil else { return false }
        switch viewer.courseRole {
        case .admin: return true
        case .instructor where course.instructorID == viewer.userID: return true
        default: return course.status == .published || (course.status == .archived && purchased)
        }
    }

    /// May the viewer have the links to every lesson's content: they own the course (bought, their
    /// tenant's, or free), teach it, or administer the platform.
    static func ownsContent(_ course: Course, purchased: Bool, viewer: Principal) -> Bool {
        course.isFree || purchased || viewer.isPlatformAdmin || course.instructorID == viewer.userID
    }
}

/// Reads a row's cells in column order with the concrete decoders, skipping the generic lookup
/// by name that dominates when a hundred rows are decoded per request.
struct PostgresCellReader {
    private var cells: PostgresRow.Iterator
    private var columnIndex = 0

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    mutating func next<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value {
        guard let value = try optional(type) else {
            throw PostgresRowShapeError(column: columnIndex)
        }
        return value
    }

    mutating func optional<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value? {
        guard let cell = cells.next() else { throw PostgresRowShapeError(column: columnIndex) }
        columnIndex += 1
        guard var bytes = cell.bytes else { return nil }
        return try Value(from: &bytes, type: cell.dataType, format: cell.format, context: .default)
    }

    /// Whether the next cell is NULL, without reading it.
    func peekIsNull() throws -> Bool {
        var copy = cells
        guard let cell = copy.next() else { throw PostgresRowShapeError(column: columnIndex) }
        return cell.bytes == nil
    }

    /// The columns of `Columns.chapter`, in its order.
    mutating func chapter() throws -> Chapter {
        Chapter(
            id: try next(UUID.self), courseID: try next(UUID.self), title: try next(String.self),
            description: try optional(String.self), position: try next(Int.self),
            createdAt: try next(Date.self), updatedAt: try next(Date.self))
    }

    /// The columns of `Columns.lesson`, in its order.
    mutating func lesson() throws -> Lesson {
        Lesson(
            id: try next(UUID.self), chapterID: try next(UUID.self), title: try next(String.self),
            type: LessonType(rawValue: try next(String.self)), videoURL: try optional(String.self),
            videoID: try optional(String.self), duration: try next(Int.self),
            position: try next(Int.self), isFree: try next(Bool.self),
            requiresPrevious: try next(Bool.self), createdAt: try next(Date.self),
            updatedAt: try next(Date.self))
    }

    /// The columns of `Columns.question`, in its order.
    mutating func question() throws -> QuizQuestion {
        let id = try next(UUID.self), lessonID = try next(UUID.self), question = try next(String.self)
        let type = QuestionType(rawValue: try next(String.self))
        let options = try QuizQuestion.decodeOptions(from: Data(try next(String.self).utf8))
        return QuizQuestion(
            id: id, lessonID: lessonID, question: question, type: type, options: options, points: try next(Int.self),
            position: try next(Int.self), createdAt: try next(Date.self), updatedAt: try next(Date.self))
    }

    /// The columns of `Columns.course`, in its order.
    mutating func course() throws -> Course {
        let id = try next(UUID.self), title = try next(String.self), slug = try next(String.self)
        let description = try optional(String.self), thumbnailURL = try optional(String.self)
        let status = CourseStatus(rawValue: try next(String.self))
        let priceText = try next(String.self)
        guard let price = MoneyText.parse(priceText) else { throw PostgresRowShapeError(column: columnIndex - 1) }
        return Course(
            id: id, title: title, slug: slug, description: description, thumbnailURL: thumbnailURL, status: status,
            price: price, instructorID: try next(UUID.self), duration: try next(Int.self),
            chaptersCount: try next(Int.self), lessonsCount: try next(Int.self),
            quizPassPercent: try optional(Int.self), createdAt: try next(Date.self), updatedAt: try next(Date.self),
            deletedAt: try optional(Date.self))
    }
}

/// A row that does not match the statement's columns: a schema drift, reported by column.
struct PostgresRowShapeError: Error, CustomStringConvertible {
    let column: Int
    var description: String { "Unexpected value in column \(column) of an outline row" }
}

/// The cells of an `OutlineRows` row, written as JSON fields in column order.
private struct OutlineCells {
    private var cells: PostgresRow.Iterator
    private var column = 0

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    mutating func next() throws -> PostgresCell {
        guard let cell = cells.next() else { throw PostgresRowShapeError(column: column) }
        column += 1
        return cell
    }

    mutating func skip(_ count: Int) throws {
        for _ in 0..<count { _ = try next() }
    }

    mutating func writeChapter(to writer: inout JSONWriter) throws {
        try uuid("course_id", &writer)
        try date("created_at", &writer)
        try text("description", &writer, required: false)
        try uuid("id", &writer)
        try int("position", &writer)
        try text("title", &writer)
        try date("updated_at", &writer)
    }

    /// Nothing for the NULL columns of a chapter without lessons.
    mutating func writeLesson(to writer: inout JSONWriter, withPaidLinks: Bool) throws {
        let chapterID = try next()
        guard chapterID.bytes != nil else { return }
        writer.beginObject()
        try uuid("chapter_id", &writer, cell: chapterID)
        try date("created_at", &writer)
        try int("duration", &writer)
        try uuid("id", &writer)
        let isFree = try bool("is_free", &writer)
        try int("position", &writer)
        try bool("requires_previous", &writer)
        try text("title", &writer)
        try text("type", &writer)
        try date("updated_at", &writer)
        if withPaidLinks || isFree {
            try text("video_id", &writer, required: false)
            try text("video_url", &writer, required: false)
        } else {
            try skip(2)
        }
        writer.endObject()
    }

    private mutating func value<Value: PostgresDecodable>(_ type: Value.Type, _ given: PostgresCell? = nil) throws -> Value? {
        let cell = try given ?? next()
        guard var bytes = cell.bytes else { return nil }
        return try Value(from: &bytes, type: cell.dataType, format: cell.format, context: .default)
    }

    private mutating func uuid(_ key: String, _ writer: inout JSONWriter, cell: PostgresCell? = nil) throws {
        guard let value = try value(UUID.self, cell) else { throw PostgresRowShapeError(column: column) }
        writer.field(key, value)
    }

    private mutating func date(_ key: String, _ writer: inout JSONWriter) throws {
        guard let value = try value(Date.self) else { throw PostgresRowShapeError(column: column) }
        writer.field(key, value)
    }

    private mutating func int(_ key: String, _ writer: inout JSONWriter) throws {
        guard let value = try value(Int.self) else { throw PostgresRowShapeError(column: column) }
        writer.field(key, value)
    }

    @discardableResult
    private mutating func bool(_ key: String, _ writer: inout JSONWriter) throws -> Bool {
        guard let value = try value(Bool.self) else { throw PostgresRowShapeError(column: column) }
        writer.field(key, value)
        return value
    }

    /// Text cells are UTF-8 already (PostgreSQL checks it): copied as they are, escaped.
    private mutating func text(_ key: String, _ writer: inout JSONWriter, required: Bool = true) throws {
        let cell = try next()
        guard let bytes = cell.bytes else {
            if required { throw PostgresRowShapeError(column: column) }
            return
        }
        bytes.withUnsafeReadableBytes { writer.field(key, utf8: $0) }
    }
}
