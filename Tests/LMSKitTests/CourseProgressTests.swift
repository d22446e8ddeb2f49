import Foundation
import LMSKit
import Testing

@Suite("Course progress")
struct CourseProgressTests {
    private typealias T = TestData

    private func compute(
        _ rows: [UserProgress], outline: CourseOutline = TestData.outline(), isUnlocked: (Lesson) -> Bool = { _ in true }
    ) -> CourseProgress {
        CourseProgress.compute(outline: outline, progress: rows, isUnlocked: isUnlocked)
    }

    @Test func nothingDoneYet() {
        let progress = compute([])
        #expect(progress.courseID == T.courseID)
        #expect(progress.completedLessons == 0)
        #expect(progress.totalLessons == 5)
        #expect(progress.percent == 0)
        #expect(progress.fraction == 0)
        #expect(!progress.isComplete)
        #expect(progress.secondsRemaining == 2_160)
        #expect(progress.nextLesson?.id == T.intro.id)
        #expect(progress.resume == nil)
    }

    @Test func percentIsRoundedDown() {
        // Two of three lessons: 66 %, never 67.
        let outline = CourseOutline(
            course: T.course(),
            chapters: [
                ChapterOutline(chapter: T.chapter(T.chapterA, "A", position: 1), lessons: [T.intro, T.variables]),
                ChapterOutline(chapter: T.chapter(T.chapterC, "C", position: 2), lessons: [T.summary]),
            ])
        let progress = compute([T.progress(T.intro, completed: true), T.progress(T.summary, completed: true)], outline: outline)
        #expect(progress.completedLessons == 2)
        #expect(progress.totalLessons == 3)
        #expect(progress.percent == 66)
        #expect(abs(progress.fraction - 2.0 / 3.0) < 1e-12)
        #expect(!progress.isComplete)
    }

    @Test func everythingDone() {
        let rows = T.lessonsInStudyOrder.map { T.progress($0, completed: true) }
        let progress = compute(rows)
        #expect(progress.percent == 100)
        #expect(progress.isComplete)
        #expect(progress.secondsRemaining == 0)
        #expect(progress.nextLesson == nil)
        #expect(progress.chapters.allSatisfy { $0.isComplete })
    }

    @Test func chaptersInPositionOrderWithTheirOwnCounts() {
        let rows = [T.progress(T.intro, completed: true), T.progress(T.branches, seconds: 300)]
        let progress = compute(rows)
        #expect(progress.chapters.map(\.chapterID) == [T.chapterA, T.chapterB, T.chapterC])
        #expect(progress.chapters.map(\.title) == ["Getting started", "Control flow", "Wrap-up"])
        #expect(progress.chapters.map(\.completedLessons) == [1, 0, 0])
        #expect(progress.chapters.map(\.totalLessons) == [2, 2, 1])
        #expect(progress.chapters.map(\.percent) == [50, 0, 0])
        #expect(progress.chapters.map(\.fraction) == [0.5, 0, 0])
        // Variables 600 | If and switch 900 - 300 watched, Loops quiz 120 | Summary 240.
        #expect(progress.chapters.map(\.secondsRemaining) == [600, 720, 240])
        #expect(progress.secondsRemaining == 1_560)
    }

    @Test func secondsRemainingCountsPartialProgress() {
        let rows = [
            T.progress(T.intro, seconds: 120),  // 180 left
            T.progress(T.variables, seconds: 900),  // watched past the end: 0 left, not negative
            T.progress(T.branches, completed: true, seconds: 10),  // completed: nothing left
        ]
        #expect(compute(rows).secondsRemaining == 180 + 0 + 0 + 120 + 240)
    }

    @Test func nextLessonSkipsCompletedAndLockedLessons() {
        let rows = [T.progress(T.intro, completed: true)]
        #expect(compute(rows).nextLesson?.id == T.variables.id)
        let skipVariables = compute(rows) { $0.id != T.variables.id }
        #expect(skipVariables.nextLesson?.id == T.branches.id)
        #expect(compute(rows) { _ in false }.nextLesson == nil)
    }

