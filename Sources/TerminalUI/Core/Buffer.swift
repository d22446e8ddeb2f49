/// One terminal cell: a grapheme and its style. A wide character occupies its cell and marks the
/// next one as its continuation, which backends skip.
public struct Cell: Hashable, Sendable {
    public var symbol: String
    public var style: Style
    public var isContinuation: Bool

    public init(_ symbol: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.symbol = symbol
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}

/// A grid of cells the size of an area: every frame is drawn whole into a fresh buffer, then
/// compared with the previous one so only changed cells reach the terminal (as in Ratatui).
public struct Buffer: Sendable, Equatable {
    public private(set) var area: Rect
    public private(set) var cells: [Cell]

    public init(area: Rect, filling cell: Cell = .blank) {
        self.area = area
        cells = Array(repeating: cell, count: area.width * area.height)
    }

    @inline(__always)
    func index(_ x: Int, _ y: Int) -> Int? {
        guard x >= area.x, y >= area.y, x < area.right, y < area.bottom else { return nil }
        return (y - area.y) * area.width + (x - area.x)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { index(x, y).map { cells[$0] } ?? .blank }
        set { if let i = index(x, y) { cells[i] = newValue } }
    }

    /// Applies a style over every cell of `rect` (keeps the symbols).
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.bottom {
            for x in clipped.x..<clipped.right {
                let i = index(x, y)!
                cells[i].style = cells[i].style.patched(with: style)
            }
        }
    }

    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for y in clipped.y..<clipped.bottom {
            // A wide character cut by either edge of the rectangle goes whole: no half cells.
            if cells[index(clipped.x, y)!].isContinuation { blank(clipped.x - 1, y) }
            for x in clipped.x..<clipped.right { cells[index(x, y)!] = cell }
            if let next = index(clipped.right, y), cells[next].isContinuation { blank(clipped.right, y) }
        }
    }

    /// Replaces a cell by a space in the same style.
    private mutating func blank(_ x: Int, _ y: Int) {
        guard let i = index(x, y) else { return }
        cells[i] = Cell(" ", style: cells[i].style)
    }

    /// Puts one character's cell at (x, y) the way a terminal would: a wide character also takes
    /// the next cell as its continuation, and a wide character partly overwritten disappears
    /// whole, so no half of one is ever left behind.
    mutating func put(_ cell: Cell, x: Int, y: Int) {
        guard let i = index(x, y) else { return }
        let width = cell.isContinuation ? 0 : max(1, min(2, DisplayWidth.of(cell.symbol)))
        // Over the right half of a wide character: its left half goes too.
        if cells[i].isContinuation, !cell.isContinuation { blank(x - 1, y) }
        cells[i] = cell
        if width == 2, let next = index(x + 1, y) {
            cells[next] = Cell("", style: cell.style, isContinuation: true)
        }
        // Over the left half of a wide character: its right half, now orphaned, goes.
        let after = x + max(1, width)
        if let next = index(after, y), cells[next].isContinuation { blank(after, y) }
    }

    /// Writes text from (x, y), at most `maxWidth` columns, never past the buffer's edge.
    /// Returns the columns used. A wide character that would straddle the limit is left out.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, maxWidth: Int = .max, style: Style = .plain) -> Int {
        guard y >= area.y, y < area.bottom else { return 0 }
        let limit = min(maxWidth, area.right - x)
        if let columns = writeSimple(text, x: x, y: y, limit: limit, style: style) { return columns }
        var column = 0
        for character in text {
            let width = DisplayWidth.of(character)
            if width == 0 {
                // A control character: show nothing rather than corrupt the screen.
                continue
            }
            if column + width > limit { break }
            let cx = x + column
            if cx >= area.x {
                let base = cells[index(cx, y)!].style
                put(Cell(String(character), style: base.patched(with: style)), x: cx, y: y)
            }
            column += width
        }
        return column
    }

    /// Text made only of scalars that are each a one-column character of their own (printable
    /// ASCII, Latin, common punctuation, currency, arrows, box drawing, geometric shapes: the
    /// bulk of any screen) is written a scalar per cell, without grapheme breaking or width
    /// lookups. At the first other scalar the rest of the text, from the character before it
    /// (which that scalar might extend), goes through the general path.
    private mutating func writeSimple(_ text: String, x: Int, y: Int, limit: Int, style: Style) -> Int? {
        var column = 0
        var scalars = text.unicodeScalars.makeIterator()
        var current = scalars.next()
        var consumed = text.unicodeScalars.startIndex
        while let scalar = current {
            let next = scalars.next()
            guard Self.isSimple(scalar), next.map(Self.isSimple) ?? true else {
                guard column > 0 else { return nil }
                let rest = String(text.unicodeScalars[consumed...])
                return column + write(rest, x: x + column, y: y, maxWidth: limit - column, style: style)
            }
            guard column < limit else { break }
            let cx = x + column
            if cx >= area.x, let i = index(cx, y) {
                // Over the right half of a wide character: its left half goes too.
                if cells[i].isContinuation { blank(cx - 1, y) }
                let symbol = scalar.value < 0x7F ? Self.asciiSymbols[Int(scalar.value) - 0x20] : String(scalar)
                cells[i] = Cell(symbol, style: cells[i].style.patched(with: style))
            }
            column += 1
            consumed = text.unicodeScalars.index(after: consumed)
            current = next
        }
        // Over the left half of a wide character: its right half, now orphaned, goes.
        if column > 0, let next = index(x + column, y), cells[next].isContinuation { blank(x + column, y) }
        return column
    }

    /// One column, never combining, never emoji-presented, never extended by what follows
    /// unless that is itself outside this set (which `writeSimple` checks).
    private static func isSimple(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F, 0xA0..<0x300, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0, 0x2190...0x21FF,
             0x2500...0x25FC:
            true
        default:
            false
        }
    }

    private static let asciiSymbols: [String] = (0x20..<0x7F).map { String(UnicodeScalar(UInt8($0))) }

    /// Writes spans one after another; returns the columns used.
    @discardableResult
    public mutating func write(_ spans: [Span], x: Int, y: Int, maxWidth: Int = .max) -> Int {
        var used = 0
        for span in spans {
            guard used < maxWidth else { break }
            used += write(span.text, x: x + used, y: y, maxWidth: maxWidth - used, style: span.style)
        }
        return used
    }

    /// The cells that differ from `previous`, row by row, as the backend should write them.
    public func changes(since previous: Buffer?) -> [(x: Int, y: Int, cell: Cell)] {
        var result: [(x: Int, y: Int, cell: Cell)] = []
        let comparable = previous?.area == area
        for i in cells.indices {
            if comparable, previous!.cells[i] == cells[i] { continue }
            let cell = cells[i]
            if cell.isContinuation { continue }
            result.append((area.x + i % area.width, area.y + i / area.width, cell))
        }
        return result
    }

    /// The text of each row, for tests and golden files (wide characters once, trailing spaces kept).
    public var lines: [String] {
        (0..<area.height).map { row in
            var line = ""
            for column in 0..<area.width {
                let cell = cells[row * area.width + column]
                if !cell.isContinuation { line += cell.symbol }
            }
            return line
        }
    }
}
