/// One terminal cell: a grapheme and its style. A wide character occupies its cell and marks the
/// next one as its continuation, which backends skip.
///
/// A cell is three machine words and nothing else: the grapheme's UTF-8 inline, and the style
/// packed into a word. So a frame of thousands of cells is made, compared and freed without
/// reference counting, and two cells are equal exactly when their bytes are, which lets rows be
/// compared and hashed as plain memory. Up to 15 bytes of UTF-8 fit (every letter, CJK ideograph,
/// flag, keycap and skin-toned emoji); a longer cluster, such as a family emoji joined by ZWJs,
/// keeps its first scalar, and shows as its first person.
public struct Cell: Hashable, Sendable {
    /// Bytes 0–7 of the UTF-8.
    private var low: UInt64
    /// Bytes 8–14 of the UTF-8, and its length in the top byte.
    private var high: UInt64
    /// The style and the continuation flag (`PackedStyle`).
    private(set) var bits: UInt64

    public init(_ symbol: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        (low, high) = Self.pack(symbol)
        bits = PackedStyle.pack(style) | (isContinuation ? PackedStyle.continuation : 0)
    }

    /// A cell of one scalar's UTF-8 (at most 8 bytes), copied as it is.
    @inline(__always)
    init(utf8 bytes: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int, styleBits: UInt64) {
        var word: UInt64 = 0
        for index in 0..<count { word |= UInt64(bytes[offset + index]) << (8 * index) }
        low = word
        high = UInt64(count) << 56
        bits = styleBits
    }

    /// A cell of one scalar, without going through `String`.
    @inline(__always)
    init(scalar: Unicode.Scalar, styleBits: UInt64) {
        var bytes = UInt64(scalar.value), count: UInt64 = 1
        if !scalar.isASCII {
            bytes = 0
            count = 0
            for byte in UTF8.encode(scalar)! {
                bytes |= UInt64(byte) << (8 * count)
                count += 1
            }
        }
        low = bytes
        high = count << 56
        bits = styleBits
    }

    public var style: Style {
        get { PackedStyle.unpack(bits) }
        set { bits = PackedStyle.pack(newValue) | (bits & PackedStyle.continuation) }
    }

    public var isContinuation: Bool {
        get { bits & PackedStyle.continuation != 0 }
        set { bits = newValue ? bits | PackedStyle.continuation : bits & ~PackedStyle.continuation }
    }

    /// The style's packed form (without the continuation flag), for comparing styles quickly.
    var styleBits: UInt64 { bits & ~PackedStyle.continuation }

    /// The length of the grapheme's UTF-8 (0 for a continuation).
    var byteCount: Int { Int(high >> 56) }

    /// The byte of a one-byte (ASCII) grapheme.
    var asciiByte: UInt8? { high >> 56 == 1 ? UInt8(truncatingIfNeeded: low) : nil }

    /// The grapheme's UTF-8, for backends, without making a `String`.
    public func withUTF8<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withUnsafeBytes(of: (low, high)) { raw in body(UnsafeRawBufferPointer(rebasing: raw.prefix(Int(high >> 56)))) }
    }

    /// The grapheme's scalars, for backends, without making a `String`.
    public func forEachScalar(_ body: (Unicode.Scalar) -> Void) {
        withUTF8 { raw in
            var decoder = UTF8()
            var bytes = raw.makeIterator()
            while case .scalarValue(let scalar) = decoder.decode(&bytes) { body(scalar) }
        }
    }

    public var symbol: String {
        get { withUTF8 { String(decoding: $0, as: UTF8.self) } }
        set { (low, high) = Self.pack(newValue) }
    }

    private static func pack(_ symbol: String) -> (UInt64, UInt64) {
        // Too long a cluster keeps its first scalar alone: a prefix could end in a joiner, which
        // would glue it to whatever the next cell holds.
        let scalars = symbol.utf8.count <= 15 ? Substring(symbol).unicodeScalars : Substring(symbol).unicodeScalars.prefix(1)
        var words = (UInt64(0), UInt64(0))
        var count = 0
        withUnsafeMutableBytes(of: &words) { raw in
            for scalar in scalars {
                for byte in UTF8.encode(scalar)! {
                    raw[count] = byte
                    count += 1
                }
            }
        }
        return (words.0, words.1 | UInt64(count) << 56)
    }

    public static let blank = Cell()
}

