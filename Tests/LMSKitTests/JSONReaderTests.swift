import Foundation
import PropertyBased
import Testing
@testable import LMSKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `JSONReader` and the hand-written `read(from:)` functions must accept exactly what the
/// `Codable` conformances accept (same values, same rejections), skip keys they do not know, and
/// answer bad input with `JSONReaderError`: never a crash, never a value Codable would not give.
///
/// Codable (`LMSJSON.makeDecoder()`) is the oracle throughout: most tests decode the same bytes
/// both ways and compare, so a test can only pass by agreeing with it.
@Suite("JSONReader")
struct JSONReaderTests {
    typealias T = TestData
    typealias Doc = ReaderDoc

    // MARK: - Round trips through JSONEncoder and JSONWriter

    @Test(arguments: Samples.courses)
    func courseRoundTrips(course: Course) throws {
        try Doc.expectRoundTrips(course)
    }

    @Test(arguments: Samples.chapters)
    func chapterRoundTrips(chapter: Chapter) throws {
        try Doc.expectRoundTrips(chapter)
    }

    @Test(arguments: Samples.lessons)
    func lessonRoundTrips(lesson: Lesson) throws {
        try Doc.expectRoundTrips(lesson)
    }

    @Test(arguments: Samples.contents)
    func lessonContentRoundTrips(content: LessonContent) throws {
        try Doc.expectRoundTrips(content)
    }

    @Test(arguments: Samples.questions)
    func quizQuestionRoundTrips(question: LearnerQuizQuestion) throws {
        try Doc.expectRoundTrips(question)
    }

    @Test(arguments: Samples.options)
    func quizOptionRoundTrips(option: LearnerQuizOption) throws {
        try Doc.expectRoundTrips(option)
    }

    /// Prices travel as text with two decimals; every amount must come back exactly, including
    /// zero, a negative refund-style amount and more digits than a Double holds to the cent.
    @Test(arguments: ["0.00", "49.00", "-0.50", "12345678.99", "0.01", "0.10", "7.5", "99999999.99", "-12345678.99"])
    func pricesRoundTrip(text: String) throws {
        let price = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
        let course = T.course(price: price)
        try Doc.expectRoundTrips(course)
        #expect(try Doc.fast(Course.self, LMSJSON.encode(course)).price == price)
    }

    /// Realistic rows as the API sends them (lower-case UUIDs, spaces, explicit nulls), shared with
    /// the Codable tests so both readers are held to the same documents.
    @Test func readsTheSampleRows() throws {
        try Doc.expectAgreement(Course.self, Data(SampleJSON.course.utf8), mustAccept: true)
        try Doc.expectAgreement(Chapter.self, Data(SampleJSON.chapter.utf8), mustAccept: true)
        try Doc.expectAgreement(Lesson.self, Data(SampleJSON.lesson.utf8), mustAccept: true)
        // `QuizQuestion` carries answer keys; its learner view has a subset of its keys, the rest are unknown.
        try Doc.expectAgreement(LearnerQuizQuestion.self, Data(SampleJSON.quizQuestion.utf8), mustAccept: true)
    }

    // MARK: - Integers

    /// Every integer field goes through the same `int()`; `duration` stands for all of them.
    @Test(arguments: ["0", "-0", "1", "-1", "2160", "9223372036854775807", "-9223372036854775807"])
    func integersCodableAccepts(raw: String) throws {
        let data = try Doc.replacing("duration", with: raw, in: LMSJSON.encode(T.course()))
        try Doc.expectAgreement(Course.self, data, mustAccept: true)
    }

    /// `Int.min` is a valid Int that JSONEncoder and JSONWriter both write; the reader must read it back.
    @Test func readsIntMin() throws {
        let course = T.course(duration: Int.min, chaptersCount: Int.max)
        try Doc.expectRoundTrips(course)
    }

    /// Overflow, fractions, exponents that do not give an integer, text and leading zeros are not integers for Codable.
    @Test(arguments: [
        "99999999999999999999", "-99999999999999999999", "9223372036854775808", "-9223372036854775809",
        "1.5", "-0.5", "1e-1", "\"300\"", "true", "null", "[]", "{}", "-", "+1", "--1", "0x10", "1e", "1.", ".5",
        "007", "-01", "00",
    ])
    func integersCodableRejects(raw: String) throws {
        let data = try Doc.replacing("duration", with: raw, in: LMSJSON.encode(T.course()))
        try Doc.expectAgreement(Course.self, data, mustAccept: false)
    }

    // MARK: - Money

    /// Money as text: the reader and Codable share `MoneyText.parse`, but the reader must route to it too.
    @Test(arguments: [
        "\"49.00\"", "\"49\"", "\"49.5\"", "\"-0.50\"", "\"0.00\"", "\"-0.00\"", "\"12345678.99\"", "\"123456789012345678901.25\"",
        "\"49.001\"", "\"1e2\"", "\"+1\"", "\"\"", "\"-\"", "\"4 9\"", "\" 49\"", "\"abc\"", "null", "true", "[]", "{}", "\"4\\u0039\"",
    ])
    func priceText(raw: String) throws {
        let data = try Doc.replacing("price", with: raw, in: LMSJSON.encode(T.course()))
        try Doc.expectAgreement(Course.self, data)
    }

    /// `decodeMoney` also accepts a plain JSON number for hand-written requests; the value must be
    /// the decimal written, as Codable gives it, not a binary floating-point approximation of it.
    @Test(arguments: ["49", "49.5", "-0.5", "0", "-0", "0.1", "1e2", "49.00", "0.07", "19.99", "12345678.99", "1234567.89"])
    func priceAsJSONNumber(raw: String) throws {
        let data = try Doc.replacing("price", with: raw, in: LMSJSON.encode(T.course()))
        try Doc.expectAgreement(Course.self, data, mustAccept: true)
        let expected = try #require(Decimal(string: raw, locale: Locale(identifier: "en_US_POSIX")))
        #expect(try Doc.fast(Course.self, data).price == expected)
    }

    /// Numbers JSON does not allow (leading zeros, a plus sign, a bare point) or that do not fit
    /// a Double are not amounts to Codable either.
    @Test(arguments: ["049", "+49", ".5", "49.", "-", "1e", "--1", "0x10", "1e999", "- 1", "-.5"])
    func priceNumbersCodableRejects(raw: String) throws {
        let data = try Doc.replacing("price", with: raw, in: LMSJSON.encode(T.course()))
        try Doc.expectAgreement(Course.self, data, mustAccept: false)
    }

