import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// Generated from the keymap table.
enum HelpScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String { "Help" }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        let scrolls = (scrollLimit(state) ?? 0) > 0
        buffer.write(scrolls ? "Keys · j/k: scroll" : "Keys", x: area.x, y: area.y, style: theme.style("ui.title"))
        let keyWidth = min(18, area.width / 3)
        for (index, binding) in Keymap.helpLines(unicode: state.unicode).dropFirst(state.scroll).enumerated() where area.y + 2 + index < area.bottom {
            buffer.write(binding.keys, x: area.x, y: area.y + 2 + index, maxWidth: keyWidth, style: theme.style("ui.help.key"))
            buffer.write([Span(binding.action), Span("  (\(binding.context))", style: theme.style("ui.text.dim"))],
                         x: area.x + keyWidth + 1, y: area.y + 2 + index, maxWidth: area.width - keyWidth - 1)
        }
    }
}

extension HelpScreen {
    /// The title and a blank line stay above the bindings.
    static func scrollLimit(_ state: AppState) -> Int? {
        max(0, Keymap.helpLines(unicode: state.unicode).count - Layout.pageRows(state))
    }
}
