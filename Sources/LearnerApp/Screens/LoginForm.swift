import Foundation
import TerminalUI

/// The sign-in form shown when no session exists: server, email, masked password.
public struct LoginForm: Sendable {
    public var fields: [TextInput]
    public var focus = 0
    public var error: String?
    public var busy = false

    public static let labels = ["Server", "Email", "Password"]

    public init(server: String) {
        fields = [TextInput(server), TextInput(), TextInput(masked: true)]
        focus = 1
    }

    public var server: String { fields[0].value }
    public var email: String { fields[1].value }
    public var password: String { fields[2].value }

    public enum Outcome: Equatable {
        case none, submit, cancel
    }

    /// Tab/↓/Enter move on, Enter on the password submits, Esc cancels.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape, .ctrl("c"): return .cancel
        case .tab, .down: focus = (focus + 1) % fields.count
        case .backTab, .up: focus = (focus + fields.count - 1) % fields.count
        case .enter:
            if focus == fields.count - 1 || (!email.isEmpty && !password.isEmpty) {
                guard !server.isEmpty, !email.isEmpty, !password.isEmpty else {
                    error = "Fill in the server, your email and your password"
                    return .none
                }
                return .submit
            }
            focus += 1
        default:
            _ = fields[focus].handle(key)
        }
        return .none
    }

    public func render(into buffer: inout Buffer, theme: Theme, unicode: Bool, monochrome: Bool = false) {
        let area = buffer.area
        buffer.fill(area, with: Cell(" ", style: Screen.screenBackground(theme, monochrome: monochrome)))
        let box = area.centered(width: 60, height: 12)
        let inner = Block(title: "Sign in to your LMS", style: theme.style("ui.border"), titleStyle: theme.style("ui.title"), unicode: unicode).render(box, &buffer)
        for (index, label) in Self.labels.enumerated() {
            let y = inner.y + 1 + index * 2
            buffer.write(label, x: inner.x + 1, y: y, style: index == focus ? theme.style("ui.title") : theme.style("ui.text"))
            fields[index].render(Rect(x: inner.x + 12, y: y, width: max(0, inner.width - 14), height: 1), &buffer, style: theme.style("ui.input"), focused: index == focus)
        }
        let message = busy ? "Signing in…" : error ?? "Tab: next field · Enter: sign in · Esc: quit"
        // Two lines at most, broken between words, the last one ending in … if it must.
        var lines = TextWrap.wrap(message, width: max(1, inner.width - 2))
        if lines.count > 2 { lines = [lines[0], DisplayWidth.truncate(lines[1...].joined(separator: " "), to: max(1, inner.width - 2))] }
        for (index, line) in lines.enumerated() {
            buffer.write(line, x: inner.x + 1, y: inner.bottom - lines.count + index, maxWidth: inner.width - 2,
                         style: error == nil ? theme.style("ui.text.dim") : theme.style("error"))
        }
    }
}
