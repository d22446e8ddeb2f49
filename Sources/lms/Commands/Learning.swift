import ArgumentParser
import Foundation
import LMSClient
import LMSKit

struct Next: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the lesson to study next.")

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await runReporting(json: json) {
            let (_, library, _) = try await openLibrary()
            guard let (course, lesson) = library.nextLesson() else {
                if json { return try Output.printJSON([String: String]()) }
                print("Nothing to study next: every course you take is complete, or none is cached ('lms sync').")
                return
            }
            if json { return try Output.printJSON(NextLesson(course: course, lesson: lesson)) }
            print("\(Output.current.bold(lesson.title)) (\(lesson.type.rawValue), \(DurationText.format(seconds: lesson.duration)))")
            // A quiz completes by passing it, which is done in the app.
            let how = lesson.type == .quiz ? "take it in the app: lms" : "lms complete \(lesson.id.uuidString.lowercased())"
            print("in \(course.title) · \(how)")
        }
    }
}

struct NextLesson: Encodable {
    let course: Course
    let lesson: Lesson
}

struct Complete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark a lesson complete. Works offline: the change is kept and sent on the next sync.")

    @Argument(help: "The lesson's id, or a unique part of its title.")
    var lesson: String

    @Flag(help: "Only record it locally; do not try to sync now.")
    var offline = false

    func run() async throws {
        try await runReporting {
            let (session, library, _) = try await openLibrary(sendingPending: !offline, patience: .interactive)
            guard let (file, found) = library.findLesson(lesson) else {
                throw CommandFailure(message: "No single cached lesson matches '\(lesson)'; use its id (see 'lms course SLUG --json')", code: Exit.refused)
            }
            if let reason = LessonAccess.decide(lesson: found, in: file.outline, for: library.learner()).lockReason {
                throw CommandFailure(message: "'\(found.title)' is locked: \(reason.description)", code: Exit.refused)
            }
            if found.type == .quiz {
                throw CommandFailure(message: "'\(found.title)' is a quiz: it completes when you pass it (in the lms app)", code: Exit.refused)
            }
            let now = Date()
            try OutboxWriter(store: session.store).enqueue(
                .progressUpsert(ProgressUpsert(lessonID: found.id, progressSeconds: found.duration, completed: true, completedAt: now)), at: now)
            print("Completed '\(found.title)'.")
            guard !offline else { return print("Saved; it will be sent on the next 'lms sync'.") }
            switch try await session.syncIfReachable() {
            case .offline(let why):
                print("Saved offline (\(why)); it will be sent when the server answers again.")
            case .done(let report):
                if let rejected = report.newlyRejected.first {
                    throw CommandFailure(message: "The server refused it: \(rejected.rejection?.message ?? "no reason given")", code: Exit.refused)
                }
                let names = try badgeNames(report, session)
                if !names.isEmpty { print("New \(names.count == 1 ? "badge" : "badges"): \(names.joined(separator: ", ")). See 'lms badges'.") }
            }
        }
    }
}

struct ProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "progress", abstract: "Progress in each course you take.")

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await runReporting(json: json) {
            let (_, library, _) = try await openLibrary()
            var reports: [CourseProgressReport] = []
            for course in library.myCourses {
                guard let file = library.courseFile(course.id) else { continue }
                let progress = library.progress(in: file)
                let quizzes = library.quizSummary(in: file)
                reports.append(CourseProgressReport(
                    slug: course.slug, title: course.title, completedLessons: progress.completedLessons,
                    totalLessons: progress.totalLessons, percent: progress.percent, secondsRemaining: progress.secondsRemaining,
                    quizzes: quizzes,
                    chapters: progress.chapters.map { .init(title: $0.title, completedLessons: $0.completedLessons, totalLessons: $0.totalLessons) }))
            }
            if json { return try Output.printJSON(reports) }
            let output = Output.current
            if reports.isEmpty { print("No progress yet: start a course ('lms next').") }
            for report in reports {
                print("\(output.bold(report.title))  \(output.bar(Double(report.percent) / 100)) \(report.percent)% · \(report.completedLessons)/\(report.totalLessons) lessons · \(Words.left(seconds: report.secondsRemaining))" + (report.quizzes.map { " · " + $0.text } ?? ""))
                for chapter in report.chapters {
                    let fraction = chapter.totalLessons == 0 ? 0 : Double(chapter.completedLessons) / Double(chapter.totalLessons)
                    print("  \(output.bar(fraction, width: 10)) \(chapter.completedLessons)/\(chapter.totalLessons)  \(chapter.title)")
                }
            }
        }
    }
}

