import TerminalUI

/// Every key binding, in one table: the help screen is generated from it, so help never lies.
public enum Keymap {
    public struct Binding: Sendable {
        public let keys: String
        public let action: String
        public let context: String
    }

    public static let bindings: [Binding] = [
        Binding(keys: "↑ ↓ / k j", action: "move", context: "everywhere"),
        Binding(keys: "g G", action: "first / last", context: "lists"),
        Binding(keys: "PgUp PgDn", action: "page up / down", context: "lists"),
        Binding(keys: "Enter / l / →", action: "open", context: "lists"),
        Binding(keys: "Esc / q / h / ←", action: "back (q on Home quits)", context: "everywhere"),
        Binding(keys: "n", action: "next lesson, from anywhere", context: "everywhere"),
        Binding(keys: "s", action: "sync now", context: "everywhere"),
        Binding(keys: "c", action: "catalog", context: "everywhere"),
        Binding(keys: "p", action: "progress", context: "everywhere"),
        Binding(keys: "b", action: "badges", context: "everywhere"),
        Binding(keys: "t", action: "themes (live preview)", context: "everywhere"),
        Binding(keys: "?", action: "this help", context: "everywhere"),
        Binding(keys: "/", action: "filter as you type", context: "catalog"),
        Binding(keys: "Space", action: "fold / unfold chapter", context: "course"),
        Binding(keys: "i", action: "instructor preview", context: "course (instructors)"),
        Binding(keys: "o / Enter", action: "play the video", context: "video lesson"),
        Binding(keys: "m", action: "mark complete", context: "lesson"),
        Binding(keys: "Enter", action: "start the quiz", context: "quiz lesson"),
        Binding(keys: "Space", action: "choose / tick an answer", context: "quiz"),
        Binding(keys: "→ ←", action: "next / previous question", context: "quiz"),
        Binding(keys: "Enter", action: "next; on the review page: submit", context: "quiz"),
        Binding(keys: "Ctrl-C", action: "quit", context: "everywhere"),
    ]
}
