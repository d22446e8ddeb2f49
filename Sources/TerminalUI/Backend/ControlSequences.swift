/// The terminal's own words for the few things `FrameEncoder` does: move the cursor, set a
/// scroll region and scroll it, clear, and set attributes and colours. `ansi` is ECMA-48 as xterm,
/// VTE, tmux, screen, kitty, the Linux console and Windows Terminal all speak it; the curses
/// backend fills one from the terminal's terminfo entry instead, falling back to these.
/// Positions are zero-based.
public struct ControlSequences {
    public var moveTo: (_ x: Int, _ y: Int) -> [UInt8]
    /// Cursor forward by some columns on the same row; nil when the terminal has none.
    public var moveRight: ((_ columns: Int) -> [UInt8])?
    /// Limits scrolling to rows `top...bottom`; nil when the terminal cannot, which turns the
    /// scroll shortcut off.
    public var setScrollRegion: ((_ top: Int, _ bottom: Int) -> [UInt8])?
    /// At the bottom row of the scroll region: moves the region's rows up one line.
    public var scrollForward: [UInt8]?
    /// At the top row of the scroll region: moves the region's rows down one line.
    public var scrollReverse: [UInt8]?
    public var clearScreen: [UInt8]
    /// Blanks from the cursor to the end of its row, in the current background.
    public var clearToEndOfLine: [UInt8]?
    /// Plain text: no attributes, the terminal's default colours.
    public var resetAttributes: [UInt8]
    public var bold: [UInt8]
    public var dim: [UInt8]
    public var italic: [UInt8]
    public var underline: [UInt8]
    public var reverse: [UInt8]
    /// A colour already downsampled to what the terminal shows (`.ansi`, `.indexed` or `.rgb`).
    public var color: (_ color: Color, _ isBackground: Bool) -> [UInt8]

    public init(
        moveTo: @escaping (_ x: Int, _ y: Int) -> [UInt8], moveRight: ((_ columns: Int) -> [UInt8])?,
        setScrollRegion: ((_ top: Int, _ bottom: Int) -> [UInt8])?, scrollForward: [UInt8]?, scrollReverse: [UInt8]?,
        clearScreen: [UInt8], clearToEndOfLine: [UInt8]?, resetAttributes: [UInt8],
        bold: [UInt8], dim: [UInt8], italic: [UInt8], underline: [UInt8], reverse: [UInt8],
        color: @escaping (_ color: Color, _ isBackground: Bool) -> [UInt8]
    ) {
        self.moveTo = moveTo
        self.moveRight = moveRight
        self.setScrollRegion = setScrollRegion
        self.scrollForward = scrollForward
        self.scrollReverse = scrollReverse
        self.clearScreen = clearScreen
        self.clearToEndOfLine = clearToEndOfLine
        self.resetAttributes = resetAttributes
        self.bold = bold
        self.dim = dim
        self.italic = italic
        self.underline = underline
        self.reverse = reverse
        self.color = color
    }

    public static var ansi: ControlSequences {
        ControlSequences(
            moveTo: { x, y in csi(y + 1, x + 1, final: 0x48) },
            moveRight: { columns in csi(columns, final: 0x43) },
            setScrollRegion: { top, bottom in csi(top + 1, bottom + 1, final: 0x72) },
            scrollForward: [0x0A],
            scrollReverse: [0x1B, 0x4D],
            clearScreen: csi("H") + csi("2J"),
            clearToEndOfLine: csi("K"),
            resetAttributes: csi("m"),
            bold: csi("1m"), dim: csi("2m"), italic: csi("3m"), underline: csi("4m"), reverse: csi("7m"),
            color: ansiColor)
    }

    /// SGR colours: 30–37 and 90–97 for the sixteen, 38;5 for the palette, 38;2 for truecolor
    /// (no terminfo capability has 24-bit colours, so the curses backend uses this one too).
    public static func ansiColor(_ color: Color, isBackground: Bool) -> [UInt8] {
        let base = isBackground ? 40 : 30
        switch color {
        case .reset: return csi("\(base + 9)m")
        case .ansi(let index) where index < 8: return csi("\(base + Int(index))m")
        case .ansi(let index): return csi("\(base + 60 + Int(index) - 8)m")
        case .indexed(let index): return csi("\(base + 8);5;\(index)m")
        case .rgb(let r, let g, let b): return csi("\(base + 8);2;\(r);\(g);\(b)m")
        }
    }

    private static func csi(_ body: String) -> [UInt8] { [0x1B, 0x5B] + Array(body.utf8) }

    // Cursor moves and scroll regions go out on most frames: their numbers are written as digits
    // straight into the bytes, without building strings.
    private static func csi(_ number: Int, final: UInt8) -> [UInt8] {
        var bytes: [UInt8] = [0x1B, 0x5B]
        appendDecimal(number, to: &bytes)
        bytes.append(final)
        return bytes
    }

    private static func csi(_ first: Int, _ second: Int, final: UInt8) -> [UInt8] {
        var bytes: [UInt8] = [0x1B, 0x5B]
        bytes.reserveCapacity(12)
        appendDecimal(first, to: &bytes)
        bytes.append(0x3B)
        appendDecimal(second, to: &bytes)
        bytes.append(final)
        return bytes
    }

    private static func appendDecimal(_ number: Int, to bytes: inout [UInt8]) {
        var value = max(0, number)
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { digits in
            repeat {
                digits[count] = UInt8(0x30 + value % 10)
                value /= 10
                count += 1
            } while value > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(digits[index]) }
        }
    }
}
