/// A key the user pressed, decoded by the backend.
public enum Key: Hashable, Sendable {
    case character(Character)
    case ctrl(Character)
    case enter, escape, backspace, tab, backTab, delete
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
}

public enum Event: Hashable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
}

/// What the terminal can show, decided once at start-up.
public struct Capabilities: Hashable, Sendable {
    public enum ColorDepth: Int, Comparable, Sendable {
        /// NO_COLOR or TERM=dumb: bold, reverse and underline only.
        case monochrome = 0
        case eight = 8
        case sixteen = 16
        case indexed256 = 256
        case truecolor = 16_777_216

        public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
    }

    public var colors: ColorDepth
    public var unicode: Bool

    public init(colors: ColorDepth, unicode: Bool) {
        self.colors = colors
        self.unicode = unicode
    }

    /// From the environment: NO_COLOR and TERM=dumb turn colour off; COLORTERM announces truecolor.
    public static func detect(environment: [String: String], terminalColors: Int) -> Capabilities {
        let locale = (environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"] ?? "").uppercased()
        // LMS_GLYPHS (or `glyphs` in config.toml) overrides what the locale says.
        let unicode = switch environment["LMS_GLYPHS"] {
        case "ascii": false
        case "unicode": true
        default: locale.contains("UTF-8") || locale.contains("UTF8")
        }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return Capabilities(colors: .monochrome, unicode: unicode) }
        if environment["TERM"] == "dumb" || terminalColors < 8 { return Capabilities(colors: .monochrome, unicode: unicode) }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        let depth: ColorDepth = colorTerm == "truecolor" || colorTerm == "24bit" ? .truecolor
            : terminalColors >= 256 ? .indexed256 : terminalColors >= 16 ? .sixteen : .eight
        return Capabilities(colors: depth, unicode: unicode)
    }
}
