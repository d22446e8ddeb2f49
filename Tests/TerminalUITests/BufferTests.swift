import LMSTestSupport
import Testing
@testable import TerminalUI

@Suite("Buffer: cells, wide characters, diffing")
struct BufferTests {
    private func buffer(_ width: Int, _ height: Int = 1) -> Buffer {
        Buffer(area: Rect(x: 0, y: 0, width: width, height: height))
    }

    @Test func writesAsciiAndReportsColumns() {
        var b = buffer(10, 2)
        #expect(b.write("hello", x: 1, y: 0) == 5)
        #expect(b.lines == [" hello    ", "          "])
        #expect(b.write("abc", x: 0, y: 5) == 0)  // below the buffer
        #expect(b.write("abcdefghijkl", x: 8, y: 1) == 2)  // cut at the edge
        #expect(b.lines[1] == "        ab")
        #expect(b.write("abcdef", x: 0, y: 1, maxWidth: 3) == 3)
        #expect(b.lines[1] == "abc     ab")
    }

    /// Simple text is written a scalar per cell; the general path takes over wherever a scalar
    /// could join the one before it, so graphemes are never split.
    @Test("Text mixing simple scalars with combining marks, selectors, wide and emoji characters")
    func simpleAndGeneralPathsAgree() {
        let samples: [(String, [String])] = [
            ("€20·▶", ["€", "2", "0", "·", "▶"]),
            ("Cafe\u{301}!", ["C", "a", "f", "e\u{301}", "!"]),
            ("a→\u{FE0F}b", ["a", "→\u{FE0F}", "", "b"]),
            ("ab日c", ["a", "b", "日", "", "c"]),
            ("x👍🏽y", ["x", "👍🏽", "", "y"]),
            ("é\u{0}z", ["é", "z"]),
        ]
        for (text, expected) in samples {
            var b = Buffer(area: Rect(x: 0, y: 0, width: 12, height: 1))
            let used = b.write(text, x: 0, y: 0)
            #expect(used == expected.count, "\(text)")
            #expect((0..<expected.count).map { b[$0, 0].symbol } == expected, "\(text)")
            // Cut at every width: never more columns than allowed, never half a wide character.
            for limit in 0...expected.count {
                var cut = Buffer(area: Rect(x: 0, y: 0, width: 12, height: 1))
                let columns = cut.write(text, x: 0, y: 0, maxWidth: limit)
                #expect(columns <= limit, "\(text) in \(limit)")
                #expect(!cut[min(columns, 11), 0].isContinuation, "\(text) in \(limit)")
            }
        }
    }

    @Test func wideCharactersTakeTwoCells() {
        var b = buffer(8)
        #expect(b.write("日本a", x: 0, y: 0) == 5)
        #expect(b[0, 0].symbol == "日" && !b[0, 0].isContinuation)
        #expect(b[1, 0].isContinuation && b[1, 0].symbol.isEmpty)
        #expect(b[2, 0].symbol == "本" && b[3, 0].isContinuation)
        #expect(b[4, 0].symbol == "a" && !b[4, 0].isContinuation)
        // `lines` shows each wide character once, so a line is as wide as the buffer on screen.
        #expect(b.lines == ["日本a   "])
        b.checkInvariants()
    }

    @Test("A wide character that does not fit at the right edge is left out, never halved")
    func wideAtTheRightEdge() {
        var b = buffer(5)
        #expect(b.write("abcd日", x: 0, y: 0) == 4)
        #expect(b.lines == ["abcd "])
        #expect(!b[4, 0].isContinuation && b[4, 0].symbol == " ")
        b.checkInvariants()

        var exact = buffer(5)
        #expect(exact.write("abc日", x: 0, y: 0) == 5)
        #expect(exact.lines == ["abc日"])
        #expect(exact[4, 0].isContinuation)

        // The same at a maxWidth limit inside the buffer.
        var limited = buffer(10)
        #expect(limited.write("🔒🔒", x: 0, y: 0, maxWidth: 3) == 2)
        #expect(limited.lines == ["🔒        "])
        limited.checkInvariants()
    }

    @Test func writingFromTheLeftOfTheAreaClips() {
        var b = Buffer(area: Rect(x: 2, y: 0, width: 4, height: 1))
        b.write("abcdef", x: 0, y: 0)
        #expect(b.lines == ["cdef"])
        var wide = Buffer(area: Rect(x: 2, y: 0, width: 4, height: 1))
        wide.write("a日本", x: 0, y: 0)  // 日 straddles the left edge: left out
        #expect(wide.lines == [" 本 "])
        wide.checkInvariants()
    }

