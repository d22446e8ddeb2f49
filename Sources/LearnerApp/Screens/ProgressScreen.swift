import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// Per course and per chapter bars, lessons done, quiz averages, time remaining.
enum ProgressScreen {
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
            let quizLessons = Set(file.lessons.filter { $0.type == .quiz }.map(\.id))
            let results = library.snapshot.quizResults.filter { quizLessons.contains($0.lessonID) }
            let average = results.isEmpty ? "no quiz taken" : "quizzes \(results.reduce(0) { $0 + $1.percent } / results.count)%"
            if y < area.bottom {
                ProgressBar(fraction: progress.fraction, label: "\(progress.percent)% · \(progress.completedLessons)/\(progress.totalLessons) · \(DurationText.format(seconds: progress.secondsRemaining)) left · \(average)",
                            filledStyle: theme.style("progress.done"), emptyStyle: theme.style("progress.todo"), unicode: state.unicode)
                    .render(Rect(x: area.x + 4, y: y, width: area.width - 4, height: 1), &buffer)
                y += 1
            }
            for chapter in progress.chapters where y < area.bottom {
                ProgressBar(fraction: chapter.fraction, label: "\(chapter.completedLessons)/\(chapter.totalLessons) \(chapter.title)",
                            filledStyle: theme.style("progress.done"), emptyStyle: theme.style("progress.todo"), unicode: state.unicode)
                    .render(Rect(x: area.x + 6, y: y, width: min(area.width - 6, 60), height: 1), &buffer)
                y += 1
            }
            y += 1
        }
    }
}

/// Earned badges with their date; locked ones with progress toward each rule.
enum BadgesScreen {
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
        var y = area.y
        // Keep the selected badge on screen: skip whole badges above it when needed.
        let start = max(0, min(list.selected, badges.count - 1) - max(0, (area.height / 3) - 1))
        for (index, badge) in badges.enumerated().dropFirst(start) where y < area.bottom {
            let selected = index == list.selected
            if let award = earned[badge.id] {
                buffer.write([Span(selected ? state.glyph("▶ ", "> ") : "  "), Span(state.glyph("★ ", "* "), style: theme.style("badge.earned")),
                              Span(badge.name, style: theme.style("badge.earned")), Span("  earned \(ISO8601.format(award.earnedAt).prefix(10))", style: theme.style("ui.text.dim"))],
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
                            filledStyle: theme.style("progress.done"), emptyStyle: theme.style("progress.todo"), unicode: state.unicode)
                    .render(Rect(x: area.x + 6, y: y, width: min(area.width - 6, 70), height: 1), &buffer)
                y += 1
            }
        }
    }
}

/// An instructor's view of a course: structure with drafts, counts, durations and counter drift.
enum PreviewScreen {
    static func render(_ state: AppState, _ slug: String, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard let outline = state.preview, outline.course.slug == slug else {
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

/// Generated from the keymap table.
enum HelpScreen {
    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        let scrolls = Screen.scrollLimit(state) > 0
        buffer.write(scrolls ? "Keys · j/k: scroll" : "Keys", x: area.x, y: area.y, style: theme.style("ui.title"))
        let keyWidth = min(18, area.width / 3)
        for (index, binding) in Keymap.helpLines(unicode: state.unicode).dropFirst(state.scroll).enumerated() where area.y + 2 + index < area.bottom {
            buffer.write(binding.keys, x: area.x, y: area.y + 2 + index, maxWidth: keyWidth, style: theme.style("ui.help.key"))
            buffer.write([Span(binding.action), Span("  (\(binding.context))", style: theme.style("ui.text.dim"))],
                         x: area.x + keyWidth + 1, y: area.y + 2 + index, maxWidth: area.width - keyWidth - 1)
        }
    }
}

/// The theme picker: moving previews a theme on the live screen behind.
enum ThemeScreen {
    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        buffer.write("Themes · ↑↓ preview · Enter keep · Esc cancel", x: area.x, y: area.y, maxWidth: area.width, style: theme.style("ui.title"))
        var list = state.list(.themes)
        ListView(count: state.themeNames.count, selectedStyle: theme.style("ui.selection"), marker: state.glyph("▶ ", "> ")) { index in
            [Span(state.themeNames[index])]
        }.render(Rect(x: area.x, y: area.y + 2, width: min(30, area.width), height: area.height - 2), &buffer, state: &list)
        // A sample of the theme's meanings, so the choice is made by what it shows.
        let sample = Rect(x: area.x + 32, y: area.y + 2, width: area.width - 32, height: area.height - 2)
        guard sample.width > 20 else { return }
        let rows: [(String, String)] = [
            ("ui.title", "Title"), ("ui.text", "Body text"), ("ui.text.dim", "Secondary text"), ("ui.selection", " Selected row "),
            ("progress.done", state.glyph("██████░░░░ progress", "######---- progress")), ("quiz.correct", state.glyph("✓ correct", "[right] correct")),
            ("quiz.incorrect", state.glyph("✗ incorrect", "[wrong] incorrect")), ("badge.earned", state.glyph("★ badge earned", "* badge earned")),
            ("lock", state.glyph("🔒 locked", "[L] locked")), ("price", "€29.00"), ("free", "free"), ("error", "An error"),
        ]
        for (index, row) in rows.enumerated() where index < sample.height {
            buffer.write(row.1, x: sample.x, y: sample.y + index, maxWidth: sample.width, style: theme.style(row.0))
        }
        if let warning = theme.warnings.first {
            buffer.write(warning, x: sample.x, y: sample.y + rows.count + 1, maxWidth: sample.width, style: theme.style("warning"))
        }
    }
}
