import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// An instructor's view of a course: structure with drafts, counts, durations and counter drift,
/// lesson texts, and quiz questions with their answer keys.
enum PreviewScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String { "Instructor preview" }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard case .preview(let slug) = state.route, let outline = state.preview, outline.course.slug == slug else {
            buffer.write("Loading the instructor outline…", x: area.x, y: area.y, style: theme.style("ui.text.dim"))
            return
        }
        let s = outline.structure
        buffer.write("\(outline.course.title) [\(outline.course.status.rawValue)]", x: area.x, y: area.y, maxWidth: area.width, style: theme.style("ui.title"))
        buffer.write("\(s.chaptersCount) chapters · \(s.lessonsCount) lessons · \(DurationText.format(seconds: s.duration)) · \(s.freeLessons) free",
                     x: area.x, y: area.y + 1, maxWidth: area.width, style: theme.style("ui.text.dim"))
        let driftText = s.drift.isEmpty ? "Counters match the outline" : "Drift: " + s.drift.map(\.description).joined(separator: "; ")
        buffer.write(driftText, x: area.x, y: area.y + 2, maxWidth: area.width, style: s.drift.isEmpty ? theme.style("progress.done") : theme.style("warning"))
        let rows = lines(state, outline)
        for (index, line) in rows.dropFirst(state.scroll).prefix(max(0, area.height - 4)).enumerated() {
            buffer.write(line, x: area.x, y: area.y + 4 + index, maxWidth: area.width)
        }
    }

    /// One line per chapter and per lesson, then each lesson's text and each quiz's questions
    /// with their answer keys (an instructor may see them), wrapped to the screen.
    static func lines(_ state: AppState, _ outline: InstructorOutline) -> [[Span]] {
        let theme = state.theme
        let s = outline.structure
        let width = max(20, Layout.content(state).width)
        let dim = theme.style("ui.text.dim")
        var lines: [[Span]] = []
        for chapter in outline.chapters {
            let summary = s.chapters.first { $0.chapterID == chapter.chapter.id }
            lines.append([Span(chapter.chapter.title, style: theme.style("ui.title")),
                          Span("  \(Words.count(summary?.lessonsCount ?? 0, "lesson")) · \(DurationText.format(seconds: summary?.duration ?? 0))", style: dim)])
            for item in chapter.lessons {
                var spans = [Span("  \(state.lessonGlyph(item.lesson.type)) \(item.lesson.title)"), Span("  \(DurationText.format(seconds: item.lesson.duration))", style: dim)]
                if item.lesson.isFree { spans.append(Span("  free", style: theme.style("free"))) }
                if !item.questions.isEmpty { spans.append(Span("  \(Words.count(item.questions.count, "question"))", style: dim)) }
                lines.append(spans)
                if let body = item.body, !body.isEmpty {
                    for line in TextWrap.wrap(body, width: width - 6) { lines.append([Span("      " + line, style: dim)]) }
                }
                let questions = item.questions.sorted { $0.position != $1.position ? $0.position < $1.position : $0.id.precedes($1.id) }
                for (number, question) in questions.enumerated() {
                    let head = "    \(number + 1). "
                    for (index, line) in TextWrap.wrap(question.question, width: width - head.count).enumerated() {
                        lines.append([Span(index == 0 ? head : String(repeating: " ", count: head.count)), Span(line),
                                      Span(index == 0 ? "  \(Words.count(question.points, "point"))" : "", style: dim)])
                    }
                    if question.type == .shortAnswer {
                        let accepted = question.options.map { "\"\($0.text)\"" }.joined(separator: ", ")
                        lines.append([Span("       accepted: ", style: dim), Span(accepted.isEmpty ? "(none set)" : accepted, style: theme.style("quiz.correct"))])
                        continue
                    }
                    for option in question.options {
                        lines.append(option.isCorrect
                            ? [Span("       " + state.glyph("✓ ", "[right] ") + option.text, style: theme.style("quiz.correct"))]
                            : [Span("       " + state.glyph("· ", "[ ]     ") + option.text)])
                    }
                }
            }
        }
        return lines
    }
}

extension PreviewScreen {
    static func scrollLimit(_ state: AppState) -> Int? {
        guard case .preview(let slug) = state.route, let outline = state.preview, outline.course.slug == slug else { return 0 }
        return max(0, lines(state, outline).count - (Layout.content(state).height - 4))
    }
}
