/// Wraps text to a width, by words, respecting display width (CJK wraps between characters).
public enum TextWrap {
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            // Whether the line holds a word yet (not only indentation).
            var hasWords = false
            for (position, word) in paragraph.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                // Every piece but the first was preceded by one space in the text.
                let spaced = position > 0
                if word.isEmpty {
                    // Runs of spaces (indented code, alignment) are kept, not collapsed.
                    if spaced, lineWidth < width { line += " "; lineWidth += 1 }
                    continue
                }
                let wordWidth = DisplayWidth.of(word)
                if hasWords {
                    if lineWidth + 1 + wordWidth <= width {
                        line += " " + word
                        lineWidth += 1 + wordWidth
                        continue
                    }
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                    hasWords = false
                } else if spaced, lineWidth < width {
                    line += " "
                    lineWidth += 1
                }
                var rest = Substring(word)
                // A word longer than the line is cut where it must be.
                while lineWidth + DisplayWidth.of(rest) > width {
                    var (head, _) = DisplayWidth.prefix(rest, fitting: width - lineWidth)
                    if head.isEmpty {
                        if lineWidth > 0 {
                            // Not even one character fits after the indentation: drop it.
                            line = ""
                            lineWidth = 0
                            continue
                        }
                        // A character wider than the whole line: alone on its line.
                        head = rest.prefix(1)
                    }
                    lines.append(line + head)
                    line = ""
                    lineWidth = 0
                    rest = rest[head.endIndex...]
                }
                if !rest.isEmpty {
                    line += rest
                    lineWidth += DisplayWidth.of(rest)
                    hasWords = true
                }
            }
            lines.append(line)
        }
        return lines
    }
}

/// Scrollable, wrapped text.
public struct TextView {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// Renders from line `offset`; returns the number of wrapped lines (for scroll limits).
    @discardableResult
    public func render(_ area: Rect, _ buffer: inout Buffer, offset: Int) -> Int {
        let lines = TextWrap.wrap(text, width: area.width)
        for (row, line) in lines.dropFirst(max(0, offset)).prefix(area.height).enumerated() {
            buffer.write(line, x: area.x, y: area.y + row, maxWidth: area.width, style: style)
        }
        return lines.count
    }
}

/// A one-line text field with a cursor; `masked` shows bullets (passwords).
public struct TextInput: Hashable, Sendable {
    public var value: String
    public var cursor: Int
    public var masked: Bool

    public init(_ value: String = "", masked: Bool = false) {
        self.value = value
        self.cursor = value.count
        self.masked = masked
    }

    /// Applies an editing key; returns false for keys it does not handle.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            value.insert(c, at: value.index(value.startIndex, offsetBy: cursor))
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            value.remove(at: value.index(value.startIndex, offsetBy: cursor - 1))
            cursor -= 1
        case .delete:
            guard cursor < value.count else { return true }
            value.remove(at: value.index(value.startIndex, offsetBy: cursor))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(value.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = value.count
        case .ctrl("u"):
            value = ""
            cursor = 0
        default: return false
        }
        return true
    }

    public func render(_ area: Rect, _ buffer: inout Buffer, style: Style, focused: Bool) {
        guard !area.isEmpty else { return }
        buffer.fill(area.row(0), with: Cell(" ", style: style))
        let shown = masked ? String(repeating: "•", count: value.count) : value
        // Keep the cursor in view on long values.
        let prefixWidth = DisplayWidth.of(shown.prefix(cursor))
        let skip = max(0, prefixWidth - area.width + 1)
        var visible = Substring(shown)
        var skipped = 0
        while skipped < skip, let first = visible.first {
            skipped += DisplayWidth.of(first)
            visible = visible.dropFirst()
        }
        buffer.write(String(visible), x: area.x, y: area.y, maxWidth: area.width, style: style)
        if focused {
            let cursorX = area.x + prefixWidth - skipped
            if cursorX < area.right {
                var cell = buffer[cursorX, area.y]
                cell.style = cell.style.reversed()
                buffer[cursorX, area.y] = cell
            }
        }
    }
}

/// A centred box over the screen with a title, a message and a hint line.
public struct Dialog {
    public var title: String
    public var message: String
    public var hint: String
    public var style: Style

    public init(title: String, message: String, hint: String = "Enter/Esc: close", style: Style = .plain) {
        self.title = title
        self.message = message
        self.hint = hint
        self.style = style
    }

    public func render(_ area: Rect, _ buffer: inout Buffer, unicode: Bool) {
        let width = min(max(30, DisplayWidth.of(title) + 6), area.width - 4, 70)
        let lines = TextWrap.wrap(message, width: max(1, width - 4))
        let box = area.centered(width: width, height: lines.count + 4)
        buffer.fill(box, with: Cell(" ", style: style))
        let inner = Block(title: title, style: style, titleStyle: style.bold(), unicode: unicode).render(box, &buffer)
        for (row, line) in lines.prefix(max(0, inner.height - 1)).enumerated() {
            buffer.write(line, x: inner.x + 1, y: inner.y + row, maxWidth: inner.width - 2, style: style)
        }
        buffer.write(hint, x: inner.x + 1, y: inner.bottom - 1, maxWidth: inner.width - 2, style: style.patched(with: Style(modifiers: .dim)))
    }
}
