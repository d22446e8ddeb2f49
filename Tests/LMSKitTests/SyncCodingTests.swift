import Foundation
import LMSKit
import Testing

@Suite("Sync coding")
struct SyncCodingTests {
    private typealias T = TestData
    private typealias S = SampleJSON
    private static let recordID = "5e000000-0000-4000-8000-000000000001"

    private func change(entity: String, op: String = "upsert", data: String?) throws -> SyncChange {
        let dataField = data.map { #", "data": \#($0)"# } ?? ""
        return try T.decode(
            SyncChange.self, #"{"entity": "\#(entity)", "id": "\#(Self.recordID)", "op": "\#(op)"\#(dataField)}"#)
    }

    // MARK: Changes

    @Test func upsertOfEachEntityDecodesToItsPayload() throws {
        let lessonContent = #"{"lesson": \#(S.lesson), "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d", "body": "Welcome to Swift"}"#
        let cases: [(entity: String, json: String, expected: SyncPayload)] = [
            ("course", S.course, .course(try T.decode(Course.self, S.course))),
            ("chapter", S.chapter, .chapter(try T.decode(Chapter.self, S.chapter))),
            ("lesson", S.lesson, .lesson(try T.decode(Lesson.self, S.lesson))),
            ("lesson_content", lessonContent, .lessonContent(try T.decode(LessonContent.self, lessonContent))),
            ("progress", S.userProgress, .progress(try T.decode(UserProgress.self, S.userProgress))),
            ("quiz_result", S.quizResult, .quizResult(try T.decode(QuizResult.self, S.quizResult))),
            ("badge", S.badge, .badge(try T.decode(Badge.self, S.badge))),
            ("user_badge", S.userBadge, .userBadge(try T.decode(UserBadge.self, S.userBadge))),
            ("purchase", S.purchase, .purchase(try T.decode(Purchase.self, S.purchase))),
        ]
        #expect(cases.count == SyncEntity.knownCases.count)
        for (entity, json, expected) in cases {
            let decoded = try change(entity: entity, data: json)
            #expect(decoded.entity.rawValue == entity)
            #expect(decoded.id == UUID(uuidString: Self.recordID))
            #expect(decoded.op == .upsert)
            #expect(decoded.data == expected, "\(entity)")
            #expect(decoded.data?.entity == decoded.entity)
            #expect(try T.roundTrip(decoded) == decoded, "\(entity)")
        }
    }

    @Test func lessonContentPayloadKeepsItsBody() throws {
        let json = #"{"lesson": \#(S.lesson), "course_id": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d", "body": "Welcome to Swift"}"#
        guard case .lessonContent(let content)? = try change(entity: "lesson_content", data: json).data else {
            Issue.record("not lesson content")
            return
        }
        #expect(content.lesson.title == "Intro")
        #expect(content.id == content.lesson.id)
        #expect(content.body == "Welcome to Swift")
        #expect(content.questions == nil)
    }

    @Test func upsertHelperSetsTheEntity() throws {
        let upsert = SyncChange.upsert(.lesson(T.intro), id: T.intro.id)
        #expect(upsert.entity == .lesson)
        #expect(upsert.op == .upsert)
        let json = try T.jsonValue(of: upsert)
        #expect(json["entity"] == .string("lesson"))
        #expect(json["op"] == .string("upsert"))
        #expect(json["data"]?["title"] == .string("Intro"))
    }

    @Test func tombstoneHasNoData() throws {
        let decoded = try change(entity: "course", op: "delete", data: nil)
        #expect(decoded.op == .delete)
        #expect(decoded.entity == .course)
        #expect(decoded.data == nil)
        // Data sent along with a delete is not applied.
        #expect(try change(entity: "course", op: "delete", data: S.course).data == nil)

        let tombstone = SyncChange.tombstone(.lesson, id: T.intro.id)
        #expect(tombstone.data == nil)
        #expect(try T.jsonValue(of: tombstone) == .object([
            "entity": .string("lesson"), "id": .string(T.intro.id.uuidString), "op": .string("delete"),
        ]))
        #expect(try T.roundTrip(tombstone) == tombstone)
    }

    @Test func upsertWithoutDataHasNoPayload() throws {
        #expect(try change(entity: "course", data: nil).data == nil)
    }

    @Test func unknownEntityKeepsItsData() throws {
        let data = #"{"title": "Hello", "votes": 3, "tags": ["a"], "answered": false, "parent": null}"#
        let decoded = try change(entity: "forum_post", data: data)
        #expect(decoded.entity == .other("forum_post"))
        #expect(decoded.data == .unknown(try T.jsonValue(data)))
        let json = try T.jsonValue(of: decoded)
        #expect(json["entity"] == .string("forum_post"))
        #expect(json["data"] == (try T.jsonValue(data)))
    }

    @Test func changesPageRoundTrip() throws {
        let page = SyncChangesPage(
            changes: [
                .upsert(.course(T.course()), id: T.courseID),
                .upsert(.progress(T.progress(T.intro, completed: true)), id: T.intro.id),
                .tombstone(.chapter, id: T.chapterC),
                SyncChange(entity: .other("forum_post"), id: T.id(0x77), op: .upsert, data: .unknown(.object(["n": .number(1)]))),
            ],
            cursor: "c_000123", hasMore: true)
        #expect(try T.roundTrip(page) == page)
        let json = try T.jsonValue(of: page)
        #expect(json["has_more"] == .bool(true))
        #expect(json["cursor"] == .string("c_000123"))

        let last = try T.decode(SyncChangesPage.self, #"{"changes": [], "cursor": "c_000124", "has_more": false}"#)
        #expect(last.changes.isEmpty)
        #expect(!last.hasMore)
    }

    // MARK: Mutations

    private static let mutationID = "6d000000-0000-4000-8000-000000000001"
    private static let lessonID = "1E550000-0000-4000-8000-000000000004"

    @Test func progressUpsertMutation() throws {
        let json = """
            {"id": "\(Self.mutationID)", "created_at": "2026-01-14T09:00:00Z", "type": "progress.upsert",
             "payload": {"lesson_id": "\(Self.lessonID)", "progress_seconds": 120, "completed": true,
                         "completed_at": "2026-01-14T08:59:00Z"}}
            """
        let mutation = try T.decode(SyncMutation.self, json)
        #expect(mutation.id == UUID(uuidString: Self.mutationID))
        #expect(mutation.createdAt == T.date("2026-01-14T09:00:00Z"))
        #expect(mutation.typeName == "progress.upsert")
        #expect(mutation.kind == .progressUpsert(ProgressUpsert(
            lessonID: UUID(uuidString: Self.lessonID)!, progressSeconds: 120, completed: true,
            completedAt: T.date("2026-01-14T08:59:00Z"))))
        #expect(try T.roundTrip(mutation) == mutation)
        #expect(try T.jsonValue(of: mutation)["type"] == .string("progress.upsert"))
    }

    @Test func progressUpsertFieldsDefault() throws {
        let upsert = try T.decode(ProgressUpsert.self, #"{"lesson_id": "\#(Self.lessonID)"}"#)
        #expect(upsert == ProgressUpsert(lessonID: UUID(uuidString: Self.lessonID)!))
        #expect(upsert.progressSeconds == 0)
        #expect(!upsert.completed)
        #expect(upsert.completedAt == nil)
    }

    @Test func quizSubmitMutation() throws {
        let json = """
            {"id": "\(Self.mutationID)", "created_at": "2026-01-14T09:00:00Z", "type": "quiz.submit",
             "payload": {"lesson_id": "\(Self.lessonID)",
                         "submission": {"client_attempt_id": "f0000000-0000-4000-8000-000000000009",
                                        "answers": [{"question_id": "90000000-0000-4000-8000-000000000001", "selected": ["b"]},
                                                    {"question_id": "90000000-0000-4000-8000-000000000004", "text": "POP"}],
                                        "completed_at": "2026-01-14T08:55:00Z"}}}
            """
        let mutation = try T.decode(SyncMutation.self, json)
        guard case .quizSubmit(let lessonID, let submission) = mutation.kind else {
            Issue.record("decoded as \(mutation.kind)")
            return
        }
        #expect(lessonID == UUID(uuidString: Self.lessonID))
        #expect(submission.clientAttemptID == UUID(uuidString: "f0000000-0000-4000-8000-000000000009"))
        #expect(submission.answers.map(\.selectedOptionIDs) == [["b"], []])
        #expect(submission.answers.map(\.text) == [nil, "POP"])
        #expect(submission.completedAt == T.date("2026-01-14T08:55:00Z"))
        #expect(mutation.typeName == "quiz.submit")
        #expect(try T.roundTrip(mutation) == mutation)
        let payload = try T.jsonValue(of: mutation)["payload"]
        #expect(payload?["lesson_id"] == .string(Self.lessonID))
        #expect(payload?["submission"]?["client_attempt_id"] == .string("F0000000-0000-4000-8000-000000000009"))
    }

    @Test func unknownMutationTypeIsKeptForResending() throws {
        let json = """
            {"id": "6D000000-0000-4000-8000-000000000001", "created_at": "2026-01-14T09:00:00Z", "type": "note.create",
             "payload": {"text": "Remember closures", "pinned": true, "lesson_id": "\(Self.lessonID)"}}
            """
        let mutation = try T.decode(SyncMutation.self, json)
        guard case .unknown(let type, let payload) = mutation.kind else {
            Issue.record("decoded as \(mutation.kind)")
            return
        }
        #expect(type == "note.create")
        #expect(payload["pinned"] == .bool(true))
        #expect(mutation.typeName == "note.create")
        #expect(try T.jsonValue(of: mutation) == T.jsonValue(json))
    }

    @Test func unknownMutationWithoutPayload() throws {
        let json = #"{"id": "\#(Self.mutationID)", "created_at": "2026-01-14T09:00:00Z", "type": "ping"}"#
        let mutation = try T.decode(SyncMutation.self, json)
        #expect(mutation.kind == .unknown(type: "ping", payload: .null))
        #expect(try T.roundTrip(mutation) == mutation)
    }

    @Test func pushRequestRoundTrip() throws {
        let request = SyncPushRequest(
            clientID: T.id(0xC1),
            mutations: [
                SyncMutation(id: T.id(0xD1), createdAt: T.now, kind: .progressUpsert(ProgressUpsert(lessonID: T.intro.id, progressSeconds: 30))),
                SyncMutation(
                    id: T.id(0xD2), createdAt: T.at(minutes: 5),
                    kind: .quizSubmit(lessonID: T.loopsQuiz.id, QuizSubmission(clientAttemptID: T.id(0xE1), answers: []))),
            ])
        #expect(try T.roundTrip(request) == request)
        #expect(try T.jsonValue(of: request)["client_id"] == .string(T.id(0xC1).uuidString))
    }

    // MARK: Results

    @Test func mutationResultWithoutAwardedBadges() throws {
        let json = #"{"id": "\#(Self.mutationID)", "status": "applied", "progress": \#(S.userProgress)}"#
        let result = try T.decode(MutationResult.self, json)
        #expect(result.status == .applied)
        #expect(result.awardedBadges.isEmpty)
        #expect(result.error == nil)
        #expect(result.quizResult == nil)
        #expect(result.progress?.progressSeconds == 287)
        #expect(try T.roundTrip(result) == result)
    }

    @Test func rejectedMutationCarriesTheError() throws {
        let json = """
            {"id": "\(Self.mutationID)", "status": "rejected",
             "error": {"code": "lesson_locked", "message": "Complete 'Intro' first"}, "awarded_badges": []}
            """
        let result = try T.decode(MutationResult.self, json)
        #expect(result.status == .rejected)
        #expect(result.error?.code == .lessonLocked)
        #expect(result.error?.message == "Complete 'Intro' first")
        #expect(result.error?.details == nil)
    }

    @Test func pushResponseWithBadgesAndQuizResult() throws {
        let json = """
            {"results": [{"id": "\(Self.mutationID)", "status": "duplicate", "quiz_result": \(S.quizResult),
                          "awarded_badges": [\(S.userBadge)]}]}
            """
        let response = try T.decode(SyncPushResponse.self, json)
        let result = try #require(response.results.first)
        #expect(result.status == .duplicate)
        #expect(result.quizResult?.score == 2)
        #expect(result.awardedBadges.map(\.badgeID) == [UUID(uuidString: "ba000000-0000-4000-8000-000000000001")])
        #expect(try T.roundTrip(response) == response)
    }

    // MARK: Outlines on the wire

    @Test func chapterOutlineIsFlat() throws {
        let outline = ChapterOutline(chapter: T.chapter(T.chapterA, "Getting started", position: 1), lessons: [T.intro])
        let json = try T.jsonValue(of: outline)
        guard case .object(let object) = json else {
            Issue.record("not an object: \(json)")
            return
        }
        #expect(Set(object.keys) == ["id", "course_id", "title", "position", "created_at", "updated_at", "lessons"])
        #expect(object["title"] == .string("Getting started"))
        #expect(object["lessons"]?.arrayCount == 1)
        #expect(try T.roundTrip(outline) == outline)
    }

    @Test func chapterOutlineDecodesFromFlatJSON() throws {
        let json = S.chapter.replacingOccurrences(of: #""position": 1,"#, with: #""position": 1, "lessons": [\#(S.lesson)],"#)
        let outline = try T.decode(ChapterOutline.self, json)
        #expect(outline.chapter.title == "Getting started")
        #expect(outline.id == outline.chapter.id)
        #expect(outline.lessons.map(\.title) == ["Intro"])
    }

    @Test func courseOutlineRoundTrip() throws {
        let outline = T.outline()
        let decoded = try T.roundTrip(outline)
        #expect(decoded == outline)
        #expect(decoded.orderedLessons.map(\.id) == T.lessonsInStudyOrder.map(\.id))
        let response = CourseOutlineResponse(outline: outline, owned: true)
        #expect(try T.roundTrip(response) == response)
    }
}

extension JSONValue {
    fileprivate var arrayCount: Int? {
        if case .array(let items) = self { return items.count }
        return nil
    }
}
