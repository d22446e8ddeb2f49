import Foundation
import LMSKit
import TerminalUI

/// How output looks: colour only on a terminal and never with NO_COLOR; JSON stable (sorted keys).
struct Output {
    let color: Bool
    let utf8: Bool

    static let current: Output = {
        let environment = ProcessInfo.processInfo.environment
        let tty = isatty(STDOUT_FILENO) == 1
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let locale = environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
        let utf8 = switch environment["LMS_GLYPHS"] {
        case "ascii": false
        case "unicode": true
        default: locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
        }
        return Output(color: tty && !noColor && environment["TERM"] != "dumb", utf8: utf8)
    }()

    func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { color ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func green(_ text: String) -> String { color ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { color ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func yellow(_ text: String) -> String { color ? "\u{1B}[33m\(text)\u{1B}[0m" : text }

    var done: String { utf8 ? "✓" : "[x]" }
    var partial: String { utf8 ? "◐" : "[~]" }
    var todo: String { utf8 ? "○" : "[ ]" }
    var locked: String { utf8 ? "🔒" : "[locked]" }

    /// `[#####-----] 50%`, ASCII so it survives any terminal.
    func bar(_ fraction: Double, width: Int = 20) -> String {
        let filled = Int((max(0, min(1, fraction)) * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        var data = try LMSJSON.encode(value, pretty: true)
        data.append(0x0A)
        // After any text `print` still holds in its buffer.
        fflush(nil)
        FileHandle.standardOutput.write(data)
    }
}

func glyph(for type: LessonType, output: Output) -> String {
    switch type {
    case .video: output.utf8 ? "▶" : ">"
    case .text: output.utf8 ? "≡" : "="
    case .quiz: output.utf8 ? "?" : "?"
    case .other: "·"
    }
}

/// Everything lms prints goes through here (it shadows `Swift.print` in this module): on a
/// terminal without Unicode (`LANG=C`) the text is spelled in ASCII. JSON output is data, in
/// UTF-8 always, and does not come this way.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(Output.current.utf8 ? text : ASCIIFallback.text(text), terminator: terminator)
}
