import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// Chapters that fold, lessons with type, duration, done ✓, in progress ◐, locked 🔒 and why.
enum CourseScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String {
        guard case .course(let id) = route else { return "Course" }
        return state.courses[id]?.course.title ?? state.library?.index.courses.first { $0.id == id }?.title ?? "Course"
    }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard case .course(let courseID) = state.route, let library = state.library, let file = state.courses[courseID] else {
            buffer.write("Loading the outline…", x: area.x, y: area.y, style: theme.style("ui.text.dim"))
            return
        }
        let progress = library.progress(in: file)
        buffer.write(file.course.title, x: area.x, y: area.y, maxWidth: area.width, style: theme.style("ui.title"))
        let label = "\(progress.percent)% · \(progress.completedLessons)/\(progress.totalLessons) lessons · \(Words.left(seconds: progress.secondsRemaining))"
        ProgressBar(fraction: progress.fraction, label: label, filledStyle: theme.style("progress.done"), emptyStyle: theme.style("progress.todo"), unicode: state.unicode)
            .render(Rect(x: area.x, y: area.y + 1, width: min(area.width, 70), height: 1), &buffer)
        var header = [state.priceLabel(file.course)]
        if library.ownership(of: file.course) == .tenantLicence, let tenant = library.index.me?.tenant {
            header.append(Span("  · licensed by \(tenant.name), \(tenant.seatsUsed) of \(tenant.seatsPurchased) seats used", style: theme.style("ui.text.dim")))
        } else if let checkout = state.checkout, checkout.courseID == courseID {
            header.append(Span("  · pay at \(checkout.url)  (o opens it)", style: theme.style("ui.text.dim")))
        } else if LessonAccess.mayBuy(course: file.course, learner: library.learner()) {
            header.append(Span("  · b buys it and unlocks every lesson", style: theme.style("ui.text.dim")))
        }
        buffer.write(header, x: area.x, y: area.y + 2, maxWidth: area.width)
        let rows = CourseModel.rows(state, courseID: courseID)
        var list = state.list(.course(courseID))
        ListView(count: rows.count, selectedStyle: theme.style("ui.selection"), marker: state.glyph("▶ ", "> ")) { index in
            switch rows[index] {
            case .chapter(let chapter, let done, let total, let collapsed):
                return [Span(collapsed ? state.glyph("▸ ", "+ ") : state.glyph("▾ ", "- ")), Span(chapter.title, style: theme.style("ui.title")),
                        Span("  \(done)/\(total)", style: theme.style("ui.text.dim"))]
            case .lesson(let lesson, let lessonState):
                let (mark, markStyle): (String, Style) = switch lessonState {
                case .done: (state.glyph("✓", "[x]"), theme.style("lesson.done"))
                case .inProgress: (state.glyph("◐", "[~]"), theme.style("lesson.partial"))
                case .open: (state.glyph("○", "[ ]"), Style())
                case .locked: (state.glyph("🔒", "[L]"), theme.style("lock"))
                }
                // Marks are one column (✓ ◐ ○) or two (🔒): pad them so every title starts in the same column.
                let padded = mark + String(repeating: " ", count: max(0, (state.unicode ? 2 : 3) - DisplayWidth.of(mark)))
                var spans = [Span("   "), Span(padded, style: markStyle), Span(" \(state.lessonGlyph(lesson.type)) "), Span(lesson.title),
                             Span("  \(DurationText.format(seconds: lesson.duration))", style: theme.style("ui.text.dim"))]
                if lesson.isFree { spans.append(Span("  free", style: theme.style("free"))) }
                if case .locked(let reason) = lessonState { spans.append(Span("  \(reason)", style: theme.style("lock"))) }
                return spans
            }
        }.render(Rect(x: area.x, y: area.y + 4, width: area.width, height: area.height - 4), &buffer, state: &list)
    }
}

extension CourseScreen {
    static let keys: Keymap.Table? = Keymap.Table(context: "course", bindings: [
        Keymap.bind([.character(" ")], .fold, "fold / unfold chapter"),
        Keymap.bind([.character("i")], .preview, "instructor preview (instructors)"),
        Keymap.bind([.character("b")], .buy, "buy the course (when on sale; otherwise badges)"),
        Keymap.bind([.character("o")], .openCheckout, "open the course's payment page"),
    ])

    /// Buying: `b` on a course on sale starts a checkout; anywhere else it is still badges.
    static func handle(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect]? {
        guard case .course(let courseID) = state.route else { return nil }
        switch keys?.command(for: key) {
        case .buy?:
            guard let library = state.library, let course = state.courses[courseID]?.course ?? library.index.courses.first(where: { $0.id == courseID }),
                  LessonAccess.mayBuy(course: course, learner: library.learner())
            else { return nil }
            state.status = StatusMessage(text: "Starting the purchase of '\(course.title)'…", isError: false)
            return [.checkout(courseID: courseID)]
        case .openCheckout?:
            guard let checkout = state.checkout, checkout.courseID == courseID else {
                state.status = StatusMessage(text: "No payment page yet: b starts buying the course", isError: false)
                return []
            }
            return [.openPage(checkout.url)]
        default:
            return nil
        }
    }
}

// MARK: Rows and Enter

extension CourseScreen {
    static func rowCount(_ state: AppState) -> Int {
        guard case .course(let courseID) = state.route else { return 0 }
        return CourseModel.rows(state, courseID: courseID).count
    }

    /// Enter on a chapter folds it; on a lesson opens it, unless it is locked.
    static func activate(_ state: inout AppState) -> [Effect] {
        guard case .course(let courseID) = state.route else { return [] }
        let rows = CourseModel.rows(state, courseID: courseID)
        let selected = state.list(state.route).selected
        guard rows.indices.contains(selected) else { return [] }
        switch rows[selected] {
        case .chapter: return App.toggleChapter(&state)
        case .lesson(let lesson, let lessonState):
            if case .locked(let reason) = lessonState {
                state.status = StatusMessage(text: "Locked: \(reason)", isError: true)
                return []
            }
            return App.open(lesson: lesson, course: courseID, &state)
        }
    }
}
