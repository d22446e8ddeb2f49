import TerminalUI

/// What a key asks for. `Keymap` says which key means which command where; `App.update`
/// performs the command. Help is drawn from the same tables, so it lists exactly what works.
public enum Command: Hashable, Sendable {
    // Lists and pages
    case up, down, pageUp, pageDown, first, last, open
    // Going places
    case quit, suspend, back, backOrQuit, help, catalog, progress, badges, themes, next, sync
    // One screen's own
    case filter, fold, preview, markComplete, play, buy, openCheckout
    // Typing a filter
    case keepFilter, clearFilter, leaveFilterUp, leaveFilterDown
    // Themes
    case keepTheme, cancelTheme
    // A quiz
    case optionUp, optionDown, choose, chooseAndNext, nextQuestion, previousQuestion, leaveQuiz, submit, reviewAnswers, closeResult
}

/// Every key binding, in tables by where they apply. Dispatch and the help screen both read them.
public enum Keymap {
    public struct Binding: Sendable {
        public let keys: [Key]
        public let command: Command
        public let action: String
    }

    /// Where a table applies; the help screen shows this as the context.
    public struct Table: Sendable {
        public let context: String
        public let bindings: [Binding]

        /// The command of `key` in this table, if it has one.
        public func command(for key: Key) -> Command? {
            bindings.first { $0.keys.contains(key) }?.command
        }
    }

    /// A binding, for the tables here and in the screens.
    static func bind(_ keys: [Key], _ command: Command, _ action: String) -> Binding {
        Binding(keys: keys, command: command, action: action)
    }

    static let moves = Table(context: "lists and pages", bindings: [
        bind([.up, .character("k")], .up, "up"),
        bind([.down, .character("j")], .down, "down"),
        bind([.pageUp], .pageUp, "page up"),
        bind([.pageDown], .pageDown, "page down"),
        bind([.home, .character("g")], .first, "first"),
        bind([.end, .character("G")], .last, "last"),
        bind([.enter, .character("l"), .right], .open, "open; on a lesson: play the video or start the quiz"),
    ])

    static let everywhere = Table(context: "everywhere", bindings: [
        bind([.character("q")], .backOrQuit, "back; on Home: quit"),
        bind([.escape, .character("h"), .left], .back, "back"),
        bind([.character("n")], .next, "next lesson, from anywhere"),
        bind([.character("s")], .sync, "sync now"),
        bind([.character("c")], .catalog, "catalog"),
        bind([.character("p")], .progress, "progress"),
        bind([.character("b")], .badges, "badges"),
        bind([.character("t")], .themes, "themes (live preview)"),
        bind([.character("?")], .help, "this help"),
    ])

    /// Before everything else, on any screen, even one too small to draw.
    static let interrupt = Table(context: "always", bindings: [
        bind([.ctrl("c")], .quit, "quit at once"),
        bind([.ctrl("z")], .suspend, "suspend to the shell ('fg' comes back)"),
    ])

    /// The tables in the order help lists them: the app's, then each screen's.
    public static let tables: [Table] = [moves, everywhere, interrupt] + Route.screens.flatMap { screen in
        (screen.keys.map { [$0] } ?? []) + screen.modeKeys
    }

    /// The command of `key` on `route` when the screen's `handle` did not take it: the screen's
    /// own keys, then moves and the keys that work everywhere.
    static func command(for key: Key, on route: Route) -> Command? {
        route.screen.keys?.command(for: key) ?? moves.command(for: key) ?? everywhere.command(for: key)
    }

    /// How help writes a key.
    static func label(_ key: Key, unicode: Bool) -> String {
        switch key {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .ctrl(let character): "Ctrl-\(character.uppercased())"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .delete: "Delete"
        case .up: unicode ? "↑" : "Up"
        case .down: unicode ? "↓" : "Down"
        case .left: unicode ? "←" : "Left"
        case .right: unicode ? "→" : "Right"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .function(let number): "F\(number)"
        }
    }

    /// Help's lines: keys, what they do, where.
    static func helpLines(unicode: Bool) -> [(keys: String, action: String, context: String)] {
        tables.flatMap { table in
            table.bindings.map { binding in
                (binding.keys.map { label($0, unicode: unicode) }.joined(separator: " "), binding.action, table.context)
            }
        }
    }
}