    @Test func nextLessonWithTheAccessRule() {
        let outline = T.outline()
        let stranger = T.learner()
        func next(_ rows: [UserProgress]) -> Lesson? {
            compute(rows, outline: outline) { LessonAccess.decide(lesson: $0, in: outline, for: stranger).isGranted }
                .nextLesson
        }
        #expect(next([])?.id == T.intro.id)  // the free preview
        #expect(next([T.progress(T.intro, completed: true)]) == nil)  // everything else needs buying
    }

    @Test func resumeIsTheLatestTouchedLesson() throws {
        let rows = [
            T.progress(T.intro, completed: true, updatedAt: T.at(days: -2)),
            T.progress(T.branches, seconds: 300, updatedAt: T.at(hours: -1)),
            T.progress(T.summary, seconds: 30, updatedAt: T.at(days: -1)),
        ]
        let resume = try #require(compute(rows).resume)
        #expect(resume.lesson.id == T.branches.id)
        #expect(resume.progressSeconds == 300)
        #expect(!resume.completed)
        #expect(resume.touchedAt == T.at(hours: -1))
    }

    @Test func resumeTieGoesToTheEarlierLessonInStudyOrder() throws {
        let rows = [T.progress(T.summary, updatedAt: T.now), T.progress(T.variables, updatedAt: T.now)]
        #expect(try #require(compute(rows).resume).lesson.id == T.variables.id)
    }

    @Test func rowsFromAnotherCourseAreIgnored() throws {
        let elsewhere = T.lesson(T.id(0x99), "Elsewhere", chapter: T.id(0x98), position: 1, duration: 500)
        let rows = [
            T.progress(T.intro, completed: true, updatedAt: T.at(days: -1)),
            T.progress(elsewhere, course: T.otherCourseID, completed: true, updatedAt: T.now),
        ]
        let progress = compute(rows)
        #expect(progress.completedLessons == 1)
        #expect(progress.secondsRemaining == 2_160 - 300)
        #expect(try #require(progress.resume).lesson.id == T.intro.id)
    }

    @Test func duplicateRowsForOneLessonAreMerged() throws {
        let rows = [
            T.progress(T.variables, seconds: 500, updatedAt: T.at(hours: -1)),
            T.progress(T.variables, completed: true, seconds: 200, updatedAt: T.at(hours: -3)),
            T.progress(T.intro, seconds: 10, updatedAt: T.at(hours: -2)),
        ]
        let progress = compute(rows)
        #expect(progress.completedLessons == 1)
        #expect(progress.chapters[0].completedLessons == 1)
        let resume = try #require(progress.resume)
        #expect(resume.lesson.id == T.variables.id)
        #expect(resume.completed)
        #expect(resume.progressSeconds == 500)
        #expect(resume.touchedAt == T.at(hours: -1))
    }

    @Test func emptyCourseIsNotComplete() {
        let empty = compute([], outline: CourseOutline(course: T.course(lessonsCount: 0), chapters: []))
        #expect(empty.totalLessons == 0)
        #expect(empty.percent == 0)
        #expect(empty.fraction == 0)
        #expect(!empty.isComplete)
        #expect(empty.nextLesson == nil)
        #expect(empty.chapters.isEmpty)

        let emptyChapter = compute(
            [], outline: CourseOutline(
                course: T.course(),
                chapters: [ChapterOutline(chapter: T.chapter(T.chapterA, "Soon", position: 1), lessons: [])]))
        #expect(emptyChapter.chapters.count == 1)
        #expect(emptyChapter.chapters[0].percent == 0)
        #expect(!emptyChapter.chapters[0].isComplete)
        #expect(!emptyChapter.isComplete)
    }

    @Test(arguments: [
        (-5, "0s"), (0, "0s"), (45, "45s"), (59, "59s"), (60, "1m"), (89, "1m"), (90, "2m"), (720, "12m"),
        (3_569, "59m"), (3_570, "1h 00m"), (3_900, "1h 05m"), (2_160, "36m"), (7_200 + 25 * 60, "2h 25m"),
        (36_000, "10h 00m"),
    ])
    func durationText(seconds: Int, expected: String) {
        #expect(DurationText.format(seconds: seconds) == expected)
    }
}
