import Foundation

/// Turns each frame into the bytes that bring the terminal from the previous frame to it, in one
/// piece for a single write: a frame that leaves in several writes reaches the terminal, and the
/// person, later.
///
/// Only changed cells are sent, with short cursor moves (a few unchanged letters are rewritten
/// rather than jumped over), attributes set only when they change, and blank row ends erased
/// rather than overwritten. When rows of the new frame are rows of the old one moved up or
/// down, as when a list scrolls, the terminal moves them itself inside a scroll region and only
/// the rows that came into view are written: a one-line scroll of a full-screen list costs about
/// one row of text, as it does in `less`.
public struct FrameEncoder {
    private let sequences: ControlSequences
    private let depth: Capabilities.ColorDepth
    private let unicode: Bool
    /// What the terminal shows; nil when unknown (the first frame, after a resize, after another
    /// program had the terminal), which makes the next frame clear and paint everything.
    private var screen: Buffer?
    /// Row hashes of `screen`, when the last frame worked them out (a scrolled list does, every
    /// frame).
    private var screenHashes: [UInt64]?
    private var cursor: (x: Int, y: Int)?
    /// The attributes the terminal writes with now (a downsampled style's packed bits); nil when
    /// unknown.
    private var pen: UInt64?
    /// Styles downsampled so far: a frame uses a handful, and finding the nearest palette colour
    /// is far dearer than this lookup.
    private var downsampled: [UInt64: UInt64] = [:]
    /// The last style downsampled: neighbouring cells mostly share one, and this spares the
    /// lookup for all but the first.
    private var lastDownsampled: (bits: UInt64, result: UInt64) = (0, 0)
    private var colorCodes: [UInt64: [UInt8]] = [:]
    /// The hash of a blank row of the width last seen.
    private var blankRowHash: (width: Int, hash: UInt64)?
    /// Rows the last frame's scroll moved into place on the strength of their hashes alone, to be
    /// checked byte for byte by `confirm`, with the picture they came from.
    private var unconfirmed: (previous: Buffer, shift: Int, rows: Range<Int>)?
    /// Tests set this to hash rows by their first cell only, so that hashes collide.
    var collidingHashesForTesting = false
    /// Arrays every frame needs, kept from frame to frame so that encoding one allocates nothing.
    private var scratch = Scratch()
    /// Counts changes to what the encoder knows of the terminal, so that a frame prepared from
    /// an older state of it is never sent.
    private var generation = 0

    private struct Scratch {
        var newHashes: [UInt64] = []
        var unchanged: [Bool] = []
        var changed: [Int] = []
        var shown: [Int] = []
        var votes: [Int] = []
    }

    public init(sequences: ControlSequences, capabilities: Capabilities) {
        self.sequences = sequences
        depth = capabilities.colors
        unicode = capabilities.unicode
    }

    /// Forgets what the terminal shows: the next frame starts from a cleared screen.
    public mutating func reset() {
        generation &+= 1
        unconfirmed = nil
        screen = nil
        screenHashes = nil
        cursor = nil
        pen = nil
    }

