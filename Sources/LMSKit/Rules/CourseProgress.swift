import Foundation

/// Where a learner stands in one chapter.
public struct ChapterProgress: Hashable, Sendable {
    public var chapterID: UUID
    public var title: String
    public var completedLessons: Int
    public var totalLessons: Int
    public var secondsRemaining: Int

    public var fraction: Double { totalLessons == 0 ? 0 : Double(completedLessons) / Double(totalLessons) }
    public var percent: Int { totalLessons == 0 ? 0 : completedLessons * 100 / totalLessons }
    public var isComplete: Bool { totalLessons > 0 && completedLessons == totalLessons }
}

/// The last lesson a learner touched, and how far into it they were.
public struct ResumePoint: Hashable, Sendable {
    public var lesson: Lesson
    public var progressSeconds: Int
    public var completed: Bool
    public var touchedAt: Date
}

/// Where a learner stands in one course.
public struct CourseProgress: Hashable, Sendable {
    public var courseID: UUID
    public var completedLessons: Int
    public var totalLessons: Int
    public var secondsRemaining: Int
    public var chapters: [ChapterProgress]
    /// The first lesson in study order that is neither complete nor locked.
    public var nextLesson: Lesson?
    public var resume: ResumePoint?

    public var fraction: Double { totalLessons == 0 ? 0 : Double(completedLessons) / Double(totalLessons) }
    /// Whole percent, rounded down so 99.9 % never reads as done.
    public var percent: Int { totalLessons == 0 ? 0 : completedLessons * 100 / totalLessons }
    public var isComplete: Bool { totalLessons > 0 && completedLessons == totalLessons }

    /// - Parameters:
    ///   - progress: the learner's rows; rows for lessons outside this outline are ignored.
    ///   - isUnlocked: whether a lesson may be opened (`LessonAccess`); defaults to all open.
    public static func compute(
        outline: CourseOutline, progress: [UserProgress], isUnlocked: (Lesson) -> Bool = { _ in true }
    ) -> CourseProgress {
        var byLesson: [UUID: UserProgress] = [:]
        byLesson.reserveCapacity(progress.count)
        for row in progress {
            byLesson[row.lessonID] = byLesson[row.lessonID].map { ProgressMerge.merge($0, row) } ?? row
        }

        var chapters: [ChapterProgress] = []
        var next: Lesson?
        var resume: ResumePoint?
        var completed = 0
        var total = 0
        var remaining = 0
        for chapterOutline in outline.orderedChapters {
            var chapterDone = 0
            var chapterRemaining = 0
            for lesson in chapterOutline.lessons {
                let row = byLesson[lesson.id]
                if row?.completed == true {
                    chapterDone += 1
                } else {
                    chapterRemaining += max(0, lesson.duration - (row?.progressSeconds ?? 0))
                    if next == nil, isUnlocked(lesson) { next = lesson }
                }
                if let row, row.updatedAt > (resume?.touchedAt ?? .distantPast) {
                    resume = ResumePoint(
                        lesson: lesson, progressSeconds: row.progressSeconds, completed: row.completed,
                        touchedAt: row.updatedAt)
                }
            }
            chapters.append(
                ChapterProgress(
                    chapterID: chapterOutline.chapter.id, title: chapterOutline.chapter.title,
                    completedLessons: chapterDone, totalLessons: chapterOutline.lessons.count,
                    secondsRemaining: chapterRemaining))
            completed += chapterDone
            total += chapterOutline.lessons.count
            remaining += chapterRemaining
        }
        return CourseProgress(
            courseID: outline.course.id, completedLessons: completed, totalLessons: total,
            secondsRemaining: remaining, chapters: chapters, nextLesson: next, resume: resume)
    }
}

/// How the learner's record on one lesson merges with another copy of it (another device, the
/// server). Completion never goes backwards, watched time never shrinks, and the first time a
/// lesson was completed is the one that counts. The result does not depend on the order in which
/// copies arrive or on how often one is applied: commutative, associative and idempotent.
public enum ProgressMerge {
    public static func merge(_ a: UserProgress, _ b: UserProgress) -> UserProgress {
        var merged = a
        // Both copies describe the same (user, lesson) row; the smaller id wins so that every
        // replica converges on one id whatever the order.
        merged.id = b.id.precedes(a.id) ? b.id : a.id
        merged.completed = a.completed || b.completed
        merged.progressSeconds = max(a.progressSeconds, b.progressSeconds)
        merged.completedAt = earliest(a.completedAt, b.completedAt)
        merged.createdAt = min(a.createdAt, b.createdAt)
        merged.updatedAt = max(a.updatedAt, b.updatedAt)
        return merged
    }

    static func earliest(_ a: Date?, _ b: Date?) -> Date? {
        switch (a, b) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
    }
}

/// Seconds as a person reads a duration: "45s", "12m", "1h 05m".
public enum DurationText {
    public static func format(seconds: Int) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return "\(seconds)s" }
        let minutes = (seconds + 30) / 60
        if minutes < 60 { return "\(minutes)m" }
        let m = minutes % 60
        return "\(minutes / 60)h \(m < 10 ? "0" : "")\(m)m"
    }
}
