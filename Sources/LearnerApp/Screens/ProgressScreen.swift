import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// Per course and per chapter bars, lessons done, quiz averages, time remaining.
enum ProgressScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String { "Progress" }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard let library = state.library else { return }
        let courses = library.myCourses
        if courses.isEmpty {
            buffer.write("No course started yet: browse the catalog (c).", x: area.x, y: area.y, style: theme.style("ui.text.dim"))
            return
        }
        var list = state.list(.progress)
        list.move(0, count: courses.count)
        // One bar width for every course and chapter, so the bars line up.
        let barWidth = max(6, min(24, (area.width - 6) / 3))
        var y = area.y
        for (index, course) in courses.enumerated() where y < area.bottom {
            let selected = index == list.selected
            buffer.write((selected ? state.glyph("▶ ", "> ") : "  ") + course.title, x: area.x, y: y, maxWidth: area.width,
                         style: selected ? theme.style("ui.selection") : theme.style("ui.title"))
            y += 1
            guard let file = state.courses[course.id] else {
                buffer.write("    (outline not loaded yet)", x: area.x, y: y, style: theme.style("ui.text.dim"))
                y += 1
                continue
            }
            let progress = library.progress(in: file)
            let hasQuizzes = file.lessons.contains { $0.type == .quiz }
            let quizzes = library.quizSummary(in: file).map { " · " + $0.text } ?? (hasQuizzes ? " · no quiz taken" : "")
            if y < area.bottom {
                ProgressBar(fraction: progress.fraction, label: "\(progress.percent)% · \(progress.completedLessons)/\(progress.totalLessons) · \(Words.left(seconds: progress.secondsRemaining))\(quizzes)",
                            filledStyle: theme.style("progress.done"), emptyStyle: theme.style("progress.todo"), unicode: state.unicode, barWidth: barWidth)
                    .render(Rect(x: area.x + 4, y: y, width: area.width - 4, height: 1), &buffer)
                y += 1
            }
            for chapter in progress.chapters where y < area.bottom {
                ProgressBar(fraction: chapter.fraction, label: "\(chapter.completedLessons)/\(chapter.totalLessons) \(chapter.title)",
                            filledStyle: theme.style("progress.done"), emptyStyle: theme.style("progress.todo"), unicode: state.unicode, barWidth: barWidth)
                    .render(Rect(x: area.x + 4, y: y, width: area.width - 4, height: 1), &buffer)
                y += 1
            }
            y += 1
        }
    }
}

// MARK: Rows and Enter

extension ProgressScreen {
    static func rowCount(_ state: AppState) -> Int { state.library?.myCourses.count ?? 0 }

    static func activate(_ state: inout AppState) -> [Effect] {
        let courses = state.library?.myCourses ?? []
        let selected = state.list(.progress).selected
        guard courses.indices.contains(selected) else { return [] }
        return App.openCourse(courses[selected].id, &state)
    }
}