    /// Appends to `output` what turns the terminal's picture into `frame`. Returns the frame the
    /// terminal showed before, which the encoder no longer needs once `confirm` has run.
    ///
    /// Rows a scroll moves into place are matched by their hashes only: reading the old picture
    /// to compare them byte for byte would put its memory, long out of the caches, between the
    /// key and the frame. `confirm`, called once the bytes are written, makes that comparison and
    /// repaints any row whose hash collided; the next `encode` does it first if it was not called.
    @discardableResult
    public mutating func encode(_ frame: Buffer, into output: inout [UInt8]) -> Buffer? {
        confirm(into: &output)
        generation &+= 1
        let width = frame.area.width, height = frame.area.height
        guard width > 0, height > 0 else { return nil }
        if screen?.area != frame.area {
            output += sequences.resetAttributes
            output += sequences.clearScreen
            pen = 0
            cursor = nil
            screen = Buffer(area: frame.area)
            screenHashes = nil
        }
        let previous = screen!
        // Taken, not copied: the arrays go back, reused, at the end.
        var work = scratch
        scratch = Scratch()
        var oldHashes = screenHashes ?? []
        screenHashes = nil
        frame.cells.withUnsafeBufferPointer { new in
            previous.cells.withUnsafeBufferPointer { old in
                let rows = RowPair(new: new.baseAddress!, old: old.baseAddress!, width: width, firstCellOnly: collidingHashesForTesting)
                // Rows are hashed first, as the new frame is still in the cache from drawing it:
                // the old picture's rows are then read only where a hash says they may be equal,
                // which for a scrolled list is once each, not twice.
                work.newHashes.removeAll(keepingCapacity: true)
                for y in 0..<height { work.newHashes.append(rows.hash(new: y)) }
                if oldHashes.count != height {
                    oldHashes.removeAll(keepingCapacity: true)
                    for y in 0..<height { oldHashes.append(rows.hash(old: y)) }
                }
                work.unchanged.removeAll(keepingCapacity: true)
                work.changed.removeAll(keepingCapacity: true)
                for y in 0..<height {
                    let same = work.newHashes[y] == oldHashes[y] && rows.equal(new: y, old: y)
                    work.unchanged.append(same)
                    if !same { work.changed.append(y) }
                }
                // Which row of the old picture each row of the terminal shows now; -1 is blank.
                work.shown.removeAll(keepingCapacity: true)
                work.shown.append(contentsOf: 0..<height)
                let moved = scrollIfWorthIt(
                    rows, newHashes: work.newHashes, oldHashes: oldHashes, changed: work.changed,
                    votes: &work.votes, shown: &work.shown, frame: frame, output: &output)
                for y in 0..<height where (work.shown[y] != y || !work.unchanged[y]) && !moved.rows.contains(y) {
                    encodeRow(y, rows: rows, oldRow: work.shown[y], frame: frame, output: &output)
                }
                if !moved.rows.isEmpty { unconfirmed = (previous, moved.shift, moved.rows) }
            }
        }
        screen = frame
        // The new hashes become the screen's; the old ones' array is next frame's to fill.
        screenHashes = work.newHashes
        work.newHashes = oldHashes
        scratch = work
        return previous
    }

    /// Compares the rows the last frame's scroll moved into place with the frame, byte for byte,
    /// and appends what repaints any that only matched by hash (nothing, but for a collision).
    public mutating func confirm(into output: inout [UInt8]) {
        guard let check = unconfirmed, let frame = screen else { return }
        unconfirmed = nil
        generation &+= 1
        frame.cells.withUnsafeBufferPointer { new in
            check.previous.cells.withUnsafeBufferPointer { old in
                let rows = RowPair(new: new.baseAddress!, old: old.baseAddress!, width: frame.area.width)
                for y in check.rows where !rows.equal(new: y, old: y + check.shift) {
                    // The terminal shows another row here: blank it, then paint the frame's.
                    output += sequences.moveTo(frame.area.x, frame.area.y + y)
                    setPen(0, output: &output)
                    if let clearToEndOfLine = sequences.clearToEndOfLine {
                        output += clearToEndOfLine
                        cursor = (0, y)
                    } else {
                        output += repeatElement(0x20, count: frame.area.width)
                        cursor = nil
                    }
                    encodeRow(y, rows: rows, oldRow: -1, frame: frame, output: &output)
                }
            }
        }
    }

    // MARK: Frames prepared ahead

    /// The bytes that would show a frame, worked out without changing what the encoder knows,
    /// with the encoder as it would be after sending them: a frame the next key is likely to
    /// bring, made while the person has not pressed it yet.
    public struct PreparedFrame {
        /// Everything that shows the frame, the check of its scrolled rows included: one write.
        public let bytes: [UInt8]
        fileprivate let encoder: FrameEncoder
        fileprivate let basis: Int
        fileprivate let replaced: Buffer?
    }

    public func prepare(_ frame: Buffer) -> PreparedFrame {
        var after = self
        var bytes: [UInt8] = []
        let replaced = after.encode(frame, into: &bytes)
        // Off the path from key to frame, so checked now rather than after the write.
        after.confirm(into: &bytes)
        return PreparedFrame(bytes: bytes, encoder: after, basis: generation, replaced: replaced)
    }

