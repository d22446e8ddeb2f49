import Foundation
import LMSClient
import LMSKit
import TerminalUI

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
        state.route.screen.render(state, content, &buffer)
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

    static func renderHeader(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        buffer.fill(area, with: Cell(" ", style: theme.style("ui.statusbar")))
        let separator = state.unicode ? " › " : " > "
        let crumbs = state.stack.suffix(3).map { $0.screen.title($0, state) }.joined(separator: separator)
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
            right.append(Span(" synced \(Self.clock(last, in: state.timeZone)) "))
        }
        if !state.unicode { right = right.map { Span($0.text.replacingOccurrences(of: "●", with: "*").replacingOccurrences(of: "○", with: "o").replacingOccurrences(of: "⟳", with: "~"), style: $0.style) } }
        let message = state.status.map { [Span(" " + $0.text, style: $0.isError ? theme.style("ui.statusbar.error") : Style())] }
            ?? [Span(" " + Layout.keyHints(state))]
        StatusBar(left: message, right: right, style: theme.style("ui.statusbar")).render(area, &buffer)
    }

    /// "10:30" on the learner's clock; "09:30 UTC" when their clock is UTC, which a server
    /// often is and a learner seldom means. Arithmetic, not a DateFormatter: it runs every frame.
    static func clock(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let time = ISO8601.format(date.addingTimeInterval(Double(offset))).dropFirst(11).prefix(5)
        return offset == 0 && ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(zone.identifier) ? "\(time) UTC" : String(time)
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