    @Test("Overwriting half of a wide character removes all of it")
    func overwritingHalfOfAWideCharacter() {
        var right = buffer(6)
        right.write("日本語", x: 0, y: 0)
        right.write("x", x: 1, y: 0)  // over the right half of 日
        #expect(right.lines == [" x本語"])
        right.checkInvariants()

        var left = buffer(6)
        left.write("日本語", x: 0, y: 0)
        left.write("x", x: 2, y: 0)  // over the left half of 本
        #expect(left.lines == ["日x 語"])
        left.checkInvariants()

        var shifted = buffer(6)
        shifted.write("日本語", x: 0, y: 0)
        shifted.write("🔒", x: 1, y: 0)  // straddles 日 and 本
        #expect(shifted.lines == [" 🔒 語"])
        shifted.checkInvariants()

        var filled = buffer(6)
        filled.write("日本語", x: 0, y: 0)
        filled.fill(Rect(x: 1, y: 0, width: 2, height: 1), with: Cell("-"))
        #expect(filled.lines == [" -- 語"])
        filled.checkInvariants()
    }

    @Test("Random writes of mixed-width text keep every row exactly as wide as the buffer")
    func randomWritesKeepInvariants() {
        var random = SeededRandom(seed: 42)
        let pieces = ["a", "bc", "日", "本語", "🔒", "🎌 x", "e\u{301}", "—", "ひらがな", " ", "✓", "\u{200B}"]
        for _ in 0..<200 {
            var b = buffer(Int.random(in: 1...12, using: &random), Int.random(in: 1...3, using: &random))
            for _ in 0..<10 {
                let text = (0..<Int.random(in: 1...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
                let x = Int.random(in: -3...12, using: &random), y = Int.random(in: -1...3, using: &random)
                if Bool.random(using: &random) {
                    b.write(text, x: x, y: y, maxWidth: Int.random(in: 0...12, using: &random))
                } else {
                    b.fill(Rect(x: x, y: y, width: Int.random(in: 0...5, using: &random), height: 1), with: Cell("#"))
                }
            }
            b.checkInvariants()
        }
    }

    @Test func spansKeepTheirStyles() {
        var b = buffer(12)
        let bold = Style(modifiers: .bold), red = Style(foreground: .red)
        #expect(b.write([Span("ab", style: bold), Span("日", style: red), Span("cd")], x: 0, y: 0, maxWidth: 5) == 5)
        #expect(b.lines == ["ab日c       "])
        #expect(b[0, 0].style == bold && b[2, 0].style == red && b[3, 0].style == red && b[4, 0].style == .plain)
    }

    @Test func stylesPatchWhatIsUnderneath() {
        var b = buffer(4)
        b.fill(b.area, with: Cell(" ", style: Style(foreground: .white, background: .blue)))
        b.write("ab", x: 0, y: 0, style: Style(foreground: .yellow, modifiers: .bold))
        #expect(b[0, 0].style == Style(foreground: .yellow, background: .blue, modifiers: .bold))
        b.setStyle(Style(modifiers: .reverse), in: Rect(x: 1, y: 0, width: 10, height: 10))
        #expect(b[1, 0].style.modifiers == [.bold, .reverse] && b[1, 0].symbol == "b")
        #expect(b[3, 0].style.modifiers == .reverse)
        #expect(b[9, 9] == .blank)  // outside: reads blank, writes ignored
        b[9, 9] = Cell("x")
        #expect(b.lines == ["ab  "])
    }

    @Test func controlCharactersAreNotWritten() {
        var b = buffer(6)
        #expect(b.write("a\u{1B}[2Jb\n", x: 0, y: 0) == 5)
        #expect(b.lines == ["a[2Jb "])
    }

    // MARK: Diffing

    @Test func changesSinceNothingIsEverything() {
        var b = buffer(4, 2)
        b.write("日ab", x: 0, y: 0)
        let changes = b.changes(since: nil)
        // Continuation cells are never sent: the terminal fills them with the wide character.
        #expect(changes.count == 7)
        #expect(changes.first.map { "\($0.x),\($0.y)=\($0.cell.symbol)" } == "0,0=日")
        #expect(!changes.contains { $0.cell.isContinuation })
    }

    @Test func changesAreOnlyTheChangedCells() {
        var before = buffer(10, 3)
        before.write("unchanged", x: 0, y: 0)
        before.write("old", x: 0, y: 1)
        var after = before
        #expect(after.changes(since: before).isEmpty)
        after.write("new", x: 0, y: 1)
        after.write("!", x: 9, y: 2, style: Style(modifiers: .bold))
        let changes = after.changes(since: before)
        #expect(changes.map { "\($0.x),\($0.y)=\($0.cell.symbol)" } == ["0,1=n", "1,1=e", "2,1=w", "9,2=!"])
        // A change of style alone is a change.
        var restyled = after
        restyled.setStyle(Style(modifiers: .underline), in: Rect(x: 0, y: 0, width: 1, height: 1))
        #expect(restyled.changes(since: after).map { "\($0.x),\($0.y)" } == ["0,0"])
    }

    @Test func everythingAfterTheAreaChanges() {
        var small = buffer(4, 2)
        small.write("ab", x: 0, y: 0)
        var large = buffer(5, 2)
        large.write("ab", x: 0, y: 0)
        #expect(large.changes(since: small).count == 10)
        let moved = Buffer(area: Rect(x: 1, y: 0, width: 4, height: 2))
        #expect(moved.changes(since: small).count == 8)
        #expect(moved.changes(since: small).first.map { "\($0.x),\($0.y)" } == "1,0")
    }

    @Test func wideToNarrowChangesAreSent() {
        var before = buffer(4)
        before.write("日本", x: 0, y: 0)
        var after = buffer(4)
        after.write("abcd", x: 0, y: 0)
        #expect(after.changes(since: before).map(\.cell.symbol) == ["a", "b", "c", "d"])
        #expect(before.changes(since: after).map(\.cell.symbol) == ["日", "本"])
    }

    @Test("A cell keeps its grapheme inline, whatever its UTF-8 length up to 15 bytes",
          arguments: ["a", "é", "€", "日", "🎌", "🇯🇵", "👍🏽", "1️⃣", "🧑‍💻", "🏳️‍🌈", "e\u{301}", ""])
    func inlineSymbols(_ symbol: String) {
        let cell = Cell(symbol)
        #expect(cell.symbol == symbol)
        var scalars: [Unicode.Scalar] = []
        cell.forEachScalar { scalars.append($0) }
        #expect(scalars == Array(symbol.unicodeScalars))
        if symbol.unicodeScalars.count == 1 {
            #expect(Cell(scalar: symbol.unicodeScalars.first!, styleBits: PackedStyle.pack(.plain)) == cell, "the scalar initialiser packs the same bytes")
        }
    }

    @Test func aClusterTooLongForACellKeepsItsFirstScalar() {
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦"
        #expect(family.utf8.count > 15)
        #expect(Cell(family).symbol == "👨")
        var b = buffer(6)
        b.write(family + family, x: 0, y: 0)
        #expect(b.lines == ["👨👨  "])
    }

    @Test func printableASCIIAndTheGeneralPathWriteTheSameCells() {
        // The same text with a control character in it takes the general path for the whole text.
        var fast = buffer(12)
        fast.fill(Rect(x: 0, y: 0, width: 6, height: 1), with: Cell(" ", style: Style(background: .blue)))
        fast.write("plain ascii!", x: 1, y: 0, maxWidth: 9, style: Style(foreground: .red))
        var general = buffer(12)
        general.fill(Rect(x: 0, y: 0, width: 6, height: 1), with: Cell(" ", style: Style(background: .blue)))
        general.write("plain ascii\u{7}!", x: 1, y: 0, maxWidth: 9, style: Style(foreground: .red))
        #expect(fast.lines == [" plain asc  "])
        #expect(fast == general)
        #expect(fast[1, 0].style == Style(foreground: .red, background: .blue))
        #expect(fast[7, 0].style == Style(foreground: .red))
    }

    @Test("Text that turns complex right after overwriting the left half of a wide character keeps what it wrote")
    func complexTextOverAWideCharacter() {
        var b = buffer(8)
        b.write("日", x: 3, y: 0)
        b.write("ab\u{301}c", x: 3, y: 0)
        #expect(b.lines == ["   ab\u{301}c  "])
        b.checkInvariants()
        // Both halves overwritten, on every path: ASCII, simple UTF-8, general.
        for text in ["ab", "€1", "a\u{301}b"] {
            var over = buffer(6)
            over.write("日本", x: 0, y: 0)
            over.write(text, x: 0, y: 0)
            #expect(over.lines == [text + "本  "], "\(text)")
            over.checkInvariants()
        }
    }

    @Test("Simple non-ASCII text (prices, separators, box drawing) read from UTF-8 gives the general path's cells",
          arguments: ["€12.00 · 7h 32m", "café — ½ ✓ owned", "│ ┃ ─ ▶ ◐", "naïve ±5% ← →"])
    func simpleUTF8AndTheGeneralPathWriteTheSameCells(_ text: String) {
        // A control character at the end sends the whole text down the general path.
        for (x, limit) in [(0, 40), (2, 7), (-3, 12)] {
            var fast = buffer(24)
            fast.fill(Rect(x: 0, y: 0, width: 5, height: 1), with: Cell(" ", style: Style(background: .blue)))
            fast.write("日本", x: 6, y: 0)
            fast.write(text, x: x, y: 0, maxWidth: limit, style: Style(foreground: .red))
            var general = buffer(24)
            general.fill(Rect(x: 0, y: 0, width: 5, height: 1), with: Cell(" ", style: Style(background: .blue)))
            general.write("日本", x: 6, y: 0)
            general.write(text + "\u{7}", x: x, y: 0, maxWidth: limit, style: Style(foreground: .red))
            #expect(fast == general, "\(text) at \(x) in \(limit): \(fast.lines) vs \(general.lines)")
            fast.checkInvariants()
        }
    }
}