    /// Whether `prepared` was made from the terminal's picture as the encoder knows it now:
    /// nothing was encoded, confirmed or reset since.
    public func canShow(_ prepared: PreparedFrame) -> Bool {
        prepared.basis == generation
    }

    /// Takes in that the prepared frame's bytes were written. Returns the frame the terminal
    /// showed before, as `encode` does.
    public mutating func adopt(_ prepared: PreparedFrame) -> Buffer? {
        precondition(canShow(prepared), "a prepared frame adopted after the picture it was made from changed")
        self = prepared.encoder
        return prepared.replaced
    }

    // MARK: Scrolling

    /// Finds the shift that explains most changed rows (new row y is old row y + shift), takes
    /// the longest run of rows it explains, and lets the terminal move that run, when that saves
    /// rewriting at least two rows. Returns the shift and the rows the terminal moved into place,
    /// whose hashes equal the new frame's (`confirm` compares their bytes).
    private mutating func scrollIfWorthIt(
        _ rows: RowPair, newHashes: [UInt64], oldHashes: [UInt64], changed: [Int], votes: inout [Int], shown: inout [Int],
        frame: Buffer, output: inout [UInt8]
    ) -> (shift: Int, rows: Range<Int>) {
        let height = frame.area.height
        guard height > 2, changed.count >= 2, let setScrollRegion = sequences.setScrollRegion else { return (0, 0..<0) }
        let blankHash = blankRowHash.flatMap { $0.width == rows.width ? $0.hash : nil } ?? rows.blankHash
        blankRowHash = (rows.width, blankHash)
        // Votes for each shift, offset by `height` to index an array.
        votes.removeAll(keepingCapacity: true)
        votes.append(contentsOf: repeatElement(0, count: 2 * height))
        for y in changed where newHashes[y] != blankHash {
            for source in 0..<height where source != y && oldHashes[source] == newHashes[y] {
                votes[source - y + height] += 1
            }
        }
        // The most votes; among equals, the smallest shift. (Plain loops over integers here and
        // below: this runs on every frame of a scrolling list.)
        var best = height
        for candidate in votes.indices where votes[candidate] > votes[best]
            || (votes[candidate] == votes[best] && abs(candidate - height) < abs(best - height)) {
            best = candidate
        }
        guard votes[best] >= 2 else { return (0, 0..<0) }
        let shift = best - height
        // The longest run of rows that the shift explains.
        var runFirst = 0, runLength = 0, start = -1
        for y in 0..<height {
            let source = y + shift
            let explained = source >= 0 && source < height && newHashes[y] == oldHashes[source]
            if explained {
                if start < 0 { start = y }
                if y - start + 1 > runLength {
                    runFirst = start
                    runLength = y - start + 1
                }
            } else {
                start = -1
            }
        }
        guard runLength > 0 else { return (0, 0..<0) }
        let run = (first: runFirst, last: runFirst + runLength - 1)
        var saved = 0
        for y in run.first...run.last where newHashes[y] != oldHashes[y] { saved += 1 }
        guard saved >= 2, let scroll = shift > 0 ? sequences.scrollForward : sequences.scrollReverse else { return (0, 0..<0) }

        setPen(0, output: &output)  // new lines take the current background
        if shift > 0 {
            // Content moves up: the region spans the run and the rows it came from below.
            let top = run.first, bottom = run.last + shift
            output += setScrollRegion(frame.area.y + top, frame.area.y + bottom)
            output += sequences.moveTo(frame.area.x, frame.area.y + bottom)
            for _ in 0..<shift { output += scroll }
            for y in top...bottom { shown[y] = y + shift <= bottom ? y + shift : -1 }
        } else {
            let lines = -shift
            let top = run.first - lines, bottom = run.last
            output += setScrollRegion(frame.area.y + top, frame.area.y + bottom)
            output += sequences.moveTo(frame.area.x, frame.area.y + top)
            for _ in 0..<lines { output += scroll }
            for y in top...bottom { shown[y] = y - lines >= top ? y - lines : -1 }
        }
        output += setScrollRegion(frame.area.y, frame.area.y + height - 1)
        // Setting a region homes the cursor on most terminals, and not on some.
        cursor = nil
        return (shift, run.first..<run.last + 1)
    }

