import Foundation
import LMSKit
import Testing

@Suite("Course structure")
struct CourseStructureTests {
    private typealias T = TestData

    @Test func countsAndDuration() {
        let structure = CourseStructure.summarize(T.outline())
        #expect(structure.courseID == T.courseID)
        #expect(structure.status == .published)
        #expect(structure.chaptersCount == 3)
        #expect(structure.lessonsCount == 5)
        #expect(structure.duration == 300 + 600 + 900 + 120 + 240)
        #expect(structure.freeLessons == 1)
    }

    @Test func lessonsByType() {
        let structure = CourseStructure.summarize(T.outline())
        #expect(structure.lessonsByType == ["video": 3, "text": 1, "quiz": 1])
        #expect(structure.chapters.map(\.lessonsByType) == [["video": 2], ["text": 1, "quiz": 1], ["video": 1]])
    }

    @Test func unknownLessonTypesAreCountedByName() {
        var outline = T.outline()
        outline.chapters[0].lessons.append(
            T.lesson(T.id(0x46), "Live session", chapter: T.chapterC, position: 2, type: .other("live"), duration: 3_600))
        let structure = CourseStructure.summarize(outline)
        #expect(structure.lessonsByType["live"] == 1)
        #expect(structure.lessonsCount == 6)
    }

    @Test func chaptersInPositionOrder() {
        let chapters = CourseStructure.summarize(T.outline()).chapters
        #expect(chapters.map(\.chapterID) == [T.chapterA, T.chapterB, T.chapterC])
        #expect(chapters.map(\.title) == ["Getting started", "Control flow", "Wrap-up"])
        #expect(chapters.map(\.position) == [1, 2, 3])
        #expect(chapters.map(\.lessonsCount) == [2, 2, 1])
        #expect(chapters.map(\.duration) == [900, 1_020, 240])
    }

    @Test func noDriftWhenCountersMatch() {
        let structure = CourseStructure.summarize(T.outline())
        #expect(structure.drift.isEmpty)
        #expect(!structure.hasDrift)
    }

    @Test func driftIsReportedPerField() {
        let stale = T.course(duration: 1_800, chaptersCount: 2, lessonsCount: 5)
        let structure = CourseStructure.summarize(T.outline(stale))
        #expect(structure.hasDrift)
        #expect(structure.drift.map(\.field) == ["chapters_count", "duration"])
        #expect(structure.drift.map(\.stored) == [2, 1_800])
        #expect(structure.drift.map(\.computed) == [3, 2_160])
        #expect(structure.drift.map(\.description) == [
            "chapters_count: stored 2, outline has 3", "duration: stored 1800, outline has 2160",
        ])
    }

    @Test func lessonsCountDrift() {
        let structure = CourseStructure.summarize(T.outline(T.course(lessonsCount: 7)))
        #expect(structure.drift.map(\.description) == ["lessons_count: stored 7, outline has 5"])
    }

    @Test func emptyCourse() {
        let structure = CourseStructure.summarize(CourseOutline(course: T.course(), chapters: []))
        #expect(structure.chaptersCount == 0)
        #expect(structure.lessonsCount == 0)
        #expect(structure.duration == 0)
        #expect(structure.lessonsByType.isEmpty)
        #expect(structure.drift.map(\.field) == ["chapters_count", "lessons_count", "duration"])
    }

    @Test func encodesSnakeCase() throws {
        let structure = CourseStructure.summarize(T.outline(T.course(lessonsCount: 4)))
        let json = try T.jsonValue(of: structure)
        #expect(json["free_lessons"] == .number(1))
        #expect(json["lessons_by_type"] == .object(["video": .number(3), "text": .number(1), "quiz": .number(1)]))
        #expect(json["drift"] == .array([.object(["field": .string("lessons_count"), "stored": .number(4), "computed": .number(5)])]))
        #expect(try T.roundTrip(structure) == structure)
    }

    @Test func outlineLookups() {
        let outline = T.outline()
        #expect(outline.orderedLessons.map(\.title) == ["Intro", "Variables", "If and switch", "Loops quiz", "Summary"])
        #expect(outline.lesson(T.loopsQuiz.id) == T.loopsQuiz)
        #expect(outline.lesson(T.id(0x99)) == nil)
        #expect(outline.chapter(containing: T.loopsQuiz.id)?.id == T.chapterB)
        #expect(outline.chapter(containing: T.id(0x99)) == nil)
    }

    @Test func equalPositionsAreOrderedById() {
        // Two lessons both at position 1: the smaller id comes first on every device.
        var twin = T.variables
        twin.position = 1
        let outline = CourseOutline(
            course: T.course(),
            chapters: [ChapterOutline(chapter: T.chapter(T.chapterA, "A", position: 1), lessons: [T.intro, twin])])
        #expect(outline.orderedLessons.map(\.id) == [T.variables.id, T.intro.id])  // 0x44 before 0x45
    }
}
