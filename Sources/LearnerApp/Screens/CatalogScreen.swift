import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// All published courses, filtered as you type, with owned / free / price markers.
enum CatalogScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String { "Catalog" }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        let courses = CatalogModel.courses(state)
        let (top, body) = area.splitTop(2)
        if let filter = state.filter {
            buffer.write("Filter: ", x: top.x, y: top.y, style: theme.style("ui.title"))
            filter.render(Rect(x: top.x + 8, y: top.y, width: max(0, min(40, top.width - 8)), height: 1), &buffer, style: theme.style("ui.input"), focused: true)
        } else {
            let filterNote = state.filterText.isEmpty ? "/ to filter" : "filter: \"\(state.filterText)\" (/ to change, Esc in filter clears)"
            buffer.write("\(Words.count(courses.count, "course")) · \(filterNote)", x: top.x, y: top.y, maxWidth: top.width, style: theme.style("ui.text.dim"))
        }
        var list = state.list(.catalog)
        let titleWidth = max(10, body.width - 34)
        let learner = state.library?.learner()
        let view = ListView(count: courses.count, selectedStyle: theme.style("ui.selection"), marker: state.glyph("▶ ", "> ")) { index in
            let course = courses[index]
            let ownership = learner.flatMap { LessonAccess.ownershipGrant(course: course, learner: $0) }
            return row(course, ownership: ownership, titleWidth: titleWidth, state)
        }
        view.render(body, &buffer, state: &list)
        if courses.isEmpty {
            buffer.write(state.library == nil ? "Loading…" : "No course matches. Esc clears the filter; s syncs.", x: body.x + 2, y: body.y, style: theme.style("ui.text.dim"))
        }
    }

    /// Title, price (or owned / free), lesson count and duration, in columns that line up.
    static func row(_ course: Course, ownership: AccessGrant?, titleWidth: Int, _ state: AppState) -> [Span] {
        let theme = state.theme
        // A draft's tag goes with its title, inside the title's column, so it is never cut.
        let tag = course.status == .published ? "" : " [\(course.status.rawValue)]"
        let title = DisplayWidth.truncate(course.title, to: max(1, titleWidth - DisplayWidth.of(tag)))
        let pad = Spaces.of(max(1, titleWidth - DisplayWidth.of(title) - DisplayWidth.of(tag) + 1))
        var spans = [Span(title), Span(tag, style: theme.style("warning")), Span(pad)]
        // Padded as the terminal will show it ("€49.00", or "EUR 49.00" in ASCII), so the
        // lesson counts after it line up too.
        let price = state.priceLabel(course, ownership: ownership)
        let shown = state.unicode ? price.text : ASCIIFallback.text(price.text)
        spans.append(Span(price.text + Spaces.of(max(0, (state.unicode ? 7 : 10) - DisplayWidth.of(shown))), style: price.style))
        spans.append(Span("  \(Words.count(course.lessonsCount, "lesson")) · \(DurationText.format(seconds: course.duration))", style: theme.style("ui.text.dim")))
        return spans
    }
}

// MARK: Keys

extension CatalogScreen {
    /// While a filter is typed, every key is the filter's.
    static func handle(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect]? {
        guard var filter = state.filter else { return nil }
        switch filterKeys.command(for: key) {
        case .keepFilter?:
            state.filterText = filter.value
            state.filter = nil
        case .clearFilter?:
            state.filter = nil
            state.filterText = ""
        case let leave? where leave == .leaveFilterUp || leave == .leaveFilterDown:
            state.filterText = filter.value
            state.filter = nil
            return App.move(leave == .leaveFilterUp ? .up : .down, &state)
        default:
            _ = filter.handle(key)
            state.filter = filter
        }
        CatalogModel.refreshSearch(&state)
        state.lists[.catalog] = ListState()
        return []
    }
}

extension CatalogScreen {
    static var modeKeys: [Keymap.Table] { [filterKeys] }

    static let keys: Keymap.Table? = Keymap.Table(context: "catalog", bindings: [Keymap.bind([.character("/")], .filter, "filter as you type")])

    static let filterKeys = Keymap.Table(context: "typing a filter", bindings: [
        Keymap.bind([.enter], .keepFilter, "keep the filter"),
        Keymap.bind([.escape], .clearFilter, "clear the filter"),
        Keymap.bind([.up], .leaveFilterUp, "keep it and move up"),
        Keymap.bind([.down], .leaveFilterDown, "keep it and move down"),
    ])
}

// MARK: Rows and Enter

extension CatalogScreen {
    static func rowCount(_ state: AppState) -> Int { CatalogModel.courses(state).count }

    static func activate(_ state: inout AppState) -> [Effect] {
        let courses = CatalogModel.courses(state)
        let selected = state.list(.catalog).selected
        guard courses.indices.contains(selected) else { return [] }
        return App.openCourse(courses[selected].id, &state)
    }
}
