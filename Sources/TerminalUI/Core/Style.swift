/// A terminal colour. Themes may use any; the backend downsamples to what the terminal shows.
public enum Color: Hashable, Sendable {
    case reset
    /// The 16 ANSI colours: 0–7 normal, 8–15 bright.
    case ansi(UInt8)
    /// The xterm 256-colour palette.
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.ansi(0), red = Color.ansi(1), green = Color.ansi(2), yellow = Color.ansi(3)
    public static let blue = Color.ansi(4), magenta = Color.ansi(5), cyan = Color.ansi(6), white = Color.ansi(7)
    public static let gray = Color.ansi(8), brightRed = Color.ansi(9), brightGreen = Color.ansi(10), brightYellow = Color.ansi(11)
    public static let brightBlue = Color.ansi(12), brightMagenta = Color.ansi(13), brightCyan = Color.ansi(14), brightWhite = Color.ansi(15)
}

public struct Modifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Modifiers(rawValue: 1)
    public static let dim = Modifiers(rawValue: 2)
    public static let italic = Modifiers(rawValue: 4)
    public static let underline = Modifiers(rawValue: 8)
    public static let reverse = Modifiers(rawValue: 16)
}

/// How a cell looks. `nil` colours inherit from what is underneath.
public struct Style: Hashable, Sendable {
    public var foreground: Color?
    public var background: Color?
    public var modifiers: Modifiers

    public init(foreground: Color? = nil, background: Color? = nil, modifiers: Modifiers = []) {
        self.foreground = foreground
        self.background = background
        self.modifiers = modifiers
    }

    public static let plain = Style()

    /// This style with `other` drawn over it: set colours win, modifiers add up.
    public func patched(with other: Style) -> Style {
        Style(
            foreground: other.foreground ?? foreground, background: other.background ?? background,
            modifiers: modifiers.union(other.modifiers))
    }

    public func bold() -> Style { patched(with: Style(modifiers: .bold)) }
    public func reversed() -> Style { patched(with: Style(modifiers: .reverse)) }
}

/// A run of text in one style; a line is a list of spans.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }
}
