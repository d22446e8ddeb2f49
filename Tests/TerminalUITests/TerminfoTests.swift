import Testing
import TerminalUI
@testable import CursesBackend

@Suite("Terminfo strings as the frame encoder sends them")
struct TerminfoTests {
    static func capability(_ text: String) -> [CChar] { Array(text.utf8CString) }

    @Test("Padding delays are dropped; everything else, and the terminator, is kept out or in as it should be",
          arguments: [
              ("\u{1B}[H\u{1B}[2J$<50>", "\u{1B}[H\u{1B}[2J"),
              ("\u{1B}[%i%p1%d;%p2%dr$<2/>", "\u{1B}[%i%p1%d;%p2%dr"),
              ("$<5*>\u{1B}M", "\u{1B}M"),
              ("\u{1B}[K", "\u{1B}[K"),
              ("costs $5", "costs $5"),
              ("$<unclosed", "$<unclosed"),
              ("\u{1B}[$<x>\u{1B}[>1m", "\u{1B}[$<x>\u{1B}[>1m"),
              ("a$<2.5*/>b", "ab"),
          ])
    func paddingIsStripped(raw: String, sent: String) {
        #expect(Terminfo.bytes(Self.capability(raw)) == Array(sent.utf8))
    }

    @Test func theCharacterSetResetLeavesXtermsSgr0() {
        #expect(Terminfo.withoutCharsetReset(Array("\u{1B}(B\u{1B}[m".utf8)) == Array("\u{1B}[m".utf8))
        #expect(Terminfo.withoutCharsetReset(Array("\u{1B}[0m\u{1B}(B".utf8)) == Array("\u{1B}[0m".utf8))
        // Nothing else to reset with: kept as it is.
        #expect(Terminfo.withoutCharsetReset(Array("\u{1B}(B".utf8)) == Array("\u{1B}(B".utf8))
        #expect(Terminfo.withoutCharsetReset(Array("\u{1B}[m\u{0F}".utf8)) == Array("\u{1B}[m\u{0F}".utf8))
    }

    @Test("ECMA-48 cursor moves and scroll regions, written digit by digit")
    func ansiNumbers() {
        let ansi = ControlSequences.ansi
        #expect(ansi.moveTo(0, 0) == Array("\u{1B}[1;1H".utf8))
        #expect(ansi.moveTo(119, 39) == Array("\u{1B}[40;120H".utf8))
        #expect(ansi.moveTo(9, 999) == Array("\u{1B}[1000;10H".utf8))
        #expect(ansi.moveRight?(7) == Array("\u{1B}[7C".utf8))
        #expect(ansi.moveRight?(1234) == Array("\u{1B}[1234C".utf8))
        #expect(ansi.setScrollRegion?(2, 38) == Array("\u{1B}[3;39r".utf8))
    }

    @Test func terminfoSequencesAreReplacedOnlyWhenTheyAgreeEverywhereProbed() {
        let ansi = ControlSequences.ansi
        let same: (Int, Int) -> [UInt8] = { x, y in Array("\u{1B}[\(y + 1);\(x + 1)H".utf8) }
        #expect(Terminfo.agree(same, ansi.moveTo))
        // A terminal that counts from zero, and one that differs only past two digits.
        #expect(!Terminfo.agree({ x, y in Array("\u{1B}[\(y);\(x)H".utf8) }, ansi.moveTo))
        #expect(!Terminfo.agree({ x, y in x > 99 ? [] : same(x, y) }, ansi.moveTo))
    }
}
