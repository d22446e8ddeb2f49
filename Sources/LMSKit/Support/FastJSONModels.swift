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
