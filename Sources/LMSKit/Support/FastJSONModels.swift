import Foundation

// Hand-written readers for the records that fill the cache: a course file holds a hundred
// lessons and their content, the index a thousand courses. Each accepts exactly what the type's
// `Codable` conformance accepts (a test decodes the same bytes both ways and compares), skips
// keys it does not know, and names the missing field when one is absent.

extension JSONReader {
    /// A required field that was never seen.
    public static func missing(_ field: StaticString, in type: StaticString) -> JSONReaderError {
        JSONReaderError(offset: 0, expected: "the field '\(field)' of \(type)", found: "no such field")
    }

    /// An amount as the API writes it ("49.00"), or as a plain JSON number.
    public mutating func money() throws -> Decimal {
        let start = offset
        if peek == UInt8(ascii: "\"") {
            let text = try string()
            guard let value = MoneyText.parse(text) else {
                throw JSONReaderError(offset: start, expected: "an amount such as \"49.00\"", found: "\"\(text)\"")
            }
            return value
        }
        // Decimal from the digits, as JSONDecoder does: through a Double, 0.07 would not be 0.07.
        let text = try numberText()
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw JSONReaderError(offset: start, expected: "an amount", found: text)
        }
        return value
    }
}

extension Course: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> Course {
        var id: UUID?, title: String?, slug: String?, description: String?, thumbnailURL: String?
        var status: CourseStatus?, price: Decimal?, instructorID: UUID?, duration: Int?, chaptersCount: Int?
        var lessonsCount: Int?, quizPassPercent: Int?, createdAt: Date?, updatedAt: Date?, deletedAt: Date?
        try reader.object { reader, key in
            if key == "id" { id = try reader.uuid() }
            else if key == "title" { title = try reader.string() }
            else if key == "slug" { slug = try reader.string() }
            else if key == "description" { description = try reader.optionalString() }
            else if key == "thumbnail_url" { thumbnailURL = try reader.optionalString() }
            else if key == "status" { status = CourseStatus(rawValue: try reader.string()) }
            else if key == "price" { price = try reader.money() }
            else if key == "instructor_id" { instructorID = try reader.uuid() }
            else if key == "duration" { duration = try reader.int() }
            else if key == "chapters_count" { chaptersCount = try reader.int() }
            else if key == "lessons_count" { lessonsCount = try reader.int() }
            else if key == "quiz_pass_percent" { quizPassPercent = try reader.optionalInt() }
            else if key == "created_at" { createdAt = try reader.date() }
            else if key == "updated_at" { updatedAt = try reader.date() }
            else if key == "deleted_at" { deletedAt = try reader.optionalDate() }
            else { try reader.skipValue() }
        }
        guard let id else { throw JSONReader.missing("id", in: "Course") }
        guard let title else { throw JSONReader.missing("title", in: "Course") }
        guard let slug else { throw JSONReader.missing("slug", in: "Course") }
        guard let status else { throw JSONReader.missing("status", in: "Course") }
        guard let price else { throw JSONReader.missing("price", in: "Course") }
        guard let instructorID else { throw JSONReader.missing("instructor_id", in: "Course") }
        guard let duration else { throw JSONReader.missing("duration", in: "Course") }
        guard let chaptersCount else { throw JSONReader.missing("chapters_count", in: "Course") }
        guard let lessonsCount else { throw JSONReader.missing("lessons_count", in: "Course") }
        guard let createdAt else { throw JSONReader.missing("created_at", in: "Course") }
        guard let updatedAt else { throw JSONReader.missing("updated_at", in: "Course") }
        return Course(
            id: id, title: title, slug: slug, description: description, thumbnailURL: thumbnailURL, status: status,
            price: price, instructorID: instructorID, duration: duration, chaptersCount: chaptersCount,
            lessonsCount: lessonsCount, quizPassPercent: quizPassPercent, createdAt: createdAt, updatedAt: updatedAt,
            deletedAt: deletedAt)
    }

    public func write(to writer: inout JSONWriter) { writer.write(self) }
}

