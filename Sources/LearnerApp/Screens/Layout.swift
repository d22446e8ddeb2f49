import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// The app's geometry, in one place: screens draw in `content`, keys page by `pageRows`.
public enum Layout {
    public static let minimumWidth = 40
    public static let minimumHeight = 10

    /// Whether the terminal is big enough to draw screens at all.
    static func fits(_ state: AppState) -> Bool { state.width >= minimumWidth && state.height >= minimumHeight }

    /// Below the header and above the status line, one column in from each side.
    static func content(in area: Rect) -> Rect {
        let (_, rest) = area.splitTop(1)
        let (_, body) = rest.splitBottom(1)
        return body.inset(horizontal: 1, vertical: 0)
    }

    static func content(_ state: AppState) -> Rect { content(in: Rect(x: 0, y: 0, width: state.width, height: state.height)) }

    /// How many rows PgUp and PgDn move: the content less a title and a blank line.
    static func pageRows(_ state: AppState) -> Int { max(1, content(state).height - 2) }

    /// How far the page of the current screen scrolls (lesson text, help, instructor preview), so
    /// that j/PgDn stop at the last line instead of scrolling into emptiness.
    static func scrollLimit(_ state: AppState) -> Int {
        switch state.route {
        case .lesson(let course, let lesson): LessonScreen.scrollLimit(state, course: course, lesson: lesson)
        case .help: HelpScreen.scrollLimit(state)
        case .preview(let slug): PreviewScreen.scrollLimit(state, slug: slug)
        default: 0
        }
    }
}

/// Draws the whole frame for the current state. Pure: state in, cells out.
public enum Screen {
    public static func render(_ state: AppState, into buffer: inout Buffer) {
        let area = buffer.area
        let theme = state.theme
        buffer.fill(area, with: background(state))
        guard area.width >= Layout.minimumWidth, area.height >= Layout.minimumHeight else {
            let lines = ["Terminal too small", "(\(area.width)×\(area.height), needs \(Layout.minimumWidth)×\(Layout.minimumHeight))", "q: quit"]
            for (index, line) in lines.enumerated() where index < area.height {
                let text = DisplayWidth.truncate(line, to: area.width)
                buffer.write(text, x: max(0, (area.width - DisplayWidth.of(text)) / 2), y: max(0, area.height / 2 - 1) + index, style: theme.style("warning"))
            }
            return
        }
        let (header, rest) = area.splitTop(1)
        let (footer, _) = rest.splitBottom(1)
        renderHeader(state, header, &buffer)
        let content = Layout.content(in: area)
        switch state.route {
        case .home: HomeScreen.render(state, content, &buffer)
        case .catalog: CatalogScreen.render(state, content, &buffer)
        case .course(let id): CourseScreen.render(state, id, content, &buffer)
        case .lesson(let course, let lesson): LessonScreen.render(state, course, lesson, content, &buffer)
        case .quiz: QuizScreen.render(state, content, &buffer)
        case .progress: ProgressScreen.render(state, content, &buffer)
        case .badges: BadgesScreen.render(state, content, &buffer)
        case .preview(let slug): PreviewScreen.render(state, slug, content, &buffer)
        case .help: HelpScreen.render(state, content, &buffer)
        case .themes: ThemeScreen.render(state, content, &buffer)
        }
        renderStatus(state, footer, &buffer)
    }

    /// The cell every frame starts from.
    public static func background(_ state: AppState) -> Cell {
        Cell(" ", style: screenBackground(state.theme, monochrome: state.monochrome))
    }

    /// `ui.background`, without its background colour on a terminal without colour: there a
    /// background becomes reverse video, which must mark highlights, not the whole screen.
    public static func screenBackground(_ theme: Theme, monochrome: Bool) -> Style {
        var style = theme.style("ui.background")
        if monochrome { style.background = nil }
        return style
    }

    static func title(of route: Route, _ state: AppState) -> String {
        switch route {
        case .home: "Home"
        case .catalog: "Catalog"
        case .course(let id): state.courses[id]?.course.title ?? state.library?.index.courses.first { $0.id == id }?.title ?? "Course"
        case .lesson(let course, let lesson): state.courses[course]?.lessons.first { $0.id == lesson }?.title ?? "Lesson"
        case .quiz: "Quiz"
        case .progress: "Progress"
        case .badges: "Badges"
        case .preview: "Instructor preview"
        case .help: "Help"
        case .themes: "Themes"
        }
    }

