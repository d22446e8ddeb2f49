/// A bordered box with a title. Returns the inner area for its content.
public struct Block: Sendable {
    public var title: String
    public var style: Style
    public var titleStyle: Style
    public var unicode: Bool

    public init(title: String = "", style: Style = .plain, titleStyle: Style = Style(modifiers: .bold), unicode: Bool = true) {
        self.title = title
        self.style = style
        self.titleStyle = titleStyle
        self.unicode = unicode
    }

    @discardableResult
    public func render(_ area: Rect, _ buffer: inout Buffer) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return .zero }
        let (h, v, tl, tr, bl, br) = unicode ? ("─", "│", "┌", "┐", "└", "┘") : ("-", "|", "+", "+", "+", "+")
        for x in (area.x + 1)..<(area.right - 1) {
            buffer[x, area.y] = Cell(h, style: style)
            buffer[x, area.bottom - 1] = Cell(h, style: style)
        }
        for y in (area.y + 1)..<(area.bottom - 1) {
            buffer[area.x, y] = Cell(v, style: style)
            buffer[area.right - 1, y] = Cell(v, style: style)
        }
        buffer[area.x, area.y] = Cell(tl, style: style)
        buffer[area.right - 1, area.y] = Cell(tr, style: style)
        buffer[area.x, area.bottom - 1] = Cell(bl, style: style)
        buffer[area.right - 1, area.bottom - 1] = Cell(br, style: style)
        if !title.isEmpty, area.width > 4 {
            buffer.write(" \(DisplayWidth.truncate(title, to: area.width - 6)) ", x: area.x + 2, y: area.y, maxWidth: area.width - 4, style: titleStyle)
        }
        return area.inset(by: 1)
    }
}

/// A horizontal bar: `████████░░░░ 66%`, or `[#####-----]` without Unicode.
public struct ProgressBar: Sendable {
    public var fraction: Double
    public var label: String?
    public var filledStyle: Style
    public var emptyStyle: Style
    public var unicode: Bool
    /// The bar's own width, label aside: bars on one screen given the same width line up
    /// whatever their labels. nil: the bar takes what the label leaves.
    public var barWidth: Int?

    public init(
        fraction: Double, label: String? = nil, filledStyle: Style = .plain, emptyStyle: Style = Style(modifiers: .dim), unicode: Bool = true,
        barWidth: Int? = nil
    ) {
        self.fraction = max(0, min(1, fraction.isFinite ? fraction : 0))
        self.label = label
        self.filledStyle = filledStyle
        self.emptyStyle = emptyStyle
        self.unicode = unicode
        self.barWidth = barWidth
    }

    public func render(_ area: Rect, _ buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let text = label.map { " " + $0 } ?? ""
        let labelWidth = min(DisplayWidth.of(text), area.width)
        let brackets = unicode ? 0 : 2
        let barWidth = self.barWidth.map { min($0, area.width - brackets) } ?? area.width - labelWidth - brackets
        var x = area.x
        if barWidth > 0 {
            if !unicode { buffer.write("[", x: x, y: area.y); x += 1 }
            // `fraction` is a public var: clamp here too, as NaN or infinity would trap.
            let clamped = fraction.isFinite ? max(0, min(1, fraction)) : 0
            let filled = Int((clamped * Double(barWidth)).rounded(.down))
            for i in 0..<barWidth {
                let done = i < filled
                buffer.write(unicode ? (done ? "█" : "░") : (done ? "#" : "-"), x: x + i, y: area.y, style: done ? filledStyle : emptyStyle)
            }
            x += barWidth
            if !unicode { buffer.write("]", x: x, y: area.y); x += 1 }
        }
        buffer.write(text, x: x, y: area.y, maxWidth: area.right - x)
    }
}

/// The bottom line: a left part and a right part; the right is kept when space is short.
public struct StatusBar: Sendable {
    public var left: [Span]
    public var right: [Span]
    public var style: Style

    public init(left: [Span], right: [Span] = [], style: Style = Style(modifiers: .reverse)) {
        self.left = left
        self.right = right
        self.style = style
    }

    public func render(_ area: Rect, _ buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        buffer.fill(area.row(0), with: Cell(" ", style: style))
        let rightWidth = min(right.reduce(0) { $0 + DisplayWidth.of($1.text) }, area.width)
        buffer.write(right.map { Span($0.text, style: style.patched(with: $0.style)) }, x: area.right - rightWidth, y: area.y, maxWidth: rightWidth)
        buffer.write(left.map { Span($0.text, style: style.patched(with: $0.style)) }, x: area.x, y: area.y, maxWidth: max(0, area.width - rightWidth - 1))
    }
}