extension Chapter: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> Chapter {
        var id: UUID?, courseID: UUID?, title: String?, description: String?, position: Int?
        var createdAt: Date?, updatedAt: Date?
        try reader.object { reader, key in
            if key == "id" { id = try reader.uuid() }
            else if key == "course_id" { courseID = try reader.uuid() }
            else if key == "title" { title = try reader.string() }
            else if key == "description" { description = try reader.optionalString() }
            else if key == "position" { position = try reader.int() }
            else if key == "created_at" { createdAt = try reader.date() }
            else if key == "updated_at" { updatedAt = try reader.date() }
            else { try reader.skipValue() }
        }
        guard let id else { throw JSONReader.missing("id", in: "Chapter") }
        guard let courseID else { throw JSONReader.missing("course_id", in: "Chapter") }
        guard let title else { throw JSONReader.missing("title", in: "Chapter") }
        guard let position else { throw JSONReader.missing("position", in: "Chapter") }
        guard let createdAt else { throw JSONReader.missing("created_at", in: "Chapter") }
        guard let updatedAt else { throw JSONReader.missing("updated_at", in: "Chapter") }
        return Chapter(
            id: id, courseID: courseID, title: title, description: description, position: position, createdAt: createdAt,
            updatedAt: updatedAt)
    }

    public func write(to writer: inout JSONWriter) { writer.write(self) }
}

extension Lesson: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> Lesson {
        var id: UUID?, chapterID: UUID?, title: String?, type: LessonType?, videoURL: String?, videoID: String?
        var duration: Int?, position: Int?, isFree: Bool?, requiresPrevious: Bool?, createdAt: Date?, updatedAt: Date?
        try reader.object { reader, key in
            if key == "id" { id = try reader.uuid() }
            else if key == "chapter_id" { chapterID = try reader.uuid() }
            else if key == "title" { title = try reader.string() }
            else if key == "type" { type = LessonType(rawValue: try reader.string()) }
            else if key == "video_url" { videoURL = try reader.optionalString() }
            else if key == "video_id" { videoID = try reader.optionalString() }
            else if key == "duration" { duration = try reader.int() }
            else if key == "position" { position = try reader.int() }
            else if key == "is_free" { isFree = try reader.bool() }
            else if key == "requires_previous" { requiresPrevious = try reader.bool() }
            else if key == "created_at" { createdAt = try reader.date() }
            else if key == "updated_at" { updatedAt = try reader.date() }
            else { try reader.skipValue() }
        }
        guard let id else { throw JSONReader.missing("id", in: "Lesson") }
        guard let chapterID else { throw JSONReader.missing("chapter_id", in: "Lesson") }
        guard let title else { throw JSONReader.missing("title", in: "Lesson") }
        guard let type else { throw JSONReader.missing("type", in: "Lesson") }
        guard let duration else { throw JSONReader.missing("duration", in: "Lesson") }
        guard let position else { throw JSONReader.missing("position", in: "Lesson") }
        guard let isFree else { throw JSONReader.missing("is_free", in: "Lesson") }
        guard let requiresPrevious else { throw JSONReader.missing("requires_previous", in: "Lesson") }
        guard let createdAt else { throw JSONReader.missing("created_at", in: "Lesson") }
        guard let updatedAt else { throw JSONReader.missing("updated_at", in: "Lesson") }
        return Lesson(
            id: id, chapterID: chapterID, title: title, type: type, videoURL: videoURL, videoID: videoID, duration: duration,
            position: position, isFree: isFree, requiresPrevious: requiresPrevious, createdAt: createdAt, updatedAt: updatedAt)
    }

    public func write(to writer: inout JSONWriter) { writer.write(self) }
}