struct CourseProgressReport: Encodable {
    struct Chapter: Encodable {
        let title: String
        let completedLessons: Int
        let totalLessons: Int
        enum CodingKeys: String, CodingKey {
            case title
            case completedLessons = "completed_lessons"
            case totalLessons = "total_lessons"
        }
    }

    let slug: String
    let title: String
    let completedLessons: Int
    let totalLessons: Int
    let percent: Int
    let secondsRemaining: Int
    let quizzes: QuizSummary?
    let chapters: [Chapter]

    enum CodingKeys: String, CodingKey {
        case slug, title
        case completedLessons = "completed_lessons"
        case totalLessons = "total_lessons"
        case percent
        case secondsRemaining = "seconds_remaining"
        case quizAverage = "quiz_average"
        case quizzesTaken = "quizzes_taken"
        case chapters
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slug, forKey: .slug)
        try container.encode(title, forKey: .title)
        try container.encode(completedLessons, forKey: .completedLessons)
        try container.encode(totalLessons, forKey: .totalLessons)
        try container.encode(percent, forKey: .percent)
        try container.encode(secondsRemaining, forKey: .secondsRemaining)
        // Each quiz's best score, averaged over the quizzes taken.
        try container.encode(quizzes?.averageOfBest, forKey: .quizAverage)
        try container.encode(quizzes?.taken ?? 0, forKey: .quizzesTaken)
        try container.encode(chapters, forKey: .chapters)
    }
}

struct Badges: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Badges earned, and progress toward the others.")

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await runReporting(json: json) {
            let (_, library, _) = try await openLibrary()
            var lessonCounts: [UUID: Int] = [:]
            var titles: [UUID: String] = [:]
            for course in library.index.courses {
                lessonCounts[course.id] = library.courseFile(course.id)?.lessons.count ?? course.lessonsCount
                titles[course.id] = course.title
            }
            let record = LearnerRecord(
                progress: library.snapshot.progress, quizResults: library.snapshot.quizResults, lessonCounts: lessonCounts, courseTitles: titles)
            let earned = Dictionary(library.snapshot.earned.map { ($0.badgeID, $0) }, uniquingKeysWith: { a, _ in a })
            let rows = library.snapshot.badges.map { badge -> BadgeRow in
                let evaluation = BadgeEvaluator.evaluate(badge.criteria, record: record)
                return BadgeRow(
                    badge: badge, earnedAt: earned[badge.id]?.earnedAt,
                    rules: evaluation.rules.map { .init(description: $0.description, current: $0.current, target: $0.target, met: $0.isMet) })
            }
            if json { return try Output.printJSON(rows) }
            let output = Output.current
            if rows.isEmpty { print("No badges cached yet: run 'lms sync'.") }
            for row in rows.sorted(by: { ($0.earnedAt == nil ? 1 : 0, $0.badge.name) < ($1.earnedAt == nil ? 1 : 0, $1.badge.name) }) {
                if let earnedAt = row.earnedAt {
                    print("\(output.green(output.done)) \(output.bold(row.badge.name)) — earned \(Words.day(earnedAt, timeZone: .current, locale: .current))")
                } else {
                    print("\(output.todo) \(row.badge.name)" + (row.badge.description.map { output.dim(" — \($0)") } ?? ""))
                    for rule in row.rules { print("    \(output.bar(Double(rule.current) / Double(max(1, rule.target)), width: 10)) \(rule.description)") }
                }
            }
        }
    }
}

struct BadgeRow: Encodable {
    struct Rule: Encodable {
        let description: String
        let current: Int
        let target: Int
        let met: Bool
    }

    let badge: Badge
    let earnedAt: Date?
    let rules: [Rule]

    enum CodingKeys: String, CodingKey {
        case badge
        case earnedAt = "earned_at"
        case rules
    }
}
