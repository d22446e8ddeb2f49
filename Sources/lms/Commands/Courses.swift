import ArgumentParser
import Foundation
import LMSClient
import LMSKit

struct Courses: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List your courses (with --all: the whole catalog).")

    @Flag(help: "List every course you can see, not only the ones you take.")
    var all = false

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await runReporting(json: json) {
            let (_, library, notices) = try await openLibrary()
            let courses = all ? library.index.courses : library.myCourses
            let rows = courses.map { course -> CourseRow in
                let progress = library.courseFile(course.id).map { library.progress(in: $0) }
                return CourseRow(
                    course: course, owned: library.ownership(of: course).map { $0 == .purchased || $0 == .tenantLicence } ?? false,
                    completedLessons: progress?.completedLessons ?? 0, totalLessons: progress?.totalLessons ?? course.lessonsCount)
            }
            if json { return try Output.printJSON(rows) }
            let output = Output.current
            if rows.isEmpty {
                print(all ? "No courses cached yet: run 'lms sync'." : "You are not taking any course yet. 'lms courses --all' lists the catalog.")
            }
            for row in rows {
                let marker = row.owned ? "owned" : row.course.isFree ? "free" : row.course.currency.display(row.course.price)
                let fraction = row.totalLessons == 0 ? 0 : Double(row.completedLessons) / Double(row.totalLessons)
                print("\(output.bar(fraction, width: 10)) \(String(format: "%3d%%", Int(fraction * 100)))  \(output.bold(row.course.title))  \(output.dim("\(row.course.slug) · \(marker)\(row.course.status == .published ? "" : " · \(row.course.status.rawValue)")"))")
            }
            for notice in notices.messages { printError(notice) }
        }
    }
}

struct CourseRow: Encodable {
    let course: Course
    let owned: Bool
    let completedLessons: Int
    let totalLessons: Int

    enum CodingKeys: String, CodingKey {
        case course, owned
        case completedLessons = "completed_lessons"
        case totalLessons = "total_lessons"
    }
}

struct CourseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "course", abstract: "Show a course's chapters and lessons.")

    @Argument(help: "The course's slug (or id, or part of its title).")
    var slug: String

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await runReporting(json: json) {
            let (_, library, _) = try await openLibrary()
            guard let course = library.findCourse(slug) else {
                throw CommandFailure(message: "No cached course matches '\(slug)'; run 'lms sync' or see 'lms courses --all'", code: Exit.refused)
            }
            guard let file = library.courseFile(course.id) else {
                throw CommandFailure(message: "The outline of '\(course.title)' is not cached yet; run 'lms sync'", code: Exit.refused)
            }
            let outline = file.outline
            let decisions = LessonAccess.decideAll(in: outline, for: library.learner())
            let byLesson = Dictionary(library.snapshot.progress(inCourse: course.id).map { ($0.lessonID, $0) }, uniquingKeysWith: { a, _ in a })
            if json {
                let lessons = decisions.map { lesson, decision in
                    LessonRow(lesson: lesson, completed: byLesson[lesson.id]?.completed ?? false,
                              progressSeconds: byLesson[lesson.id]?.progressSeconds ?? 0, lockedReason: decision.lockReason?.description)
                }
                return try Output.printJSON(CourseDetail(course: course, lessons: lessons))
            }
            let output = Output.current
            let progress = library.progress(in: file)
            print(output.bold(course.title))
            if let description = course.description { print(description) }
            print("\(output.bar(progress.fraction)) \(progress.percent)% · \(progress.completedLessons)/\(progress.totalLessons) lessons · \(Words.left(seconds: progress.secondsRemaining))")
            let decisionByID = Dictionary(decisions.map { ($0.0.id, $0.1) }, uniquingKeysWith: { a, _ in a })
            for chapter in outline.orderedChapters {
                print("\n" + output.bold(chapter.chapter.title))
                for lesson in chapter.lessons {
                    let row = byLesson[lesson.id]
                    let state = row?.completed == true ? output.green(output.done)
                        : (row?.progressSeconds ?? 0) > 0 ? output.yellow(output.partial)
                        : decisionByID[lesson.id]?.isGranted == false ? output.locked : output.todo
                    var line = "  \(state) \(glyph(for: lesson.type, output: output)) \(lesson.title)  \(output.dim(DurationText.format(seconds: lesson.duration)))"
                    if lesson.isFree { line += output.dim(" · free") }
                    if let reason = decisionByID[lesson.id]?.lockReason { line += output.dim(" · \(reason.description)") }
                    print(line)
                }
            }
        }
    }
}

struct LessonRow: Encodable {
    let lesson: Lesson
    let completed: Bool
    let progressSeconds: Int
    let lockedReason: String?

    enum CodingKeys: String, CodingKey {
        case lesson, completed
        case progressSeconds = "progress_seconds"
        case lockedReason = "locked_reason"
    }
}

struct CourseDetail: Encodable {
    let course: Course
    let lessons: [LessonRow]
}