extension LessonContent: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> LessonContent {
        var lesson: Lesson?, courseID: UUID?, body: String?, questions: [LearnerQuizQuestion]?
        try reader.object { reader, key in
            if key == "lesson" { lesson = try Lesson.read(from: &reader) }
            else if key == "course_id" { courseID = try reader.uuid() }
            else if key == "body" { body = try reader.optionalString() }
            else if key == "questions" { questions = reader.null() ? nil : try reader.array(of: LearnerQuizQuestion.read) }
            else { try reader.skipValue() }
        }
        guard let lesson else { throw JSONReader.missing("lesson", in: "LessonContent") }
        guard let courseID else { throw JSONReader.missing("course_id", in: "LessonContent") }
        return LessonContent(lesson: lesson, courseID: courseID, body: body, questions: questions)
    }

    public func write(to writer: inout JSONWriter) {
        writer.field("body", body)
        writer.field("course_id", courseID)
        writer.beginObject("lesson")
        writer.write(lesson)
        writer.endObject()
        if let questions { writer.array("questions", questions) }
    }
}

extension LearnerQuizQuestion: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> LearnerQuizQuestion {
        var id: UUID?, lessonID: UUID?, question: String?, type: QuestionType?, options: [LearnerQuizOption]?
        var points: Int?, position: Int?
        try reader.object { reader, key in
            if key == "id" { id = try reader.uuid() }
            else if key == "lesson_id" { lessonID = try reader.uuid() }
            else if key == "question" { question = try reader.string() }
            else if key == "type" { type = QuestionType(rawValue: try reader.string()) }
            else if key == "options" { options = try reader.array(of: LearnerQuizOption.read) }
            else if key == "points" { points = try reader.int() }
            else if key == "position" { position = try reader.int() }
            else { try reader.skipValue() }
        }
        guard let id else { throw JSONReader.missing("id", in: "LearnerQuizQuestion") }
        guard let lessonID else { throw JSONReader.missing("lesson_id", in: "LearnerQuizQuestion") }
        guard let question else { throw JSONReader.missing("question", in: "LearnerQuizQuestion") }
        guard let type else { throw JSONReader.missing("type", in: "LearnerQuizQuestion") }
        guard let options else { throw JSONReader.missing("options", in: "LearnerQuizQuestion") }
        guard let points else { throw JSONReader.missing("points", in: "LearnerQuizQuestion") }
        guard let position else { throw JSONReader.missing("position", in: "LearnerQuizQuestion") }
        return LearnerQuizQuestion(id: id, lessonID: lessonID, question: question, type: type, options: options, points: points, position: position)
    }

    public func write(to writer: inout JSONWriter) {
        writer.field("id", id)
        writer.field("lesson_id", lessonID)
        writer.array("options", options)
        writer.field("points", points)
        writer.field("position", position)
        writer.field("question", question)
        writer.field("type", type.rawValue)
    }
}

extension LearnerQuizOption: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> LearnerQuizOption {
        var id: String?, text: String?
        try reader.object { reader, key in
            if key == "id" { id = try reader.string() }
            else if key == "text" { text = try reader.string() }
            else { try reader.skipValue() }
        }
        guard let id else { throw JSONReader.missing("id", in: "LearnerQuizOption") }
        guard let text else { throw JSONReader.missing("text", in: "LearnerQuizOption") }
        return LearnerQuizOption(id: id, text: text)
    }

    public func write(to writer: inout JSONWriter) {
        writer.field("id", id)
        writer.field("text", text)
    }
}

extension JSONWriter {
    /// Writes each element as an object under `key`.
    public mutating func array<Element: FastJSONCodable>(_ key: String, _ elements: [Element]) {
        beginArray(key)
        for element in elements {
            beginObject()
            element.write(to: &self)
            endObject()
        }
        endArray()
    }

    public mutating func object<Value: FastJSONCodable>(_ key: String, _ value: Value) {
        beginObject(key)
        value.write(to: &self)
        endObject()
    }
}
