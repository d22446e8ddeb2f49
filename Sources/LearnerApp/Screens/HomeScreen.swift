import LMSClient
import LMSKit
import TerminalUI

/// Continue where you left off, my courses with progress bars, badges and sync at a glance.
enum HomeScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String { "Home" }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard let library = state.library else {
            buffer.write("Loading…", x: area.x, y: area.y, style: theme.style("ui.text.dim"))
            return
        }
        let earned = library.snapshot.earned.count
        let teaching = HomeModel.teaching(library)
        // Before the first sync has finished, "0 courses" would be wrong.
        let summary = library.index.cursor == nil && state.sync.running
            ? "Downloading your courses…"
            : (teaching.isEmpty ? "" : "Teaching \(Words.count(teaching.count, "course")) (Enter previews) · ")
                + "\(Words.count(library.myCourses.count, "course")) · \(earned)/\(library.snapshot.badges.count) badges"
        buffer.write("Welcome back, \(library.me?.firstName ?? "learner")", x: area.x, y: area.y, maxWidth: area.width, style: theme.style("ui.title"))
        buffer.write(summary, x: area.x, y: area.y + 1, maxWidth: area.width, style: theme.style("ui.text.dim"))
        let items = HomeModel.items(state)
        var list = state.list(.home)
        let barWidth = max(6, min(20, area.width / 5))
        ListView(count: items.count, selectedStyle: theme.style("ui.selection"), marker: state.glyph("▶ ", "> ")) { index in
            switch items[index] {
            case .resume(let course, let lesson):
                return [Span("Continue: ", style: theme.style("ui.title")), Span("\(lesson.title)"), Span("  \(course.title)", style: theme.style("ui.text.dim"))]
            case .teaching(let course):
                var spans = [Span("Teaching: ", style: theme.style("ui.title")), Span(course.title)]
                if course.status != .published { spans.append(Span(" [\(course.status.rawValue)]", style: theme.style("warning"))) }
                spans.append(Span("  \(Words.count(course.chaptersCount, "chapter")) · \(Words.count(course.lessonsCount, "lesson"))",
                                  style: theme.style("ui.text.dim")))
                return spans
            case .course(let course):
                let progress = state.courses[course.id].map { library.progress(in: $0) }
                let fraction = progress?.fraction ?? 0
                let filled = Int(fraction * Double(barWidth))
                let bar = state.unicode
                    ? String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
                    : "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
                return [Span(bar, style: theme.style("progress.done")), Span(" \(String(progress?.percent ?? 0).leftPadded(3))% "),
                        Span(course.title), Span("  "), state.priceLabel(course)]
            case .browse: return [Span("Browse the catalog (\(library.index.courses.count) courses)")]
            case .progress: return [Span("Progress")]
            case .badges: return [Span("Badges (\(earned) earned)")]
            }
        }.render(Rect(x: area.x, y: area.y + 3, width: area.width, height: area.height - 3), &buffer, state: &list)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

// MARK: Rows and Enter

extension HomeScreen {
    static func rowCount(_ state: AppState) -> Int { HomeModel.items(state).count }

    static func activate(_ state: inout AppState) -> [Effect] {
        let items = HomeModel.items(state)
        let selected = state.list(.home).selected
        guard items.indices.contains(selected) else { return [] }
        switch items[selected] {
        case .resume(let course, let lesson): return App.open(lesson: lesson, course: course.id, &state)
        case .teaching(let course): return App.openPreview(course, &state)
        case .course(let course): return App.openCourse(course.id, &state)
        case .browse: return App.push(.catalog, &state)
        case .progress: return App.push(.progress, &state)
        case .badges: return App.push(.badges, &state)
        }
    }
}
