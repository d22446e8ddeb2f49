import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// An instructor's view of a course: structure with drafts, counts, durations and counter drift.
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

    /// One line per chapter and per lesson.
    static func lines(_ state: AppState, _ outline: InstructorOutline) -> [[Span]] {
        let theme = state.theme
        let s = outline.structure
        var lines: [[Span]] = []
        for chapter in outline.chapters {
            let summary = s.chapters.first { $0.chapterID == chapter.chapter.id }
            lines.append([Span(chapter.chapter.title, style: theme.style("ui.title")),
                          Span("  \(summary?.lessonsCount ?? 0) lessons · \(DurationText.format(seconds: summary?.duration ?? 0))", style: theme.style("ui.text.dim"))])
            for item in chapter.lessons {
                var spans = [Span("  \(state.lessonGlyph(item.lesson.type)) \(item.lesson.title)"), Span("  \(DurationText.format(seconds: item.lesson.duration))", style: theme.style("ui.text.dim"))]
                if item.lesson.isFree { spans.append(Span("  free", style: theme.style("free"))) }
                if !item.questions.isEmpty { spans.append(Span("  \(item.questions.count) questions", style: theme.style("ui.text.dim"))) }
                lines.append(spans)
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