    /// A price that is a broken string followed by a number is not JSON; reading it must not
    /// fall back to the number after the string.
    @Test func brokenPriceStringIsNotRetriedAsANumber() throws {
        let data = try Doc.replacing("price", with: #""\x"5"#, in: LMSJSON.encode(T.course()))
        try Doc.expectAgreement(Course.self, data, mustAccept: false)
    }

    // MARK: - Strings

    /// Each escape JSON defines, and raw multi-byte UTF-8, as Codable reads them.
    @Test(arguments: StringCase.valid)
    func stringEscapes(sample: StringCase) throws {
        try Doc.expectString(json: sample.json, equals: sample.expected)
    }

    /// The reader skips eight bytes at a time while none is a quote, a backslash or a control
    /// character: put each special sequence at every offset of the first three words, with
    /// 0, 1, 7, 8 and 9 bytes after it, so every word boundary meets every kind of byte.
    @Test(arguments: StringCase.valid + StringCase.invalid)
    func specialSequenceAtEveryPosition(sample: StringCase) throws {
        for position in 0...17 {
            for after in [0, 1, 7, 8, 9] {
                let head = String(repeating: "a", count: position), tail = String(repeating: "b", count: after)
                try Doc.expectString(json: head + sample.json + tail, equals: sample.expected.map { head + $0 + tail })
            }
        }
    }

    /// Strings made only of escapes, and escapes that look like the closing quote.
    @Test(arguments: [
        (#"\\"#, "\\"), (#"\\\\"#, "\\\\"), (#"\\\""#, "\\\""), (#"\"\\"#, "\"\\"),
        (String(repeating: #"\\"#, count: 8), String(repeating: "\\", count: 8)),
        (String(repeating: #"\""#, count: 9), String(repeating: "\"", count: 9)),
        (String(repeating: #"\u00e9"#, count: 5), "ééééé"), ("", ""),
        (#"a\\"#, "a\\"), (#"abcdefg\\"#, "abcdefg\\"), (#"abcdefgh\\"#, "abcdefgh\\"),
    ])
    func runsOfEscapes(json: String, expected: String) throws {
        try Doc.expectString(json: json, equals: expected)
    }

    /// A raw control character is not allowed inside a JSON string, wherever it falls.
    @Test(arguments: [UInt8](0...0x1F))
    func rawControlCharacterIsAnError(byte: UInt8) throws {
        for position in [0, 3, 7, 8, 9, 15, 16] {
            var text = Array(String(repeating: "x", count: position).utf8)
            text.append(byte)
            text += Array("tail".utf8)
            let data = Doc.optionDocument(textBytes: text)
            try Doc.expectAgreement(LearnerQuizOption.self, data, mustAccept: false)
        }
    }

    /// A high surrogate with no low one after it (or a low one alone) is not a character;
    /// Codable rejects the document, so the reader must too rather than invent U+FFFD.
    @Test(arguments: [#"\ud83d"#, #"\ude00"#, #"\ud83d\u0041"#, #"\ud83dx"#, #"\ude00\ud83d"#, #"\ud83d\ud83d"#])
    func loneSurrogates(json: String) throws {
        try Doc.expectString(json: json, equals: nil)
    }

    /// Bytes that are not UTF-8 (a stray continuation byte, a truncated sequence, 0xFF) are
    /// rejected by Codable; the reader must not quietly repair them.
    @Test(arguments: [[0xFF], [0x80], [0xC3], [0xE6, 0x97], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80]] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) throws {
        let data = Doc.optionDocument(textBytes: Array("ok ".utf8) + bytes + Array(" ok".utf8))
        try Doc.expectAgreement(LearnerQuizOption.self, data, mustAccept: false)
    }

    // MARK: - Layout: whitespace, key order, unknown keys

    /// JSON allows space, tab, LF and CR around every token (and nothing else: not form feed).
    @Test(arguments: [" ", "\t", "\n", "\r", "\r\n", " \t\n\r  "])
    func whitespaceEverywhere(whitespace: String) throws {
        for data in try Samples.allDocuments() {
            let spaced = Doc.spaced(data, whitespace)
            try Doc.expectAgreement(Doc.AnyModel.self, spaced, mustAccept: true, like: data)
        }
    }

    @Test func prettyPrintedDocumentsRead() throws {
        let encoder = LMSJSON.makeEncoder(pretty: true)
        try Doc.expectAgreement(Course.self, encoder.encode(Samples.courses[0]), mustAccept: true)
        for content in Samples.contents {
            try Doc.expectAgreement(LessonContent.self, encoder.encode(content), mustAccept: true)
        }
    }

    /// Only the four JSON whitespace characters; form feed, vertical tab and NBSP are errors.
    @Test(arguments: ["\u{0C}", "\u{0B}", "\u{A0}", "\u{00}"])
    func otherSpaceIsNotWhitespace(space: String) throws {
        let data = Doc.spaced(try LMSJSON.encode(T.intro), space)
        try Doc.expectAgreement(Lesson.self, data, mustAccept: false)
    }

    /// Keys may come in any order: every rotation of the keys, and the reverse.
    @Test func keysInAnyOrder() throws {
        for data in try Samples.allDocuments() {
            let members = Doc.members(data)
            var orders = (0..<members.count).map { Array(members[$0...] + members[..<$0]) }
            orders.append(Array(members.reversed()))
            for order in orders {
                try Doc.expectAgreement(Doc.AnyModel.self, Doc.document(order), mustAccept: true, like: data)
            }
        }
    }

    /// Unknown keys, whatever their value, are skipped: at the start, between known keys and at the
    /// end, at the top level and inside nested objects (the lesson, questions and options).
    @Test(arguments: Samples.unknownValues)
    func unknownKeysAreSkipped(raw: String) throws {
        for data in try Samples.allDocuments() {
            let decorated = Doc.withUnknownKeys(data, raw: raw)
            try Doc.expectAgreement(Doc.AnyModel.self, decorated, mustAccept: true, like: data)
        }
    }

    /// Unknown keys that share a prefix with known ones must not be taken for them.
    @Test func nearMissKeysAreUnknown() throws {
        let data = try LMSJSON.encode(Samples.courses[0])
        var members = Doc.members(data)
        for near in ["titl", "titles", "Title", "id_", "i", "price_cents", "slug ", " slug", "duration2"] {
            members.insert((near, Array(#""decoy""#.utf8)), at: members.count / 2)
        }
        try Doc.expectAgreement(Course.self, Doc.document(members), mustAccept: true)
        #expect(try Doc.fast(Course.self, Doc.document(members)) == Samples.courses[0])
    }

    /// Malformed unknown values are still malformed: skipping must check them. (Codable checks
    /// skipped values less than the ones it decodes: it lets `-`, a trailing comma or a raw control
    /// character in a skipped string through, so those are not listed; the reader may be stricter.)
    @Test(arguments: [
        "{", "[", "[1 2]", "[1,,2]", "{\"a\" 1}", "{\"a\":}", "{1:2}", "\"unterminated", "tru", "nul", "fals", "@",
        "nulL", "True", "[true false]", "{\"a\":1,,\"b\":2}", "'single'", "undefined", "NaN", "Infinity", "-Infinity",
        "[\"a\"}", "{\"a\":1]", "+1", ".5",
    ])
    func malformedUnknownValuesAreErrors(raw: String) throws {
        var members = Doc.members(try LMSJSON.encode(T.intro))
        members.insert(("extra", Array(raw.utf8)), at: 3)
        try Doc.expectAgreement(Lesson.self, Doc.document(members), mustAccept: false)
    }

    /// A key with an escape JSON does not define is not JSON, even when the key is unknown.
    @Test(arguments: [#"b\ody"#, #"\q"#, #"\uestions"#, #"x\u00G0"#])
    func badEscapesInKeys(key: String) throws {
        var members = Doc.members(try LMSJSON.encode(T.intro))
        members.insert((key, Array("1".utf8)), at: 2)
        try Doc.expectAgreement(Lesson.self, Doc.document(members), mustAccept: false)
    }

    /// Nested unknown values are skipped at any depth Codable accepts (it allows about 510 levels).
    @Test(arguments: [1, 100, 250])
    func deepNestingIsSkipped(pairs: Int) throws {
        try Doc.expectAgreement(LearnerQuizOption.self, Doc.nested(pairs: pairs), mustAccept: true)
    }

    /// Codable refuses nesting deeper than 512 levels, whatever the size of the file. The reader must
    /// refuse too: without a limit its recursion overflows the stack on a short file of brackets
    /// (about 20,000 `[` in a debug build), a crash where Codable gives an error. Deeper inputs are
    /// not tried here because a crash would take the whole test run down.
    @Test(arguments: [300, 1_000])
    func tooDeepNestingIsAnError(pairs: Int) throws {
        try Doc.expectAgreement(LearnerQuizOption.self, Doc.nested(pairs: pairs), mustAccept: false)
    }

    // MARK: - Errors

    /// Every strict prefix of a valid document is invalid. Each prefix is read from memory that
    /// ends at an unreadable page, so a read past the end crashes here instead of going unnoticed.
    @Test func everyTruncationThrows() throws {
        for data in try Samples.allDocuments() + [try LMSJSON.makeEncoder(pretty: true).encode(Samples.contents[1])] {
            let bytes = Array(data)
            var accepted: [Int] = []
            for length in 0..<bytes.count {
                let threw = Doc.withGuardedData(Array(bytes[..<length])) { prefix in
                    Doc.readsAsJSONReaderError(prefix)
                }
                if !threw { accepted.append(length) }
            }
            #expect(accepted.isEmpty, "prefixes of \(String(decoding: data, as: UTF8.self)) that did not throw JSONReaderError: \(accepted)")
        }
    }

    /// The guard page only helps if the reader sees the bytes where they were put.
    @Test func guardedDataIsNotCopied() {
        let bytes = Array(repeating: UInt8(ascii: "x"), count: 100)
        let isInPlace = Doc.withGuardedData(bytes) { data in
            data.withUnsafeBytes { raw in
                // The last byte is the last readable one: the next page is PROT_NONE.
                Int(bitPattern: raw.baseAddress! + raw.count) % Int(getpagesize()) == 0
            }
        }
        #expect(isInPlace)
    }

    /// Each required field, removed: Codable and the reader both refuse, and the reader names the field.
    @Test func missingRequiredFieldsAreNamed() throws {
        let required: [(Data, [String], (Data) throws -> Any)] = [
            (try LMSJSON.encode(Samples.courses[0]),
             ["id", "title", "slug", "status", "price", "instructor_id", "duration", "chapters_count", "lessons_count", "created_at", "updated_at"],
             { try Doc.fast(Course.self, $0) }),
            (try LMSJSON.encode(Samples.chapters[1]), ["id", "course_id", "title", "position", "created_at", "updated_at"],
             { try Doc.fast(Chapter.self, $0) }),
            (try LMSJSON.encode(Samples.lessons[0]),
             ["id", "chapter_id", "title", "type", "duration", "position", "is_free", "requires_previous", "created_at", "updated_at"],
             { try Doc.fast(Lesson.self, $0) }),
            (try LMSJSON.encode(Samples.contents[0]), ["lesson", "course_id"], { try Doc.fast(LessonContent.self, $0) }),
            (try LMSJSON.encode(Samples.questions[0]), ["id", "lesson_id", "question", "type", "options", "points", "position"],
             { try Doc.fast(LearnerQuizQuestion.self, $0) }),
            (try LMSJSON.encode(Samples.options[0]), ["id", "text"], { try Doc.fast(LearnerQuizOption.self, $0) }),
        ]
        for (data, fields, read) in required {
            let members = Doc.members(data)
            for field in fields {
                let stripped = Doc.document(members.filter { $0.key != field })
                #expect(throws: (any Error).self, "Codable accepts a document without \(field)") {
                    try LMSJSON.decode(Doc.AnyModel.self, from: stripped, like: data)
                }
                do {
                    _ = try read(stripped)
                    Issue.record("read a document without '\(field)': \(String(decoding: stripped, as: UTF8.self))")
                } catch let error as JSONReaderError {
                    #expect(error.description.contains("'\(field)'"), "\(error)")
                }
            }
        }
    }

    /// A field missing from a nested object is reported too (not swallowed by the outer reader).
    @Test func missingNestedFieldIsNamed() throws {
        let data = try LMSJSON.encode(Samples.contents[1])
        var members = Doc.members(data)
        let index = try #require(members.firstIndex { $0.key == "lesson" })
        members[index].raw = Array(Doc.document(Doc.members(Data(members[index].raw)).filter { $0.key != "chapter_id" }))
        let error = try #require(throws: JSONReaderError.self) { try Doc.fast(LessonContent.self, Doc.document(members)) }
        #expect(error.description.contains("'chapter_id'"))
        #expect(error.description.contains("Lesson"))
    }

    /// Values of the wrong type (or broken literals) for each kind of field.
    @Test(arguments: [
        ("id", "\"not-a-uuid\""), ("id", "\"00000000-0000-0000-0000-00000000003G\""), ("id", "\"000000000000-0000-0000-0000-00000031\""),
        ("id", "\"00000000-0000-0000-0000-0000000000031\""), ("id", "\"00000000-0000-0000-0000-00000000003\""),
        ("id", "\"00000000_0000_0000_0000_000000000031\""), ("id", "\"{00000000-0000-0000-0000-000000000031}\""),
        ("id", "123"), ("id", "null"), ("id", "\"\""), ("instructor_id", "true"),
        ("title", "123"), ("title", "nul"), ("title", "null"), ("title", "tru"), ("title", "[\"a\"]"), ("title", "{}"),
        ("slug", "false"), ("status", "1"), ("status", "null"),
        ("description", "tru"), ("description", "nul"), ("description", "5"), ("description", "\"open"),
        ("thumbnail_url", "[]"), ("quiz_pass_percent", "tru"), ("quiz_pass_percent", "\"80\""), ("quiz_pass_percent", "nul"),
        ("quiz_pass_percent", "80.5"), ("chapters_count", "null"), ("lessons_count", "99999999999999999999"),
        ("created_at", "\"2026-13-01T00:00:00Z\""), ("created_at", "\"yesterday\""), ("created_at", "\"2026-01-14T09:30:00\""),
        ("created_at", "1700000000"), ("created_at", "null"), ("created_at", "\"\""), ("updated_at", "\"2026-02-30T09:30:00Z\""),
        ("deleted_at", "nul"), ("deleted_at", "\"x\""), ("deleted_at", "0"), ("deleted_at", "\"2026-01-14T09:30:00Zjunk\""),
    ])
    func wrongTypesInCourse(field: String, raw: String) throws {
        let data = try Doc.replacing(field, with: raw, in: LMSJSON.encode(Samples.courses[0]))
        try Doc.expectAgreement(Course.self, data, mustAccept: false)
    }

    @Test(arguments: [
        ("is_free", "tru"), ("is_free", "\"true\""), ("is_free", "1"), ("is_free", "nul"), ("is_free", "null"),
        ("requires_previous", "fals"), ("requires_previous", "falsy"), ("type", "null"), ("video_url", "1"), ("video_id", "fals"),
        ("position", "1.5"), ("position", "\"1\""), ("chapter_id", "\"\""),
    ])
    func wrongTypesInLesson(field: String, raw: String) throws {
        let data = try Doc.replacing(field, with: raw, in: LMSJSON.encode(Samples.lessons[4]))
        try Doc.expectAgreement(Lesson.self, data, mustAccept: false)
    }

    @Test(arguments: [
        ("lesson", "null"), ("lesson", "[]"), ("lesson", "\"lesson\""), ("course_id", "null"), ("body", "5"), ("body", "nul"),
        ("questions", "{}"), ("questions", "nul"), ("questions", "[null]"), ("questions", "[1]"), ("questions", "[{}]"),
        ("questions", "[[]]"),
    ])
    func wrongTypesInLessonContent(field: String, raw: String) throws {
        let data = try Doc.replacing(field, with: raw, in: LMSJSON.encode(Samples.contents[3]))
        try Doc.expectAgreement(LessonContent.self, data, mustAccept: false)
    }

    @Test(arguments: [
        ("options", "null"), ("options", "{}"), ("options", "[null]"), ("options", "[{\"id\":\"a\"}]"), ("options", "[{\"id\":1,\"text\":\"a\"}]"),
        ("points", "\"1\""), ("type", "5"), ("question", "null"),
    ])
    func wrongTypesInQuizQuestion(field: String, raw: String) throws {
        let data = try Doc.replacing(field, with: raw, in: LMSJSON.encode(Samples.questions[0]))
        try Doc.expectAgreement(LearnerQuizQuestion.self, data, mustAccept: false)
    }

    /// Escapes that JSON does not define, and `\u` without four hex digits.
    @Test(arguments: [#"\x"#, #"\u12"#, #"\u12G4"#, #"\U00e9"#, #"\'"#, #"\a"#, #"\0"#, #"\u"#, #"\u00e"#, "\\\u{01}", "\\é"])
    func badEscapes(json: String) throws {
        try Doc.expectString(json: json, equals: nil)
    }

    @Test(arguments: ["x", "}", " {}", ",", "\u{00}", "]", " 1", "\"\"", "null", " x ", "{", "\u{0C}"])
    func trailingGarbage(suffix: String) throws {
        let data = try LMSJSON.encode(Samples.courses[0]) + Data(suffix.utf8)
        try Doc.expectAgreement(Course.self, data, mustAccept: false)
        let error = try #require(throws: JSONReaderError.self) { try Doc.fast(Course.self, data) }
        // The offset points at the garbage, past the document and any whitespace.
        let firstGarbage = data.count - suffix.utf8.count + suffix.utf8.prefix { $0 == 0x20 }.count
        #expect(error.offset == firstGarbage)
    }

    @Test func trailingWhitespaceIsFine() throws {
        try Doc.expectAgreement(Course.self, try LMSJSON.encode(Samples.courses[0]) + Data(" \n\t\r ".utf8), mustAccept: true)
    }

    @Test(arguments: ["", " ", "\n\t ", "null", "[]", "{}", "\"course\"", "0", "true", "{\"id\":1}", "[{}]"])
    func notACourse(text: String) throws {
        try Doc.expectAgreement(Course.self, Data(text.utf8), mustAccept: false)
    }

    /// The error says where: the offset of the value that is wrong.
    @Test func errorOffsetPointsAtTheProblem() throws {
        let error = try #require(throws: JSONReaderError.self) { try Doc.fast(LearnerQuizOption.self, Data(#"{"id":1,"text":"a"}"#.utf8)) }
        #expect(error.offset == 6)
        #expect(error.description.hasPrefix("at byte 6: expected a string"))
        let empty = try #require(throws: JSONReaderError.self) { try Doc.fast(LearnerQuizOption.self, Data()) }
        #expect(empty.offset == 0)
        let control = try #require(throws: JSONReaderError.self) {
            try Doc.fast(LearnerQuizOption.self, Data("{\"id\":\"abcdefghij\u{01}\",\"text\":\"a\"}".utf8))
        }
        #expect(control.offset == 17)
    }

    /// Change one byte of a quiz document (or drop it) in every way that matters to a scanner and
    /// at every position: whenever the reader still returns a value, Codable must accept the same
    /// bytes and give that value. (Documents that stop being UTF-8 are left to `invalidUTF8`.)
    @Test func singleByteMutationsNeverGiveAValueCodableDoesNot() throws {
        let replacements = Array("\"\\{}[]:, 0-.eE+nultrfa9A\t/".utf8) + [0x01, 0x1F, 0x7F]
        func mutants(of data: Data) -> [Data] {
            let bytes = Array(data)
            var mutants: [[UInt8]] = []
            for index in bytes.indices {
                var deleted = bytes
                deleted.remove(at: index)
                mutants.append(deleted)
                for byte in replacements where byte != bytes[index] {
                    var changed = bytes
                    changed[index] = byte
                    mutants.append(changed)
                }
            }
            return mutants.filter { String(validating: $0, as: UTF8.self) != nil }.map { Data($0) }
        }
        var problems: [String] = [], count = 0
        for mutant in mutants(of: try LMSJSON.encode(Samples.contents[3])) {
            count += 1
            if let problem = Doc.disagreement(LessonContent.self, mutant, requireAcceptance: false) { problems.append(problem) }
        }
        for mutant in mutants(of: try LMSJSON.encode(Samples.courses[0])) {
            count += 1
            if let problem = Doc.disagreement(Course.self, mutant, requireAcceptance: false) { problems.append(problem) }
        }
        #expect(problems.isEmpty, "\(problems.count) of \(count) mutants, e.g.:\n\(problems.prefix(8).joined(separator: "\n"))")
    }

    // MARK: - Dates

    /// What the server (ISO8601.format, milliseconds, Z) and PostgreSQL (microseconds, offsets,
    /// a space) write; the reader must give Codable's instant for each.
    @Test(arguments: [
        "2026-11-29T03:51:40.768Z", "2026-11-29T03:51:40.768123+00:00", "2026-11-29T03:51:40Z", "2026-11-29 03:51:40.768123+00",
        "2026-11-29T05:51:40.768+02:00", "2026-11-28T22:21:40.768-05:30", "2026-11-29t03:51:40.768z", "1969-12-31T23:59:59.5Z",
        "2024-02-29T00:00:00Z", "2026-11-29T03:51:40.1234567890Z",
    ])
    func datesReadAsCodableReadsThem(text: String) throws {
        let date = try #require(ISO8601.parse(text))
        for field in ["created_at", "deleted_at"] {
            let data = try Doc.replacing(field, with: "\"\(text)\"", in: LMSJSON.encode(Samples.courses[0]))
            try Doc.expectAgreement(Course.self, data, mustAccept: true)
            let course = try Doc.fast(Course.self, data)
            #expect((field == "created_at" ? course.createdAt : course.deletedAt) == date)
        }
    }

    @Test func bothServerDateFormsAreTheSameInstantToTheMillisecond() throws {
        let milli = try Doc.fast(Course.self, Doc.replacing("created_at", with: #""2026-11-29T03:51:40.768Z""#, in: LMSJSON.encode(T.course())))
        let micro = try Doc.fast(Course.self, Doc.replacing("created_at", with: #""2026-11-29T03:51:40.768123+00:00""#, in: LMSJSON.encode(T.course())))
        #expect(abs(micro.createdAt.timeIntervalSince(milli.createdAt) - 0.000123) < 1e-6)
    }

    // MARK: - Reader primitives

    @Test func primitives() throws {
        #expect(try JSONReader.read(Data(" [1, -2 ,3] ".utf8)) { try $0.array { try $0.int() } } == [1, -2, 3])
        #expect(try JSONReader.read(Data("[]".utf8)) { try $0.array { try $0.int() } } == [])
        #expect(try JSONReader.read(Data("[true,false]".utf8)) { try $0.array { try $0.bool() } } == [true, false])
        #expect(try JSONReader.read(Data("[null,\"a\"]".utf8)) { try $0.array { try $0.optionalString() } } == [nil, "a"])
        #expect(try JSONReader.read(Data("[null,7]".utf8)) { try $0.array { try $0.optionalInt() } } == [nil, 7])
        #expect(try JSONReader.read(Data("-2.5e+3".utf8)) { try $0.double() } == -2500)
        #expect(throws: JSONReaderError.self) { try JSONReader.read(Data("1e999".utf8)) { try $0.double() } }
        let uuid = try JSONReader.read(Data(#""a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d""#.utf8)) { try $0.uuid() }
        #expect(uuid == UUID(uuidString: "A1B2C3D4-E5F6-4A5B-8C7D-9E0F1A2B3C4D"))
        #expect(try JSONReader.read(Data("null".utf8)) { try $0.optionalUUID() } == nil)
        #expect(try JSONReader.read(Data("null".utf8)) { try $0.optionalDate() } == nil)
    }

    @Test func keysAndRawValues() throws {
        let json = #"{"a": {"x": [1, "}"]}, "b\n": 2, "c": "q"}"#
        let (keys, raws) = try JSONReader.read(Data(json.utf8)) { reader in
            var keys: [String] = [], raws: [String] = []
            try reader.object { reader, key in
                keys.append(key.text)
                raws.append(String(decoding: try reader.rawValue(), as: UTF8.self))
            }
            return (keys, raws)
        }
        // An escaped key reads as empty: none of ours needs escapes, so it must match none of them.
        // (Codable is no firmer oracle here: on this Foundation `"b\u006fdy"` matches `body` in some
        // objects and not in a LessonContent, so escaped known keys are not tested against it.)
        #expect(keys == ["a", "", "c"])
        #expect(raws == [#"{"x": [1, "}"]}"#, "2", #""q""#])
    }

    @Test func decodeWrapsDecodingErrors() throws {
        struct Pair: Decodable, Equatable { var a: Int }
        let value = try JSONReader.read(Data(#"[{"a":1}]"#.utf8)) { reader in
            try reader.array { try $0.decode(Pair.self, with: JSONDecoder()) }
        }
        #expect(value == [Pair(a: 1)])
        #expect(throws: JSONReaderError.self) {
            try JSONReader.read(Data(#"[{"a":"x"}]"#.utf8)) { reader in try reader.array { try $0.decode(Pair.self, with: JSONDecoder()) } }
        }
    }

    /// A slice of a larger buffer (non-zero start index) reads only its own bytes.
    @Test func readsADataSlice() throws {
        let whole = Data("garbage".utf8) + (try LMSJSON.encode(T.intro)) + Data("garbage".utf8)
        let slice = whole[7..<(whole.count - 7)]
        #expect(try Doc.fast(Lesson.self, slice) == T.intro)
    }

    // MARK: - Property: any string survives both writers

    /// Unicode scalars weighted toward what breaks string scanners: control characters, quotes,
    /// backslashes, and two-, three- and four-byte UTF-8.
    static let scalar = zip(Gen.int(in: 0...5), Gen<UInt32>.value(in: 0...0x10FFFF)).map { (pair: (Int, UInt32)) -> Unicode.Scalar in
        let (kind, raw) = pair
        let value: UInt32
        switch kind {
        case 0: value = raw % 0x20
        case 1: value = [0x22, 0x5C, 0x2F, 0x20, 0x7F, 0x08, 0x0C, 0x75][Int(raw % 8)]  // " \ / space DEL \b \f u
        case 2: value = 0x20 + raw % 0x5F
        case 3:
            let bmp = 0x80 + raw % (0x10000 - 0x80)
            value = (0xD800...0xDFFF).contains(bmp) ? bmp - 0x800 : bmp
        case 4: value = 0x10000 + raw % 0x100000
        default: value = [0xE9, 0x65E5, 0x1F600, 0x2028, 0xFEFF, 0x301][Int(raw % 6)]  // é 日 😀 LS BOM combining acute
        }
        return Unicode.Scalar(value)!
    }

    static let text = scalar.array(of: 0...40).map { (scalars: [Unicode.Scalar]) -> String in
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    @Test func anyStringSurvivesBothWriters() async {
        await propertyCheck(count: 400, input: Self.text) { text in
            var lesson = T.branches
            lesson.title = text
            let option = LearnerQuizOption(id: text, text: text)
            let question = LearnerQuizQuestion(
                id: T.id(0x61), lessonID: lesson.id, question: text, type: .singleChoice, options: [option], points: 1, position: 0)
            let content = LessonContent(lesson: lesson, courseID: T.courseID, body: text, questions: [question])
            for data in [Doc.written(content), try LMSJSON.encode(content)] {
                let read = try Doc.fast(LessonContent.self, data)
                #expect(read == content)
                // Byte for byte, not just canonically equivalent.
                #expect(Array(read.lesson.title.utf8) == Array(text.utf8))
                #expect(Array((read.body ?? "").utf8) == Array(text.utf8))
                #expect(Array((read.questions?.first?.options.first?.text ?? "").utf8) == Array(text.utf8))
            }
        }
    }
}

// MARK: - Samples

/// Values chosen to reach every branch of the readers: optionals nil and present, unknown enum
/// raw values, extreme and negative integers, empty arrays and strings, text full of escapes.
enum Samples {
    typealias T = TestData

    /// Every escape JSONEncoder and JSONWriter produce, and multi-byte UTF-8 of each width.
    static let awkward = "Quotes \" backslash \\ slash / newline \n tab \t cr \r bell \u{07} nul \u{00} del \u{7F} é 日本語 🎌 😀 \u{2028}"
    static let instant = Date(timeIntervalSince1970: 1_700_000_000.25)

    static let courses: [Course] = {
        var full = T.course(status: .published, price: 49, quizPassPercent: 80, deletedAt: instant)
        full.description = awkward
        full.thumbnailURL = "https://cdn.example.com/thumbs/a.png?size=2&x=%20"
        let minimal = Course(
            id: T.id(0x33), title: "", slug: "s", status: .draft, price: 0, instructorID: T.instructorID,
            createdAt: T.at(days: -3), updatedAt: T.at(days: -3))
        var odd = T.course(
            status: .other("beta"), price: Decimal(string: "-0.50")!, duration: -1, chaptersCount: Int.max,
            lessonsCount: 0, quizPassPercent: 0)
        odd.description = ""
        odd.title = "日本語のコース 🎌"
        var big = T.course(price: Decimal(string: "12345678.99")!, duration: Int.max - 1, quizPassPercent: -100)
        big.thumbnailURL = ""
        return [full, minimal, odd, big]
    }()

    static let chapters: [Chapter] = {
        var described = T.chapter(T.chapterA, "Getting \"started\"", position: 1)
        described.description = awkward
        let negative = T.chapter(T.chapterB, "", position: -5)
        let far = T.chapter(T.chapterC, "Wrap-up", position: Int.max)
        return [T.chapter(T.chapterC, "Wrap-up", position: 3), described, negative, far]
    }()

    static let lessons: [Lesson] = {
        var video = T.intro
        video.videoURL = "https://video.example.com/v/abc?t=1&u=\\x"
        video.videoID = "abc/123"
        var other = T.lesson(T.id(0x46), awkward, chapter: T.chapterA, position: -1, type: .other("podcast"), duration: -30)
        other.updatedAt = instant
        var empty = T.summary
        empty.videoURL = ""
        empty.videoID = ""
        return T.lessonsInStudyOrder + [video, other, empty]
    }()

    static let options: [LearnerQuizOption] = [
        LearnerQuizOption(id: "a", text: "repeat-while"),
        LearnerQuizOption(id: "", text: ""),
        LearnerQuizOption(id: "opt-🔁", text: awkward),
    ]

    static let questions: [LearnerQuizQuestion] = [
        LearnerQuizQuestion(
            id: T.id(0x51), lessonID: T.loopsQuiz.id, question: "Which loop runs at least once? \"repeat\" or \\while\\",
            type: .singleChoice, options: options, points: 2, position: 1),
        LearnerQuizQuestion(
            id: T.id(0x52), lessonID: T.loopsQuiz.id, question: "Name a keyword", type: .shortAnswer, options: [],
            points: 1, position: 2),
        LearnerQuizQuestion(
            id: T.id(0x53), lessonID: T.loopsQuiz.id, question: awkward, type: .other("matching"),
            options: [options[0]], points: -3, position: Int.max),
        LearnerQuizQuestion(
            id: T.id(0x54), lessonID: T.loopsQuiz.id, question: "", type: .multipleChoice,
            options: [LearnerQuizOption(id: "x", text: "1"), LearnerQuizOption(id: "y", text: "2")], points: 0, position: 0),
    ]

    static let contents: [LessonContent] = {
        var videoLesson = T.intro
        videoLesson.videoURL = "https://video.example.com/v/abc"
        return [
            // A text lesson: body only.
            LessonContent(lesson: T.branches, courseID: T.courseID, body: "# If\n\nUse `if` and \"switch\".\n\n" + awkward),
            // A quiz: questions only.
            LessonContent(lesson: T.loopsQuiz, courseID: T.courseID, questions: questions),
            // A video: neither.
            LessonContent(lesson: videoLesson, courseID: T.otherCourseID),
            // Both, an empty body and an empty question list are all distinct from nil.
            LessonContent(lesson: T.loopsQuiz, courseID: T.courseID, body: "Read first.", questions: [questions[1], questions[0]]),
            LessonContent(lesson: T.branches, courseID: T.courseID, body: "", questions: []),
        ]
    }()

    /// Compact JSONEncoder output of one sample of each kind, tagged so `AnyModel` can read it.
    static func allDocuments() throws -> [Data] {
        [
            try LMSJSON.encode(courses[0]), try LMSJSON.encode(courses[1]), try LMSJSON.encode(chapters[1]),
            try LMSJSON.encode(lessons[5]), try LMSJSON.encode(contents[0]), try LMSJSON.encode(contents[1]),
            try LMSJSON.encode(contents[3]), try LMSJSON.encode(contents[4]), try LMSJSON.encode(questions[0]),
            try LMSJSON.encode(options[2]),
        ]
    }

    /// Values an unknown key may carry; the reader must skip each without looking inside.
    static let unknownValues: [String] = [
        "null", "true", "false", "0", "-0", "-12.5e+3", "1E-7", "9999999999999999999999999", "0.000001",
        "\"\"", #""a \" quoted } ] , : string \\ \u00e9 \ud83d\ude00 日本""#, "{}", "[]", "{ }", "[ ]",
        #"{"a":[1,-2.5e+3,true,false,null,{"b":"}\"]"}],"c":{},"id":"not-a-uuid","title":5}"#,
        "[[[[[[[[[[[]]]]]]]]]]]", #"[{"lesson":null},{"questions":[1,2]}]"#, #"{"price":"x","created_at":1}"#,
    ]
}

/// One JSON string test: its text as written inside the quotes, and what it must read as (nil: an error).
struct StringCase: Sendable, CustomTestStringConvertible {
    let json: String
    let expected: String?
    var testDescription: String { json.debugDescription }

    static let valid: [StringCase] = [
        .init(json: #"\""#, expected: "\""), .init(json: #"\\"#, expected: "\\"), .init(json: #"\/"#, expected: "/"),
        .init(json: #"\b"#, expected: "\u{08}"), .init(json: #"\f"#, expected: "\u{0C}"), .init(json: #"\n"#, expected: "\n"),
        .init(json: #"\r"#, expected: "\r"), .init(json: #"\t"#, expected: "\t"), .init(json: #"\u00e9"#, expected: "é"),
        .init(json: #"\u00E9"#, expected: "é"), .init(json: #"\u0000"#, expected: "\u{00}"), .init(json: #"\u001f"#, expected: "\u{1F}"),
        .init(json: #"\u0022"#, expected: "\""), .init(json: #"\u005C"#, expected: "\\"), .init(json: #"\u65e5"#, expected: "日"),
        .init(json: #"\ud83d\ude00"#, expected: "😀"), .init(json: #"\uD83D\uDE00"#, expected: "😀"),
        .init(json: #"\uffff"#, expected: "\u{FFFF}"), .init(json: "é", expected: "é"), .init(json: "日本語", expected: "日本語"),
        .init(json: "😀", expected: "😀"), .init(json: "🇯🇵", expected: "🇯🇵"), .init(json: "\u{7F}", expected: "\u{7F}"),
        .init(json: " ", expected: " "), .init(json: "!", expected: "!"), .init(json: "#", expected: "#"),
        .init(json: "[]{},:", expected: "[]{},:"), .init(json: "\u{2028}", expected: "\u{2028}"),
        .init(json: #"\\\""#, expected: "\\\""),
    ]

    static let invalid: [StringCase] = [
        .init(json: "\u{01}", expected: nil), .init(json: "\u{00}", expected: nil), .init(json: "\u{1F}", expected: nil),
        .init(json: "\n", expected: nil), .init(json: "\t", expected: nil), .init(json: #"\x"#, expected: nil),
        .init(json: #"\u12G4"#, expected: nil),
    ]
}

// MARK: - Document helpers

/// Building, taking apart and reading JSON documents for the tests above.
enum ReaderDoc {
    static func fast<Value: FastJSONCodable>(_ type: Value.Type, _ data: Data) throws -> Value {
        try JSONReader.read(data) { try Value.read(from: &$0) }
    }

    /// The value as `JSONWriter` writes it: `{`, the type's fields, `}`.
    static func written<Value: FastJSONCodable>(_ value: Value) -> Data {
        var writer = JSONWriter()
        writer.beginObject()
        value.write(to: &writer)
        writer.endObject()
        return writer.data
    }

    /// Encoded by JSONEncoder and by JSONWriter, the value reads back equal, and equal to what Codable reads.
    static func expectRoundTrips<Value: FastJSONCodable & Codable & Equatable>(
        _ value: Value, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for (writer, data) in [("JSONEncoder", try LMSJSON.encode(value)), ("JSONWriter", written(value))] {
            let text = String(decoding: data, as: UTF8.self)
            do {
                let read = try fast(Value.self, data)
                #expect(read == value, "\(writer): \(text)", sourceLocation: sourceLocation)
                #expect(read == (try LMSJSON.decode(Value.self, from: data)), "\(writer): \(text)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("\(writer) output did not read: \(error)\n\(text)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Why the reader and Codable disagree on `data`, or nil when they agree: the reader must throw
    /// `JSONReaderError` exactly when Codable throws, and otherwise give Codable's value.
    /// Without `requireAcceptance`, the reader may reject what Codable accepts (but never the reverse).
    static func disagreement<Value: FastJSONCodable & Decodable & Equatable>(
        _ type: Value.Type, _ data: Data, requireAcceptance: Bool = true
    ) -> String? {
        let expected = try? LMSJSON.makeDecoder().decode(Value.self, from: data)
        let text = String(decoding: data, as: UTF8.self).debugDescription
        do {
            let value = try fast(Value.self, data)
            guard let expected else { return "the reader accepted what Codable rejects: \(text)\n  read \(value)" }
            return value == expected ? nil : "the reader read \(text) differently:\n  reader  \(value)\n  Codable \(expected)"
        } catch let error as JSONReaderError {
            return expected != nil && requireAcceptance ? "the reader rejected what Codable accepts: \(text)\n  \(error)" : nil
        } catch {
            return "the reader threw \(Swift.type(of: error)), not JSONReaderError: \(error)"
        }
    }

    /// Reader and Codable agree on `data`; with `mustAccept`, also that both accept (true) or both reject (false),
    /// so a test cannot pass with an oracle that does something other than the test claims.
    static func expectAgreement<Value: FastJSONCodable & Decodable & Equatable>(
        _ type: Value.Type, _ data: Data, mustAccept: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        if let mustAccept {
            let codableAccepts = (try? LMSJSON.makeDecoder().decode(Value.self, from: data)) != nil
            #expect(codableAccepts == mustAccept,
                    "test premise: Codable \(codableAccepts ? "accepts" : "rejects") \(String(decoding: data, as: UTF8.self).debugDescription)",
                    sourceLocation: sourceLocation)
        }
        if let problem = disagreement(Value.self, data) { Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation) }
    }

    /// A tag for "whichever model `like` is a document of", so layout tests can run over all samples.
    enum AnyModel {}

    static func expectAgreement(
        _ type: AnyModel.Type, _ data: Data, mustAccept: Bool, like sample: Data, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        switch try kind(of: sample) {
        case .course: try expectAgreement(Course.self, data, mustAccept: mustAccept, sourceLocation: sourceLocation)
        case .chapter: try expectAgreement(Chapter.self, data, mustAccept: mustAccept, sourceLocation: sourceLocation)
        case .lesson: try expectAgreement(Lesson.self, data, mustAccept: mustAccept, sourceLocation: sourceLocation)
        case .content: try expectAgreement(LessonContent.self, data, mustAccept: mustAccept, sourceLocation: sourceLocation)
        case .question: try expectAgreement(LearnerQuizQuestion.self, data, mustAccept: mustAccept, sourceLocation: sourceLocation)
        case .option: try expectAgreement(LearnerQuizOption.self, data, mustAccept: mustAccept, sourceLocation: sourceLocation)
        }
        if mustAccept {
            // And the value is the sample's own, not merely something both readers agree on.
            #expect(try readAny(data, like: sample) == readAny(sample, like: sample), sourceLocation: sourceLocation)
        }
    }

    enum Kind { case course, chapter, lesson, content, question, option }

    /// Which model a sample document holds, told by its keys.
    static func kind(of sample: Data) throws -> Kind {
        let keys = Set(members(sample).map(\.key))
        if keys.contains("slug") { return .course }
        if keys.contains("course_id") && keys.contains("position") { return .chapter }
        if keys.contains("chapter_id") { return .lesson }
        if keys.contains("lesson") { return .content }
        if keys.contains("lesson_id") { return .question }
        if keys == ["id", "text"] { return .option }
        throw CocoaError(.coderInvalidValue)
    }

    /// The reader's value as an `AnyHashable`, to compare documents of any model.
    static func readAny(_ data: Data, like sample: Data) throws -> AnyHashable {
        switch try kind(of: sample) {
        case .course: AnyHashable(try fast(Course.self, data))
        case .chapter: AnyHashable(try fast(Chapter.self, data))
        case .lesson: AnyHashable(try fast(Lesson.self, data))
        case .content: AnyHashable(try fast(LessonContent.self, data))
        case .question: AnyHashable(try fast(LearnerQuizQuestion.self, data))
        case .option: AnyHashable(try fast(LearnerQuizOption.self, data))
        }
    }

    /// True when reading `data` as any model throws `JSONReaderError` (and nothing else happens).
    static func readsAsJSONReaderError(_ data: Data) -> Bool {
        let readers: [(Data) throws -> Any] = [
            { try fast(Course.self, $0) }, { try fast(Chapter.self, $0) }, { try fast(Lesson.self, $0) },
            { try fast(LessonContent.self, $0) }, { try fast(LearnerQuizQuestion.self, $0) }, { try fast(LearnerQuizOption.self, $0) },
        ]
        return readers.allSatisfy { read in
            do { _ = try read(data); return false } catch is JSONReaderError { return true } catch { return false }
        }
    }

    /// A quiz option with an unknown key holding `pairs` levels of `[{"a":` ... `}]` (twice as many levels).
    static func nested(pairs: Int) -> Data {
        let value = String(repeating: #"[{"a":"#, count: pairs) + "null" + String(repeating: "}]", count: pairs)
        return Data((#"{"id":"a","deep":"# + value + #","text":"b"}"#).utf8)
    }

    /// `text` placed inside a quiz option's text, with everything around it fixed.
    static func optionDocument(textBytes: [UInt8]) -> Data {
        Data(Array(#"{"id":"o1","text":""#.utf8) + textBytes + Array(#"","extra":1}"#.utf8))
    }

    /// The string `json` (the text between the quotes) must read as `expected` (nil: must throw), the
    /// same as Codable, inside an object and as a bare string that ends exactly at the end of the data.
    static func expectString(json: String, equals expected: String?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let data = optionDocument(textBytes: Array(json.utf8))
        try expectAgreement(LearnerQuizOption.self, data, mustAccept: expected != nil, sourceLocation: sourceLocation)
        if let expected, let option = try? fast(LearnerQuizOption.self, data) {
            #expect(Array(option.text.utf8) == Array(expected.utf8), "\(json.debugDescription)", sourceLocation: sourceLocation)
        }
        // Bare, in guarded memory: the closing quote is the last readable byte.
        let bare = Array(("\"" + json + "\"").utf8)
        let result = withGuardedData(bare) { data in Result { try JSONReader.read(data) { try $0.string() } } }
        switch (result, expected) {
        case (.success(let value), let expected?):
            #expect(Array(value.utf8) == Array(expected.utf8), "\(json.debugDescription)", sourceLocation: sourceLocation)
        case (.success(let value), nil):
            Issue.record("read the bare string \(json.debugDescription) as \(value.debugDescription)", sourceLocation: sourceLocation)
        case (.failure(let error), let expected?):
            Issue.record("could not read the bare string \(json.debugDescription) (\(expected.debugDescription)): \(error)", sourceLocation: sourceLocation)
        case (.failure(let error), nil):
            #expect(error is JSONReaderError, sourceLocation: sourceLocation)
        }
    }

    // MARK: Taking a document apart

    /// The members of a compact top-level object, as raw bytes, by depth and string state alone (not
    /// by the reader under test). Keys must not hold escapes, which none of ours do.
    static func members(_ data: Data) -> [(key: String, raw: [UInt8])] {
        let bytes = Array(data)
        precondition(bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}"), "not a compact object")
        var result: [(key: String, raw: [UInt8])] = []
        var start = 1, depth = 0, inString = false, escaped = false
        var index = 1
        func finish(_ end: Int) {
            guard end > start else { return }
            let member = Array(bytes[start..<end])
            let closing = member[1...].firstIndex(of: UInt8(ascii: "\""))!
            let key = String(decoding: member[1..<closing], as: UTF8.self)
            precondition(member[closing + 1] == UInt8(ascii: ":"), "not compact")
            result.append((key, Array(member[(closing + 2)...])))
        }
        while index < bytes.count - 1 {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                case UInt8(ascii: ",") where depth == 0:
                    finish(index)
                    start = index + 1
                default: break
                }
            }
            index += 1
        }
        finish(bytes.count - 1)
        return result
    }

    static func document(_ members: [(key: String, raw: [UInt8])]) -> Data {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += Array("\"\(member.key)\":".utf8) + member.raw
        }
        bytes.append(UInt8(ascii: "}"))
        return Data(bytes)
    }

    /// `data` with the value of `key` replaced by `raw` (added when absent, as for nil optionals).
    static func replacing(_ key: String, with raw: String, in data: Data) throws -> Data {
        var members = members(data)
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].raw = Array(raw.utf8)
        } else {
            members.append((key, Array(raw.utf8)))
        }
        return document(members)
    }

    /// `whitespace` before and after every structural character outside strings, and around the document.
    static func spaced(_ data: Data, _ whitespace: String) -> Data {
        let space = Array(whitespace.utf8)
        var out = space, inString = false, escaped = false
        for byte in data {
            if inString {
                out.append(byte)
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): out.append(byte); inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ":"), UInt8(ascii: ","):
                out += space; out.append(byte); out += space
            default: out.append(byte)
            }
        }
        return Data(out + space)
    }

    /// `data` with unknown keys holding `raw` first, in the middle and last, in every nested object
    /// the readers descend into (the lesson of a content, its questions and their options).
    static func withUnknownKeys(_ data: Data, raw: String) -> Data {
        var members = members(data)
        for index in members.indices {
            switch members[index].key {
            case "lesson":
                members[index].raw = Array(withUnknownKeys(Data(members[index].raw), raw: raw))
            case "questions", "options":
                members[index].raw = Array(mapElements(members[index].raw) { withUnknownKeys(Data($0), raw: raw) })
            default: break
            }
        }
        members.insert(("zz_first", Array(raw.utf8)), at: 0)
        members.insert(("unknown_middle", Array(raw.utf8)), at: members.count / 2)
        members.append(("_last", Array(raw.utf8)))
        return document(members)
    }

    /// An array of compact objects with `transform` applied to each.
    static func mapElements(_ array: [UInt8], _ transform: ([UInt8]) -> Data) -> Data {
        guard array != Array("[]".utf8) else { return Data(array) }
        var elements: [[UInt8]] = [], depth = 0, start = 1, inString = false, escaped = false
        for index in 1..<(array.count - 1) {
            let byte = array[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                elements.append(Array(array[start..<index])); start = index + 1
            default: break
            }
        }
        elements.append(Array(array[start..<(array.count - 1)]))
        return Data([UInt8(ascii: "[")] + elements.map { Array(transform($0)) }.joined(separator: [UInt8(ascii: ",")]) + [UInt8(ascii: "]")])
    }

    // MARK: Guarded memory

    /// Runs `body` on a copy of `bytes` that ends exactly where an unreadable page begins, so a
    /// read past the end faults instead of quietly using whatever follows. (Data keeps up to 14
    /// bytes inline, copying them; those short inputs are read from an ordinary copy.)
    static func withGuardedData<R>(_ bytes: [UInt8], _ body: (Data) throws -> R) rethrows -> R {
        let page = Int(getpagesize())
        let dataPages = (bytes.count + page - 1) / page
        let length = (dataPages + 1) * page
        guard let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != UnsafeMutableRawPointer(bitPattern: -1)
        else { fatalError("mmap failed") }
        defer { munmap(base, length) }
        let guardPage = base + dataPages * page
        precondition(mprotect(guardPage, page, PROT_NONE) == 0, "mprotect failed")
        let start = guardPage - bytes.count
        if !bytes.isEmpty { bytes.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) } }
        return try body(Data(bytesNoCopy: start, count: bytes.count, deallocator: .none))
    }
}

extension LMSJSON {
    /// Codable's verdict on `data` read as the model `sample` is a document of.
    fileprivate static func decode(_ type: ReaderDoc.AnyModel.Type, from data: Data, like sample: Data) throws {
        let decoder = makeDecoder()
        switch try ReaderDoc.kind(of: sample) {
        case .course: _ = try decoder.decode(Course.self, from: data)
        case .chapter: _ = try decoder.decode(Chapter.self, from: data)
        case .lesson: _ = try decoder.decode(Lesson.self, from: data)
        case .content: _ = try decoder.decode(LessonContent.self, from: data)
        case .question: _ = try decoder.decode(LearnerQuizQuestion.self, from: data)
        case .option: _ = try decoder.decode(LearnerQuizOption.self, from: data)
        }
    }
}
