import LMSTestSupport
import Testing
import TerminalUI

@testable import CursesBackend

@Suite("Terminals without Unicode or keypad sequences")
struct ASCIIFallbackTests {
    @Test("What has an ASCII spelling gets it; anything else one visible ? per character")
    func spellings() {
        #expect(ASCIIFallback.text("€49.00") == "EUR 49.00")
        #expect(ASCIIFallback.text("Ada · learner") == "Ada - learner")
        #expect(ASCIIFallback.text("Café — déjà vu…") == "Cafe -- deja vu...")
        #expect(ASCIIFallback.text("日本語 入門") == "??? ??")
        #expect(ASCIIFallback.text("plain text") == "plain text")
        #expect(ASCIIFallback.isASCII(ASCIIFallback.text("🔒 ✓ ◐ ○ ▶ ≡ ┃ 🎌")))
    }

    @Test("A terminal without Unicode gets only ASCII, laid out in the columns it takes")
    func terminalWithoutUnicode() {
        let backend = TestBackend(width: 20, height: 2, capabilities: Capabilities(colors: .sixteen, unicode: false))
        let terminal = Terminal(backend: backend)
        terminal.draw { buffer in
            let used = buffer.write("日本 €5", x: 0, y: 0)
            buffer.write("|", x: used, y: 0)
            buffer.write([Span("Ada"), Span(" · "), Span("learner")], x: 0, y: 1)
        }
        #expect(backend.lines == ["?? EUR 5|           ", "Ada - learner       "])
        #expect(backend.lines.joined().utf8.allSatisfy { $0 < 0x80 })
    }

    @Test("Keypad sequences curses did not decode are keys, never Esc", arguments: [
        ("A", "", Key.up), ("B", "", .down), ("C", "", .right), ("D", "", .left), ("H", "", .home), ("F", "", .end),
        ("~", "5", .pageUp), ("~", "6", .pageDown), ("~", "1", .home), ("~", "4", .end), ("~", "3", .delete), ("Z", "", .backTab),
        ("B", "1;5", .down),
    ])
    func keypadSequences(final: Character, parameters: String, key: Key) {
        #expect(CursesBackend.csiKey(final: final, parameters: parameters) == key)
    }

    @Test func unknownSequencesAreIgnored() {
        #expect(CursesBackend.csiKey(final: "P", parameters: "") == nil)
        #expect(CursesBackend.csiKey(final: "~", parameters: "2") == nil)
    }
}
