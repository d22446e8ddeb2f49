import Foundation
import TOMLKit

/// A colour theme in the style of helix: meaning-based keys (`ui.selection`, `quiz.correct`),
/// colours named in a `[palette]`, and `inherits` to start from another theme.
///
/// Lookup falls back along the key's dots (`ui.statusbar.error` → `ui.statusbar` → `ui`), then
/// to plain. Unknown keys and bad colours are reported as warnings, never fatal.
public struct Theme: Sendable, Equatable {
    public var name: String
    public private(set) var styles: [String: Style]
    public private(set) var warnings: [String]

    public init(name: String, styles: [String: Style], warnings: [String] = []) {
        self.name = name
        self.styles = styles
        self.warnings = warnings
    }

    public func style(_ key: String) -> Style {
        var key = key
        while true {
            if let style = styles[key] { return style }
            guard let dot = key.lastIndex(of: ".") else { return .plain }
            key = String(key[..<dot])
        }
    }

    /// The keys the app uses; others are reported as unknown (probably a typo).
    public static let knownKeys: Set<String> = [
        "ui.background", "ui.text", "ui.text.dim", "ui.title", "ui.border", "ui.selection", "ui.statusbar",
        "ui.statusbar.error", "ui.statusbar.ok", "ui.help.key", "ui.input", "ui.dialog", "ui.tab", "ui.tab.active",
        "progress.done", "progress.todo", "quiz.correct", "quiz.incorrect", "quiz.selected", "quiz.pending",
        "badge.earned", "badge.locked", "lock", "free", "owned", "price", "lesson.done", "lesson.partial",
        "sync.online", "sync.offline", "sync.pending", "error", "warning",
    ]

    // MARK: Parsing

    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case notFound(String)
        case invalid(String, reason: String)
        case inheritanceCycle(String)