    static func renderHeader(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        buffer.fill(area, with: Cell(" ", style: theme.style("ui.statusbar")))
        let separator = state.unicode ? " › " : " > "
        let crumbs = state.stack.suffix(3).map { title(of: $0, state) }.joined(separator: separator)
        let right = state.user.map { "\($0.firstName) · \($0.role.rawValue) " } ?? ""
        let rightWidth = min(DisplayWidth.of(right), area.width / 3)
        buffer.write(DisplayWidth.truncate(right, to: rightWidth), x: area.right - rightWidth, y: area.y, style: theme.style("ui.statusbar"))
        buffer.write(" lms" + separator + crumbs, x: area.x, y: area.y, maxWidth: area.width - rightWidth - 1, style: theme.style("ui.statusbar").bold())
    }

    static func renderStatus(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        let pending = state.library?.snapshot.pendingCount ?? 0
        let rejected = state.library?.snapshot.rejected.count ?? 0
        var right: [Span] = []
        if state.sync.running {
            let detail: String = switch state.sync.phase {
            case .pushing(let sent, let total)?: "sending \(sent)/\(total)"
            case .pulling(let changes, _)?: "receiving \(changes)"
            default: "syncing"
            }
            right.append(Span(" ⟳ \(detail) ", style: theme.style("sync.pending")))
        } else {
            switch state.sync.online {
            case true?: right.append(Span(" ● online ", style: theme.style("sync.online")))
            case false?: right.append(Span(" ○ offline ", style: theme.style("sync.offline")))
            case nil: break
            }
        }
        if pending > 0 { right.append(Span(" \(pending) pending ", style: theme.style("sync.pending"))) }
        if rejected > 0 { right.append(Span(" \(rejected) refused ", style: theme.style("error"))) }
        if let last = state.library?.index.lastSync {
            right.append(Span(" synced \(ISO8601.format(last).dropFirst(11).prefix(5)) UTC "))
        }
        if !state.unicode { right = right.map { Span($0.text.replacingOccurrences(of: "●", with: "*").replacingOccurrences(of: "○", with: "o").replacingOccurrences(of: "⟳", with: "~"), style: $0.style) } }
        let message = state.status.map { [Span(" " + $0.text, style: $0.isError ? theme.style("ui.statusbar.error") : Style())] }
            ?? [Span(" " + Layout.keyHints(state))]
        StatusBar(left: message, right: right, style: theme.style("ui.statusbar")).render(area, &buffer)
    }
}

extension Layout {
    /// The keys that work right now: while text is being typed, letters are text, not commands.
    static func keyHints(_ state: AppState) -> String {
        if state.filter != nil { return "type to filter  Enter keep  \(state.glyph("↑↓", "up/down")) choose  Esc clear" }
        if case .quiz = state.route, let quiz = state.quiz, case .answering = quiz.phase, quiz.current?.type == .shortAnswer {
            return "type your answer  Enter next  \(state.glyph("←", "left")) previous  Esc leave the quiz"
        }
        return "? help  n next  s sync  t theme  q back"
    }
}

extension AppState {
    func glyph(_ unicode: String, _ ascii: String) -> String { self.unicode ? unicode : ascii }

    func lessonGlyph(_ type: LessonType) -> String {
        switch type {
        case .video: glyph("▶", ">")
        case .text: glyph("≡", "=")
        case .quiz: glyph("?", "?")
        case .other: "·"
        }
    }

    func priceLabel(_ course: Course) -> Span {
        guard let library else { return Span("") }
        return priceLabel(course, ownership: library.ownership(of: course))
    }

    func priceLabel(_ course: Course, ownership: AccessGrant?) -> Span {
        guard library != nil else { return Span("") }
        switch ownership {
        case .purchased?, .tenantLicence?: return Span(glyph("✓ owned", "owned"), style: theme.style("owned"))
        default: break
        }
        if course.isFree { return Span("free", style: theme.style("free")) }
        return Span(course.currency.display(course.price), style: theme.style("price"))
    }
}
