import Foundation
import Testing
@testable import LMSKit

/// The fast writers must say exactly what the Codable conformances say.
@Suite struct JSONWriterTests {
    typealias T = TestData

    @Test func outlineDecodesToTheSameValue() throws {
        var course = T.course()
        course.description = "Quotes \" backslash \\ newline \n tab \t bell \u{07} and 日本語 🎌"
        course.thumbnailURL = "https://example.com/a.png"
        course.quizPassPercent = 80
        course.deletedAt = Date(timeIntervalSince1970: 1_700_000_000.25)
        let response = CourseOutlineResponse(outline: T.outline(course), owned: true)
        let decoded = try LMSJSON.decode(CourseOutlineResponse.self, from: JSONWriter.encode(response))
        #expect(decoded == response)
    }

    @Test func catalogPageDecodesToTheSameValue() throws {
        var free = T.course(price: 0)
        free.description = nil
        let page = CatalogPage(
            items: [CatalogEntry(course: T.course(), owned: false, instructorName: "Grace \"Amazing\" Hopper"),
                    CatalogEntry(course: free, owned: true, instructorName: "Ada")],
            nextCursor: "abc=")
        #expect(try LMSJSON.decode(CatalogPage.self, from: JSONWriter.encode(page)) == page)
        let last = CatalogPage(items: [], nextCursor: nil)
        let data = JSONWriter.encode(last)
        #expect(String(decoding: data, as: UTF8.self) == #"{"items":[]}"#)
        #expect(try LMSJSON.decode(CatalogPage.self, from: data) == last)
    }

    @Test func syncPageIsByteForByteWhatJSONEncoderWrites() throws {
        var course = T.course()
        course.description = "Quotes \" and / slashes, 日本語 🎌"
        let outline = T.outline(course)
        let chapter = try #require(outline.chapters.first)
        let lesson = try #require(chapter.lessons.first)
        let content = LessonContent(lesson: lesson, courseID: course.id, body: "# Title\n\nText \u{07}")
        let quiz = LessonContent(
            lesson: lesson.withoutContentLinks, courseID: course.id,
            questions: [
                LearnerQuizQuestion(id: UUID(), lessonID: lesson.id, question: "Which \"one\"?", type: .singleChoice,
                                    options: [LearnerQuizOption(id: "a", text: "A/B"), LearnerQuizOption(id: "b", text: "日本")], points: 2, position: 1),
                LearnerQuizQuestion(id: UUID(), lessonID: lesson.id, question: "Say it", type: .shortAnswer, options: [], points: 1, position: 2),
            ])
        let progress = UserProgress(
            id: UUID(), userID: UUID(), courseID: course.id, lessonID: lesson.id, completed: true, progressSeconds: 12,
            completedAt: Date(timeIntervalSince1970: 1_700_000_000.5), createdAt: Date(timeIntervalSince1970: 1_700_000_000), updatedAt: Date(timeIntervalSince1970: 1_700_000_001))
        let page = SyncChangesPage(
            changes: [
                .upsert(.course(course), id: course.id), .upsert(.chapter(chapter.chapter), id: chapter.id),
                .upsert(.lesson(lesson), id: lesson.id), .upsert(.lessonContent(content), id: lesson.id),
                .upsert(.lessonContent(quiz), id: lesson.id), .upsert(.progress(progress), id: progress.id),
                .upsert(.unknown(.object(["x": .number(1)])), id: UUID()), .tombstone(.lesson, id: UUID()),
            ],
            cursor: "abc_-", hasMore: true)
        #expect(try JSONWriter.encode(page) == LMSJSON.encode(page))
        // Written in parts (on several threads, for big pages), joined in order.
        let parts = [try JSONWriter.encodeChanges(page.changes[..<3]), [], try JSONWriter.encodeChanges(page.changes[3...])]
        #expect(try JSONWriter.encode(page, changes: parts) == LMSJSON.encode(page))
        let empty = SyncChangesPage(changes: [], cursor: "c", hasMore: false)
        #expect(try JSONWriter.encode(empty) == LMSJSON.encode(empty))
    }

    @Test func pushResultsAreByteForByteWhatJSONEncoderWrites() throws {
        let progress = UserProgress(
            id: UUID(), userID: UUID(), courseID: UUID(), lessonID: UUID(), completed: false, progressSeconds: 3,
            completedAt: nil, createdAt: Date(timeIntervalSince1970: 1_700_000_000), updatedAt: Date(timeIntervalSince1970: 1_700_000_000.125))
        var done = progress
        done.completed = true
        done.completedAt = Date(timeIntervalSince1970: 1_700_000_100)
        let response = SyncPushResponse(results: [
            MutationResult(id: UUID(), status: .applied, progress: progress),
            MutationResult(id: UUID(), status: .duplicate, progress: done,
                           awardedBadges: [UserBadge(id: UUID(), userID: progress.userID, badgeID: UUID(), earnedAt: Date(timeIntervalSince1970: 1_700_000_200))]),
            MutationResult(id: UUID(), status: .rejected, error: APIErrorBody(code: .lessonLocked, message: "Finish \"A\" first",
                                                                              details: .object(["requires_lesson_id": .string("x")]))),
            MutationResult(id: UUID(), status: MutationStatus(rawValue: "postponed")),
        ])
        #expect(try JSONWriter.encode(response) == LMSJSON.encode(response))
        for result in response.results { #expect(try JSONWriter.encode(result) == LMSJSON.encode(result)) }
    }

    @Test(arguments: [0, 7, -7, 10, 604_800, Int.max, Int.min])
    func integersAndBooleansAreWhatJSONEncoderWrites(_ number: Int) throws {
        struct Sample: Encodable { let n: Int; let yes: Bool; let no: Bool }
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("n", number)
        writer.field("no", false)
        writer.field("yes", true)
        writer.endObject()
        #expect(writer.data == (try LMSJSON.encode(Sample(n: number, yes: true, no: false))))
    }

    @Test func writesTheSameKeysAsJSONEncoder() throws {
        let response = CourseOutlineResponse(outline: T.outline(), owned: false)
        func keys(_ data: Data) throws -> Set<String> {
            var found = Set<String>()
            func walk(_ value: Any) {
                if let object = value as? [String: Any] {
                    for (key, inner) in object { found.insert(key); walk(inner) }
                } else if let array = value as? [Any] {
                    array.forEach(walk)
                }
            }
            walk(try JSONSerialization.jsonObject(with: data))
            return found
        }
        #expect(try keys(JSONWriter.encode(response)) == keys(LMSJSON.encode(response)))
    }
}
