import ArgumentParser
import Foundation
import LMSClient
import LMSKit

struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Instructors: a course's structure with counts, durations, drafts and counter drift.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case tree, markdown, json
    }

    @Argument(help: "The course's slug.")
    var slug: String

    @Option(help: "tree, markdown or json.")
    var format: Format = .tree

    func run() async throws {
        try await runReporting {
            let session = try ClientSession.open()
            var notices = AccountStore.Notices()
            if let me = try session.store.index(notices: &notices).me?.user, me.role == .learner {
                throw CommandFailure(message: "The instructor preview is for instructors and admins; you are signed in as a learner (see 'lms course \(slug)')", code: Exit.refused)
            }
            let outline: InstructorOutline
            do {
                outline = try await session.api.instructorOutline(slug: slug)
            } catch ClientError.notFound {
                throw CommandFailure(message: "No course '\(slug)' that you teach (see 'lms courses --all')", code: Exit.refused)
            }
            switch format {
            case .json: try Output.printJSON(outline)
            case .tree: print(PreviewRenderer.tree(outline, output: Output.current))
            case .markdown: print(PreviewRenderer.markdown(outline))
            }
        }
    }
}

enum PreviewRenderer {
    static func tree(_ outline: InstructorOutline, output: Output) -> String {
        let s = outline.structure
        var lines = [
            "\(output.bold(outline.course.title)) [\(outline.course.status.rawValue)] — \(Words.count(s.chaptersCount, "chapter")), \(Words.count(s.lessonsCount, "lesson")), \(DurationText.format(seconds: s.duration))"
        ]
        for (index, chapter) in outline.chapters.enumerated() {
            let last = index == outline.chapters.count - 1
            let summary = s.chapters.first { $0.chapterID == chapter.chapter.id }
            lines.append("\(last ? "└─" : "├─") \(chapter.chapter.title) (\(Words.count(summary?.lessonsCount ?? 0, "lesson")), \(DurationText.format(seconds: summary?.duration ?? 0)))")
            for (lessonIndex, item) in chapter.lessons.enumerated() {
                let branch = lessonIndex == chapter.lessons.count - 1 ? "└─" : "├─"
                var line = "\(last ? "   " : "│  ")\(branch) \(glyph(for: item.lesson.type, output: output)) \(item.lesson.title) · \(DurationText.format(seconds: item.lesson.duration))"
                if item.lesson.isFree { line += " · free" }
                if !item.questions.isEmpty { line += " · \(item.questions.count) questions" }
                lines.append(line)
            }
        }
        lines.append(s.drift.isEmpty ? "Counters match the outline." : output.yellow("Drift: " + s.drift.map(\.description).joined(separator: "; ")))
        return lines.joined(separator: "\n")
    }

    static func markdown(_ outline: InstructorOutline) -> String {
        let s = outline.structure
        var lines = [
            "# \(outline.course.title)", "",
            "Status: **\(outline.course.status.rawValue)** · \(Words.count(s.chaptersCount, "chapter")) · \(Words.count(s.lessonsCount, "lesson")) · \(DurationText.format(seconds: s.duration))", "",
        ]
        for chapter in outline.chapters {
            lines.append("## \(chapter.chapter.title)")
            lines.append("")
            for item in chapter.lessons {
                var line = "- \(item.lesson.title) (\(item.lesson.type.rawValue), \(DurationText.format(seconds: item.lesson.duration)))"
                if item.lesson.isFree { line += " — free preview" }
                if !item.questions.isEmpty { line += " — \(item.questions.count) questions" }
                lines.append(line)
            }
            lines.append("")
        }
        if s.drift.isEmpty {
            lines.append("Counters match the outline.")
        } else {
            lines.append("## Drift")
            lines.append("")
            lines += s.drift.map { "- `\($0.field)`: stored \($0.stored), outline \($0.computed)" }
        }
        return lines.joined(separator: "\n")
    }
}