/// A style in one word, so cells stay plain bytes: each colour in 27 bits (a 3-bit kind and
/// 24 bits of value), then the modifiers, then a cell's continuation flag.
enum PackedStyle {
    static let continuation: UInt64 = 1 << 59
    private static let modifierShift: UInt64 = 54
    private static let backgroundShift: UInt64 = 27
    private static let colorMask: UInt64 = (1 << 27) - 1

    @inline(__always)
    static func pack(_ style: Style) -> UInt64 {
        pack(style.foreground) | pack(style.background) << backgroundShift | UInt64(style.modifiers.rawValue & 0x1F) << modifierShift
    }

    @inline(__always)
    static func unpack(_ bits: UInt64) -> Style {
        Style(
            foreground: unpackColor(bits & colorMask), background: unpackColor(bits >> backgroundShift & colorMask),
            modifiers: Modifiers(rawValue: UInt8(bits >> modifierShift & 0x1F)))
    }

    @inline(__always)
    private static func pack(_ color: Color?) -> UInt64 {
        switch color {
        case nil: 0
        case .reset?: 1 << 24
        case .ansi(let index)?: 2 << 24 | UInt64(index)
        case .indexed(let index)?: 3 << 24 | UInt64(index)
        case .rgb(let r, let g, let b)?: 4 << 24 | UInt64(r) << 16 | UInt64(g) << 8 | UInt64(b)
        }
    }

    @inline(__always)
    private static func unpackColor(_ bits: UInt64) -> Color? {
        let value = UInt8(truncatingIfNeeded: bits)
        switch bits >> 24 {
        case 1: return .reset
        case 2: return .ansi(value)
        case 3: return .indexed(value)
        case 4: return .rgb(UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), value)
        default: return nil
        }
    }
}

/// A grid of cells the size of an area: every frame is drawn whole into a fresh buffer, then
/// compared with the previous one so only changed cells reach the terminal (as in Ratatui).
public struct Buffer: Sendable, Equatable {
    public private(set) var area: Rect
    public private(set) var cells: [Cell]
    /// Text written is spelled in ASCII (`ASCIIFallback`): for a terminal without Unicode.
    public var asciiOnly = false

    public init(area: Rect, filling cell: Cell = .blank) {
        self.area = area
        cells = Array(repeating: cell, count: area.width * area.height)
    }

