import LMSTestSupport
import Testing
import TerminalUI

@Suite("DisplayWidth")
struct DisplayWidthTests {
    @Test func ascii() {
        #expect(DisplayWidth.of("hello, world") == 12)
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of(Character("a")) == 1)
    }

    @Test("Text measured on the fast path (simple scalars from UTF-8) is as wide as its characters say",
          arguments: ["€12.00 · 7h 32m", "Ada · learner ", "lms › Home › Catalog", "naïve — ½ ✓ owned ◐ ┃", "café\u{301}", "· \u{FE0F}",
                      "→\u{200D}x", "£5 ⟳ syncing", "a\u{7}€", "Ωmega ½", "\u{2028}", "ab\u{25FD}"])
    func simpleScalarsMeasureAsCharacters(_ text: String) {
        #expect(DisplayWidth.of(text) == text.reduce(0) { $0 + DisplayWidth.of($1) })
    }

    @Test func eastAsianWide() {
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("ひらがな") == 8)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("ＡＢ") == 4)  // full-width Latin
        #expect(DisplayWidth.of("日本語 入門 — Japanese for Beginners 🎌") == 6 + 1 + 4 + 3 + 22 + 1 + 2)
    }

    @Test func emoji() {
        #expect(DisplayWidth.of("🎌") == 2)
        #expect(DisplayWidth.of("🔒") == 2)
        #expect(DisplayWidth.of("🈁") == 2)
        #expect(DisplayWidth.of("❤️") == 2)  // text-style heart with the emoji selector
        #expect(DisplayWidth.of("✓") == 1)
        #expect(DisplayWidth.of("█░▶◐") == 4)
    }

    @Test func combiningMarks() {
        // One character: e + combining acute accent.
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("cafe\u{301}") == 4)
        #expect(DisplayWidth.of("が") == 2)
        // A lone combining mark takes no column.
        #expect(DisplayWidth.of(Character("\u{301}")) == 0)
    }

    @Test func controlCharactersTakeNoColumn() {
        #expect(DisplayWidth.of("\u{7}") == 0)
        #expect(DisplayWidth.of("\t") == 0)
        #expect(DisplayWidth.of("a\u{1B}b") == 2)
        #expect(DisplayWidth.of("\u{85}") == 0)
    }

    @Test("Flags, ZWJ sequences, skin tones and keycaps do not crash and count at least 1",
          arguments: ["🇯🇵", "🇺🇳🇫🇷", "👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "1️⃣", "🧑‍💻", "\u{200D}", "\u{FE0F}", "a\u{200B}b"])
    func complexSequences(_ text: String) {
        let width = DisplayWidth.of(text)
        #expect(width >= 0 && width <= 2 * text.count + 2)
        if text.unicodeScalars.first!.properties.isEmojiPresentation { #expect(width == 2 * text.count) }
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 5, height: 1))
        buffer.write(text + text + text, x: 0, y: 0)
        buffer.checkInvariants()
    }

    @Test func zeroWidthOnTheirOwn() {
        #expect(DisplayWidth.of(Character("\u{200B}")) == 0)  // zero-width space
        #expect(DisplayWidth.of(Character("\u{200D}")) == 0)  // zero-width joiner
        #expect(DisplayWidth.of(Character("\u{FEFF}")) == 0)  // byte order mark
        #expect(DisplayWidth.of(Character("\u{FE0F}")) == 0)  // a variation selector with nothing to select
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
    }

    @Test func truncate() {
        #expect(DisplayWidth.truncate("Swift Fundamentals", to: 100) == "Swift Fundamentals")
        #expect(DisplayWidth.truncate("Swift Fundamentals", to: 8) == "Swift F…")
        #expect(DisplayWidth.truncate("日本語 入門", to: 5) == "日本…")
        // A wide character never straddles the limit: 4 columns hold 日 and the ellipsis.
        #expect(DisplayWidth.truncate("日本語", to: 4) == "日…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("日本語", to: 4)) == 3)
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.truncate("abc", to: 1) == "a")
        #expect(DisplayWidth.truncate("日本", to: 1) == "")
    }

    @Test func prefixFitting() {
        let (head, used) = DisplayWidth.prefix("日本語", fitting: 5)
        #expect(head == "日本" && used == 4)
        #expect(DisplayWidth.prefix("abc", fitting: 0).0.isEmpty)
        #expect(DisplayWidth.prefix("🎌x", fitting: 3) == ("🎌x", 3))
    }

    @Test("Truncation always fits", arguments: 0...12)
    func truncationFits(columns: Int) {
        for text in ["日本語 入門 — Japanese for Beginners 🎌", "Hiragana quiz 🈁", "plain ascii text", "🔒🔒🔒🔒🔒🔒🔒"] {
            #expect(DisplayWidth.of(DisplayWidth.truncate(text, to: columns)) <= columns)
        }
    }
}
