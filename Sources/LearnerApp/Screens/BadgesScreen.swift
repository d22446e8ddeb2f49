import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// Earned badges with their date; locked ones with progress toward each rule.
enum BadgesScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String { "Badges" }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard let library = state.library else { return }
        var lessonCounts: [UUID: Int] = [:]
        var titles: [UUID: String] = [:]
        for course in library.index.courses {
            lessonCounts[course.id] = state.courses[course.id]?.lessons.count ?? course.lessonsCount
            titles[course.id] = course.title
        }
        let record = LearnerRecord(progress: library.snapshot.progress, quizResults: library.snapshot.quizResults, lessonCounts: lessonCounts, courseTitles: titles)
        let earned = Dictionary(library.snapshot.earned.map { ($0.badgeID, $0) }, uniquingKeysWith: { a, _ in a })
        let badges = library.snapshot.badges
        if badges.isEmpty {
            buffer.write("No badges downloaded yet: press s to sync.", x: area.x, y: area.y, style: theme.style("ui.text.dim"))
            return
        }
        var list = state.list(.badges)
        list.move(0, count: badges.count)
        // One bar width for every rule, so the bars line up whatever their labels.
        let barWidth = max(6, min(20, (area.width - 6) / 4))
        var y = area.y
        // Keep the selected badge on screen: skip whole badges above it when needed.
        let start = max(0, min(list.selected, badges.count - 1) - max(0, (area.height / 3) - 1))
        for (index, badge) in badges.enumerated().dropFirst(start) where y < area.bottom {
            let selected = index == list.selected
            if let award = earned[badge.id] {
                buffer.write([Span(selected ? state.glyph("▶ ", "> ") : "  "), Span(state.glyph("★ ", "* "), style: theme.style("badge.earned")),
                              Span(badge.name, style: theme.style("badge.earned")), Span("  earned \(Words.day(award.earnedAt, timeZone: state.timeZone, locale: state.locale))", style: theme.style("ui.text.dim"))],
                             x: area.x, y: y, maxWidth: area.width)
                y += 1
                continue
            }
            buffer.write([Span(selected ? state.glyph("▶ ", "> ") : "  "), Span(state.glyph("☆ ", "o "), style: theme.style("badge.locked")),
                          Span(badge.name), Span(badge.description.map { "  \($0)" } ?? "", style: theme.style("ui.text.dim"))],
                         x: area.x, y: y, maxWidth: area.width)
            y += 1
            for rule in BadgeEvaluator.evaluate(badge.criteria, record: record).rules where y < area.bottom {
                ProgressBar(fraction: rule.fraction, label: (rule.isMet ? state.glyph("✓ ", "[x] ") : "") + rule.description,
                            filledStyle: theme.style("progress.done"), emptyStyle: theme.style("progress.todo"), unicode: state.unicode, barWidth: barWidth)
                    .render(Rect(x: area.x + 6, y: y, width: area.width - 6, height: 1), &buffer)
                y += 1
            }
        }
    }
}

// MARK: Rows and Enter

extension BadgesScreen {
    static func rowCount(_ state: AppState) -> Int { state.library?.snapshot.badges.count ?? 0 }
}