    // MARK: Rows

    /// Row `y`, which changed in place or was moved by the scroll region (and is not the row
    /// the new frame has there).
    private mutating func encodeRow(_ y: Int, rows: RowPair, oldRow: Int, frame: Buffer, output: inout [UInt8]) {
        let width = rows.width
        let new = rows.new + y * width
        let old: UnsafePointer<Cell>? = oldRow >= 0 ? rows.old + oldRow * width : nil
        let blank = Cell.blank
        @inline(__always) func before(_ x: Int) -> Cell { old?[x] ?? blank }

        // A blank end of row is erased in one go when enough of it has to change.
        var end = width
        if let clearToEndOfLine = sequences.clearToEndOfLine {
            var contentEnd = width
            while contentEnd > 0, new[contentEnd - 1] == blank { contentEnd -= 1 }
            var stale = 0
            for x in contentEnd..<width where before(x) != blank { stale += 1 }
            if stale > clearToEndOfLine.count / 2 + 1 {
                end = contentEnd
            }
        }
        var x = 0
        while x < end {
            let cell = new[x]
            if cell.isContinuation {
                x += 1
                continue
            }
            let wide = x + 1 < width && new[x + 1].isContinuation
            guard cell != before(x) || (wide && new[x + 1] != before(x + 1)) else {
                x += 1
                continue
            }
            moveCursor(to: x, y, row: new, frame: frame, output: &output)
            setPen(downsample(cell.styleBits), output: &output)
            writeSymbol(of: cell, wide: wide, output: &output)
            x += wide ? 2 : 1
            cursor = x < width ? (x, y) : nil  // past the last column the cursor waits to wrap
        }
        if end < width {
            moveCursor(to: end, y, row: new, frame: frame, output: &output)
            setPen(0, output: &output)
            output += sequences.clearToEndOfLine!
        }
    }

    private mutating func moveCursor(to x: Int, _ y: Int, row: UnsafePointer<Cell>, frame: Buffer, output: inout [UInt8]) {
        if let cursor, cursor.y == y, cursor.x <= x {
            let gap = x - cursor.x
            if gap == 0 { return }
            // Unchanged cells in between: rewriting a few one-byte letters in the current
            // attributes is shorter than any cursor movement.
            if gap <= 3, (cursor.x..<x).allSatisfy({ i in
                row[i].byteCount == 1 && !row[i + 1].isContinuation && downsample(row[i].styleBits) == pen
            }) {
                for i in cursor.x..<x { writeSymbol(of: row[i], wide: false, output: &output) }
                self.cursor = (x, y)
                return
            }
            if let moveRight = sequences.moveRight {
                output += moveRight(gap)
                self.cursor = (x, y)
                return
            }
        }
        output += sequences.moveTo(frame.area.x + x, frame.area.y + y)
        cursor = (x, y)
    }

    private func writeSymbol(of cell: Cell, wide: Bool, output: inout [UInt8]) {
        // Most cells are one printable ASCII byte: straight in.
        if let byte = cell.asciiByte, byte >= 0x20, byte != 0x7F {
            output.append(byte)
            return
        }
        cell.withUTF8 { bytes in
            guard let first = bytes.first else {
                output.append(0x20)
                return
            }
            // Control characters never reach the terminal (Buffer keeps them out; this is the
            // last line of defence); a terminal that is not UTF-8 gets a placeholder per column.
            if first < 0x20 || first == 0x7F || (!unicode && first >= 0x80) {
                output.append(0x3F)
                if wide { output.append(0x3F) }
                return
            }
            output.append(contentsOf: bytes)
        }
    }

    // MARK: Attributes