    /// Sets every cell to `cell`, keeping the memory.
    public mutating func reset(filling cell: Cell = .blank) {
        cells.withUnsafeMutableBufferPointer { $0.update(repeating: cell) }
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
            let start = index(clipped.x, y)!
            clearWideCharactersCut(x: clipped.x, width: clipped.width, y: y)
            cells.withUnsafeMutableBufferPointer { cells in
                UnsafeMutableBufferPointer(rebasing: cells[start..<start + clipped.width]).update(repeating: cell)
            }
        }
    }

    /// Before `width` cells from (x, y) are overwritten: a wide character that straddles either
    /// edge goes whole, so no half of one is left behind.
    private mutating func clearWideCharactersCut(x: Int, width: Int, y: Int) {
        if let first = index(x, y), cells[first].isContinuation { blank(x - 1, y) }
        if let next = index(x + width, y), cells[next].isContinuation { blank(x + width, y) }
    }

    /// Replaces a cell by a space in the same style.
    private mutating func blank(_ x: Int, _ y: Int) {
        guard let i = index(x, y) else { return }
        cells[i] = Cell(scalar: " ", styleBits: cells[i].styleBits)
    }

    /// Puts one character's cell at (x, y) the way a terminal would: a wide character also takes
    /// the next cell as its continuation, and a wide character partly overwritten disappears
    /// whole, so no half of one is ever left behind.
    public mutating func put(_ cell: Cell, x: Int, y: Int) {
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
        if asciiOnly, !ASCIIFallback.isASCII(text) {
            return write(ASCIIFallback.text(text), x: x, y: y, maxWidth: maxWidth, style: style)
        }
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
        // Nil outside: no contiguous UTF-8 (a bridged string); nil inside: not all simple.
        if case let columns?? = text.utf8.withContiguousStorageIfAvailable({ writeSimpleUTF8($0, x: x, y: y, limit: limit, style: style) }) {
            return columns
        }
        var column = 0
        var scalars = text.unicodeScalars.makeIterator()
        var current = scalars.next()
        var consumed = text.unicodeScalars.startIndex
        while let scalar = current {
            // The limit first: text that turns complex exactly at the limit still ends here,
            // where the orphaned half of a wide character is cleared.
            guard column < limit else { break }
            let next = scalars.next()
            guard Self.isSimple(scalar), next.map(Self.isSimple) ?? true else {
                guard column > 0 else { return nil }
                let rest = String(text.unicodeScalars[consumed...])
                return column + write(rest, x: x + column, y: y, maxWidth: limit - column, style: style)
            }
            let cx = x + column
            if cx >= area.x, let i = index(cx, y) {
                // Over the right half of a wide character: its left half goes too.
                if cells[i].isContinuation { blank(cx - 1, y) }
                cells[i] = Cell(scalar: scalar, styleBits: PackedStyle.pack(cells[i].style.patched(with: style)))
                // Over the left half of a wide character: its right half goes now, since the
                // text may turn complex here and hand the next cell to `put`, which would take
                // an orphaned right half for a wide character and clear this cell with it.
                if let after = index(cx + 1, y), cells[after].isContinuation { blank(cx + 1, y) }
            }
            column += 1
            consumed = text.unicodeScalars.index(after: consumed)
            current = next
        }
        // Over the left half of a wide character: its right half, now orphaned, goes.
        if column > 0, let next = index(x + column, y), cells[next].isContinuation { blank(x + column, y) }
        return column
    }

    /// Text whose every scalar is a one-column character of its own (`isSimple`; most of any
    /// screen), read straight from its UTF-8: a cell per scalar, and the style worked out once per
    /// run of cells with the same base style, not once per cell. Nil for anything else.
    private mutating func writeSimpleUTF8(_ bytes: UnsafeBufferPointer<UInt8>, x: Int, y: Int, limit: Int, style: Style) -> Int? {
        guard DisplayWidth.simpleColumns(bytes) != nil else { return nil }
        let limit = max(0, limit)
        let rowStart = (y - area.y) * area.width - area.x
        let left = area.x, right = area.right
        var column = 0
        var offset = 0
        cells.withUnsafeMutableBufferPointer { cells in
            var base = UInt64.max
            var patched: UInt64 = 0
            while offset < bytes.count, column < limit {
                let lead = bytes[offset]
                let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : 3
                let cx = x + column
                if cx >= left, cx < right {
                    let i = rowStart + cx
                    // Over the right half of a wide character: its left half goes too.
                    if cells[i].isContinuation, cx > left { cells[i - 1] = Cell(scalar: " ", styleBits: cells[i - 1].styleBits) }
                    if cells[i].styleBits != base {
                        base = cells[i].styleBits
                        patched = PackedStyle.pack(cells[i].style.patched(with: style))
                    }
                    cells[i] = Cell(utf8: bytes, at: offset, count: length, styleBits: patched)
                    // Over the left half of a wide character: its right half goes now, or the
                    // next cell would take it for a wide character and clear this one with it.
                    if cx + 1 < right, cells[i + 1].isContinuation { cells[i + 1] = Cell(scalar: " ", styleBits: cells[i + 1].styleBits) }
                }
                offset += length
                column += 1
            }
        }
        return column
    }

    private static func isSimple(_ scalar: Unicode.Scalar) -> Bool { DisplayWidth.isSimple(scalar.value) }

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
        let before = previous?.area == area ? previous?.cells : nil
        cells.withUnsafeBufferPointer { now in
            for i in now.indices {
                if let before, before[i] == now[i] { continue }
                if now[i].isContinuation { continue }
                result.append((area.x + i % area.width, area.y + i / area.width, now[i]))
            }
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

extension Cell: CustomDebugStringConvertible {
    public var debugDescription: String {
        "Cell(\(symbol.debugDescription), \(style)\(isContinuation ? ", continuation" : ""))"
    }
}
