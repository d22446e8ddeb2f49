import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// The theme picker: moving previews a theme on the live screen behind.
enum ThemeScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String { "Themes" }

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

// MARK: Keys

extension ThemeScreen {
    /// Moving in the theme list previews the theme at once; Enter keeps it, Esc restores.
    static func handle(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect]? {
        let names = state.themeNames
        var list = state.list(.themes)
        switch themeKeys.command(for: key) {
        case let step? where [.up, .down, .first, .last].contains(step):
            _ = App.move(step, &state)
            list = state.list(.themes)
            return names.indices.contains(list.selected) ? [.loadTheme(names[list.selected])] : []
        case .keepTheme?:
            state.themeBeforePicker = nil
            state.stack.removeLast()
            guard names.indices.contains(list.selected) else { return [] }
            let name = names[list.selected]
            state.status = StatusMessage(text: "Theme '\(name)' saved", isError: false)
            // What is saved is what is shown, even if the selection was never previewed.
            return [.saveThemeChoice(name)] + (name == state.theme.name ? [] : [.loadTheme(name)])
        case .cancelTheme?:
            state.stack.removeLast()
            // Always restore: a preview asked for by a key typed just before may not have
            // arrived yet, so the theme shown now says nothing about the one still to come.
            guard let previous = state.themeBeforePicker else { return [] }
            state.themeBeforePicker = nil
            return [.loadTheme(previous)]
        default:
            return nil
        }
    }
}

extension ThemeScreen {
    static var modeKeys: [Keymap.Table] { [themeKeys] }

    static let themeKeys = Keymap.Table(context: "themes", bindings: [
        Keymap.bind([.up, .character("k")], .up, "preview the theme above"),
        Keymap.bind([.down, .character("j")], .down, "preview the theme below"),
        Keymap.bind([.home, .character("g")], .first, "preview the first theme"),
        Keymap.bind([.end, .character("G")], .last, "preview the last theme"),
        Keymap.bind([.enter], .keepTheme, "keep the theme"),
        Keymap.bind([.escape, .character("q")], .cancelTheme, "go back to the theme before"),
    ])
}

// MARK: Rows and Enter

extension ThemeScreen {
    static func rowCount(_ state: AppState) -> Int { state.themeNames.count }
}