    /// The style as the terminal can show it, as packed bits; the default colour is "no colour".
    private mutating func downsample(_ bits: UInt64) -> UInt64 {
        if bits == 0 { return 0 }
        if bits == lastDownsampled.bits { return lastDownsampled.result }
        if let known = downsampled[bits] {
            lastDownsampled = (bits, known)
            return known
        }
        var style = PackedStyle.unpack(bits).downsampled(to: depth)
        if style.foreground == .reset { style.foreground = nil }
        if style.background == .reset { style.background = nil }
        let result = PackedStyle.pack(style)
        downsampled[bits] = result
        lastDownsampled = (bits, result)
        return result
    }

    private mutating func setPen(_ bits: UInt64, output: inout [UInt8]) {
        guard bits != pen else { return }
        let target = PackedStyle.unpack(bits)
        var current = pen.map(PackedStyle.unpack) ?? Style(modifiers: Modifiers(rawValue: 0xFF))
        // Attributes only switch off all at once; so do colours going back to the default.
        if !current.modifiers.isSubset(of: target.modifiers)
            || (current.foreground != nil && target.foreground == nil)
            || (current.background != nil && target.background == nil) {
            output += sequences.resetAttributes
            current = .plain
        }
        let added = target.modifiers.subtracting(current.modifiers)
        if added.contains(.bold) { output += sequences.bold }
        if added.contains(.dim) { output += sequences.dim }
        if added.contains(.italic) { output += sequences.italic }
        if added.contains(.underline) { output += sequences.underline }
        if added.contains(.reverse) { output += sequences.reverse }
        if let foreground = target.foreground, foreground != current.foreground {
            output += colorCode(foreground, isBackground: false)
        }
        if let background = target.background, background != current.background {
            output += colorCode(background, isBackground: true)
        }
        pen = bits
    }

    private mutating func colorCode(_ color: Color, isBackground: Bool) -> [UInt8] {
        let key = PackedStyle.pack(Style(foreground: color)) | (isBackground ? 1 << 63 : 0)
        if let known = colorCodes[key] { return known }
        let code = sequences.color(color, isBackground)
        colorCodes[key] = code
        return code
    }
}

/// The new frame's rows and the old picture's rows, compared and hashed as plain memory (cells
/// are plain words, equal exactly when their bytes are).
private struct RowPair {
    let new: UnsafePointer<Cell>
    let old: UnsafePointer<Cell>
    let width: Int
    var firstCellOnly = false

    func equal(new y: Int, old source: Int) -> Bool {
        memcmp(new + y * width, old + source * width, width * MemoryLayout<Cell>.stride) == 0
    }

    func hash(new y: Int) -> UInt64 { Self.hash(new + y * width, firstCellOnly ? 1 : width) }
    func hash(old y: Int) -> UInt64 { Self.hash(old + y * width, firstCellOnly ? 1 : width) }

    var blankHash: UInt64 {
        withUnsafeTemporaryAllocation(of: Cell.self, capacity: width) { row in
            row.initialize(repeating: .blank)
            return Self.hash(UnsafePointer(row.baseAddress!), firstCellOnly ? 1 : width)
        }
    }

    /// Four independent multiply-xor lanes, so the row is hashed at memory speed.
    private static func hash(_ row: UnsafePointer<Cell>, _ width: Int) -> UInt64 {
        UnsafeRawPointer(row).withMemoryRebound(to: UInt64.self, capacity: width * 3) { words in
            var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x27D4_EB2F_1656_67C5)
            let count = width * 3
            var i = 0
            while i + 4 <= count {
                lanes.0 = (lanes.0 ^ words[i]) &* 0x100_0000_01B3
                lanes.1 = (lanes.1 ^ words[i + 1]) &* 0x100_0000_01B3
                lanes.2 = (lanes.2 ^ words[i + 2]) &* 0x100_0000_01B3
                lanes.3 = (lanes.3 ^ words[i + 3]) &* 0x100_0000_01B3
                i += 4
            }
            while i < count {
                lanes.0 = (lanes.0 ^ words[i]) &* 0x100_0000_01B3
                i += 1
            }
            return lanes.0 ^ (lanes.1 &* 31) ^ (lanes.2 &* 1_000_003) ^ (lanes.3 &* 0x5851_F42D_4C95_7F2D)
        }
    }
}