        public var description: String {
            switch self {
            case .notFound(let name): "Theme '\(name)' was not found"
            case .invalid(let name, let reason): "Theme '\(name)' is not valid TOML: \(reason)"
            case .inheritanceCycle(let name): "Theme '\(name)' inherits from itself"
            }
        }
    }

    /// Parses a theme; `resolve` returns the TOML text of another theme for `inherits`.
    ///
    /// Inheritance works as in helix: the palettes merge (the child's names win), the styles merge
    /// (the child's keys win), and only then is every style resolved against the merged palette.
    /// So a child that only redefines palette colours (`light` over `dark`) recolours every style
    /// of its parent.
    public static func parse(name: String, toml: String, resolve: (String) -> String?) throws(LoadError) -> Theme {
        // The theme, then its parent, and so on up. The tables stay alive while their values are
        // read: TOMLKit's values point into them.
        var chain: [(name: String, table: TOMLTable)] = []
        var seen: Set<String> = []
        var current = (name: name, toml: toml)
        while true {
            guard seen.insert(current.name).inserted else { throw .inheritanceCycle(current.name) }
            let table = try parseTable(name: current.name, toml: current.toml)
            chain.append((current.name, table))
            guard let parentName = table["inherits"]?.string else { break }
            guard let parentText = resolve(parentName) else { throw .notFound(parentName) }
            current = (parentName, parentText)
        }
        var warnings: [String] = []
        var palette: [String: Color] = [:]
        var declared: [String: (theme: String, value: any TOMLValueConvertible)] = [:]
        for (layer, table) in chain.reversed() {
            if let paletteTable = table["palette"]?.table {
                for (key, value) in paletteTable {
                    guard let text = value.string, let color = parseColor(text, palette: [:]) else {
                        warnings.append("\(layer): palette colour '\(key)' is not a colour (use \"#rrggbb\", a name or 0-255)")
                        continue
                    }
                    palette[key] = color
                }
            }
            for (key, value) in table where key != "inherits" && key != "palette" {
                if !knownKeys.contains(key) { warnings.append("\(layer): unknown key '\(key)' ignored") }
                declared[key] = (layer, value)
            }
        }
        var styles: [String: Style] = [:]
        for key in declared.keys.sorted() {
            let (layer, value) = declared[key]!
            switch parseStyle(value, palette: palette) {
            case .success(let style): styles[key] = style
            case .failure(let failure): warnings.append("\(layer): '\(key)': \(failure.message)")
            }
        }
        return withExtendedLifetime(chain) { Theme(name: name, styles: styles, warnings: warnings) }
    }

    private static func parseTable(name: String, toml: String) throws(LoadError) -> TOMLTable {
        do {
            return try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            throw .invalid(name, reason: "\(error.description) at \(error.source.begin.debugDescription)")
        } catch {
            throw .invalid(name, reason: "\(error)")
        }
    }

    struct StyleError: Error { let message: String }

    static func parseStyle(_ value: any TOMLValueConvertible, palette: [String: Color]) -> Result<Style, StyleError> {
        if let text = value.string {
            guard let color = parseColor(text, palette: palette) else { return .failure(StyleError(message: "'\(text)' is not a colour")) }
            return .success(Style(foreground: color))
        }
        guard let table = value.table else { return .failure(StyleError(message: "expected a colour or a table { fg, bg, modifiers }")) }
        var style = Style()
        for (key, entry) in table {
            switch key {
            case "fg", "bg":
                guard let text = entry.string, let color = parseColor(text, palette: palette) else {
                    return .failure(StyleError(message: "\(key) is not a colour"))
                }
                if key == "fg" { style.foreground = color } else { style.background = color }
            case "modifiers":
                guard let array = entry.array else { return .failure(StyleError(message: "modifiers must be a list")) }
                for item in array {
                    switch item.string {
                    case "bold": style.modifiers.insert(.bold)
                    case "dim": style.modifiers.insert(.dim)
                    case "italic": style.modifiers.insert(.italic)
                    case "underlined", "underline": style.modifiers.insert(.underline)
                    case "reversed", "reverse": style.modifiers.insert(.reverse)
                    default: return .failure(StyleError(message: "unknown modifier \(item.string ?? "?")"))
                    }
                }
            default:
                return .failure(StyleError(message: "unknown field '\(key)'"))
            }
        }
        return .success(style)
    }

    static let namedColors: [String: Color] = [
        "default": .reset, "reset": .reset,
        "black": .black, "red": .red, "green": .green, "yellow": .yellow, "blue": .blue, "magenta": .magenta,
        "cyan": .cyan, "white": .white, "gray": .gray, "grey": .gray,
        "light-red": .brightRed, "light-green": .brightGreen, "light-yellow": .brightYellow, "light-blue": .brightBlue,
        "light-magenta": .brightMagenta, "light-cyan": .brightCyan, "light-gray": .white, "bright-white": .brightWhite,
    ]

    static func parseColor(_ text: String, palette: [String: Color]) -> Color? {
        if let color = palette[text] ?? namedColors[text.lowercased()] { return color }
        if text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) {
            return .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        }
        if let index = UInt8(text) { return .indexed(index) }
        return nil
    }

    // MARK: Finding themes

    /// The theme every other falls back to when a file is missing or broken: 16 colours only.
    public static let fallback = Theme(name: "default", styles: [
        "ui.selection": Style(modifiers: .reverse),
        "ui.statusbar": Style(foreground: .black, background: .white),
        "ui.statusbar.error": Style(foreground: .brightWhite, background: .red, modifiers: .bold),
        "ui.title": Style(modifiers: .bold),
        "ui.text.dim": Style(foreground: .gray),
        "ui.border": Style(foreground: .gray),
        "ui.help.key": Style(foreground: .yellow, modifiers: .bold),
        "progress.done": Style(foreground: .green),
        "quiz.correct": Style(foreground: .green, modifiers: .bold),
        "quiz.incorrect": Style(foreground: .red, modifiers: .bold),
        "badge.earned": Style(foreground: .yellow, modifiers: .bold),
        "lock": Style(foreground: .gray),
        "error": Style(foreground: .red, modifiers: .bold),
    ])

    /// Loads `name` from the first directory that has `name.toml`; a missing or broken theme
    /// gives the fallback theme with a warning saying why.
    public static func load(_ name: String, directories: [URL]) -> Theme {
        func text(_ name: String) -> String? {
            if name.hasSuffix(".toml") || name.contains("/") { return try? String(contentsOfFile: name, encoding: .utf8) }
            for directory in directories {
                if let text = try? String(contentsOf: directory.appendingPathComponent("\(name).toml"), encoding: .utf8) { return text }
            }
            return nil
        }
        guard let toml = text(name) else {
            var theme = fallback
            theme.warnings = ["Theme '\(name)' was not found; using the built-in default"]
            return theme
        }
        do {
            return try parse(name: name, toml: toml, resolve: text)
        } catch {
            var theme = fallback
            theme.warnings = ["\(error.description); using the built-in default"]
            return theme
        }
    }

    /// Names of the themes found in `directories`.
    public static func available(in directories: [URL]) -> [String] {
        var names = Set<String>()
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files where file.hasSuffix(".toml") { names.insert(String(file.dropLast(5))) }
        }
        return names.sorted()
    }
}
