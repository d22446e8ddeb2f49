import Foundation
import LMSKit
import PropertyBased
import Testing

@Suite("Progress merge")
struct ProgressMergeTests {
    private typealias T = TestData

    private static func row(
        id: Int, completed: Bool = false, seconds: Int = 0, completedAt: Date? = nil,
        createdAt: Date = TestData.at(days: -10), updatedAt: Date = TestData.now
    ) -> UserProgress {
        UserProgress(
            id: TestData.id(id), userID: TestData.learnerID, courseID: TestData.courseID, lessonID: TestData.intro.id,
            completed: completed, progressSeconds: seconds, completedAt: completedAt, createdAt: createdAt,
            updatedAt: updatedAt)
    }

    // MARK: Examples

    @Test func completionNeverGoesBackwards() {
        let done = Self.row(id: 1, completed: true, completedAt: T.at(days: -1))
        let stale = Self.row(id: 2, completed: false)
        #expect(ProgressMerge.merge(done, stale).completed)
        #expect(ProgressMerge.merge(stale, done).completed)
        #expect(!ProgressMerge.merge(stale, Self.row(id: 3)).completed)
    }

    @Test func watchedTimeNeverShrinks() {
        let merged = ProgressMerge.merge(Self.row(id: 1, seconds: 250), Self.row(id: 2, seconds: 40))
        #expect(merged.progressSeconds == 250)
        #expect(ProgressMerge.merge(Self.row(id: 1, seconds: 40), Self.row(id: 2, seconds: 250)).progressSeconds == 250)
    }

    @Test func earliestCompletionCounts() {
        let first = Self.row(id: 1, completed: true, completedAt: T.at(days: -3))
        let second = Self.row(id: 2, completed: true, completedAt: T.at(days: -1))
        #expect(ProgressMerge.merge(second, first).completedAt == T.at(days: -3))
        #expect(ProgressMerge.merge(first, second).completedAt == T.at(days: -3))
    }

    @Test func missingCompletionDateIsFilledFromTheOtherCopy() {
        let done = Self.row(id: 1, completed: true, completedAt: T.at(days: -2))
        let notDone = Self.row(id: 2)
        #expect(ProgressMerge.merge(notDone, done).completedAt == T.at(days: -2))
        #expect(ProgressMerge.merge(done, notDone).completedAt == T.at(days: -2))
        #expect(ProgressMerge.merge(notDone, Self.row(id: 3)).completedAt == nil)
    }

    @Test func timestampsSpanBothCopies() {
        let a = Self.row(id: 1, createdAt: T.at(days: -5), updatedAt: T.at(days: -1))
        let b = Self.row(id: 2, createdAt: T.at(days: -4), updatedAt: T.at(hours: -1))
        let merged = ProgressMerge.merge(a, b)
        #expect(merged.createdAt == T.at(days: -5))
        #expect(merged.updatedAt == T.at(hours: -1))
    }

    @Test func smallerIdWins() {
        let merged = ProgressMerge.merge(Self.row(id: 0xB), Self.row(id: 0xA))
        #expect(merged.id == T.id(0xA))
        #expect(ProgressMerge.merge(Self.row(id: 0xA), Self.row(id: 0xB)).id == T.id(0xA))
    }

    @Test func keepsTheRowIdentity() {
        let merged = ProgressMerge.merge(Self.row(id: 1), Self.row(id: 2, seconds: 5))
        #expect(merged.userID == T.learnerID)
        #expect(merged.courseID == T.courseID)
        #expect(merged.lessonID == T.intro.id)
    }

    // MARK: Properties

    /// Random copies of one (user, lesson) row: any id (few, so ids collide too), completion
    /// with or without a date, any watched time, and dates within a few days of each other.
    private static let rows = zip(
        Gen.int(in: 0...12),
        Gen.bool,
        Gen.int(in: 0...3_600),
        Gen.int(in: -432_000...432_000).optional,
        Gen.int(in: -864_000...0),
        Gen.int(in: -432_000...432_000)
    ).map { (values: (Int, Bool, Int, Int?, Int, Int)) -> UserProgress in
        let (id, completed, seconds, completedOffset, createdOffset, updatedOffset) = values
        return UserProgress(
            id: TestData.id(id), userID: TestData.learnerID, courseID: TestData.courseID, lessonID: TestData.intro.id,
            completed: completed, progressSeconds: seconds,
            completedAt: completedOffset.map { TestData.now.addingTimeInterval(TimeInterval($0)) },
            createdAt: TestData.now.addingTimeInterval(TimeInterval(createdOffset)),
            updatedAt: TestData.now.addingTimeInterval(TimeInterval(updatedOffset)))
    }

    @Test func commutative() async {
        await propertyCheck(count: 300, input: Self.rows, Self.rows) { a, b in
            #expect(ProgressMerge.merge(a, b) == ProgressMerge.merge(b, a))
        }
    }

    @Test func associative() async {
        await propertyCheck(count: 300, input: Self.rows, Self.rows, Self.rows) { a, b, c in
            #expect(ProgressMerge.merge(ProgressMerge.merge(a, b), c) == ProgressMerge.merge(a, ProgressMerge.merge(b, c)))
        }
    }

    @Test func idempotent() async {
        await propertyCheck(count: 300, input: Self.rows, Self.rows) { a, b in
            #expect(ProgressMerge.merge(a, a) == a)
            let ab = ProgressMerge.merge(a, b)
            #expect(ProgressMerge.merge(ab, b) == ab)
            #expect(ProgressMerge.merge(ab, a) == ab)
        }
    }

    @Test func mergedRowDominatesBothCopies() async {
        await propertyCheck(count: 300, input: Self.rows, Self.rows) { a, b in
            let merged = ProgressMerge.merge(a, b)
            #expect(merged.completed == (a.completed || b.completed))
            #expect(merged.progressSeconds == max(a.progressSeconds, b.progressSeconds))
            #expect(merged.updatedAt == max(a.updatedAt, b.updatedAt))
            #expect(merged.createdAt == min(a.createdAt, b.createdAt))
            let dates = [a.completedAt, b.completedAt].compactMap { $0 }
            #expect(merged.completedAt == dates.min())
            #expect([a.id, b.id].contains(merged.id))
        }
    }
}
