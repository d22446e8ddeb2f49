import LMSTestSupport
import Testing
import TerminalUI

@Suite("Terminal and TestBackend")
struct TerminalTests {
    @Test func onlyChangedCellsReachTheBackend() {
        let backend = TestBackend(width: 20, height: 4)
        let terminal = Terminal(backend: backend)
        terminal.draw { $0.write("Hello", x: 0, y: 0) }
        // The first frame clears the screen; the blanks after "Hello" are erased, not printed.
        #expect(backend.lastWritePrinted == 5)
        #expect(backend.lines[0] == "Hello               ")
        terminal.draw { $0.write("Hello", x: 0, y: 0) }
        #expect(backend.lastWritePrinted == 0)
        terminal.draw { $0.write("Help!", x: 0, y: 0) }
        #expect(backend.lastWritePrinted == 2)
        #expect(backend.lines[0] == "Help!               ")
        #expect(backend.cellsWritten == 7)
        #expect(backend.writes == 3)
        terminal.invalidate()
        terminal.draw { $0.write("Help!", x: 0, y: 0) }
        #expect(backend.lastWritePrinted == 5)
    }

    @Test("A prepared frame shows only when asked, and never after the screen changed")
    func preparedFrames() {
        let backend = TestBackend(width: 12, height: 2)
        let terminal = Terminal(backend: backend)
        #expect(!terminal.showPrepared())
        terminal.draw { $0.write("one", x: 0, y: 0) }
        terminal.prepare { $0.write("two", x: 0, y: 0) }
        #expect(backend.lines[0] == "one         ")
        #expect(terminal.showPrepared())
        #expect(backend.lines[0] == "two         ")
        #expect(backend.lastWritePrinted == 3)
        #expect(!terminal.showPrepared(), "a prepared frame is shown once")

        terminal.prepare { $0.write("three", x: 0, y: 0) }
        terminal.draw { $0.write("four", x: 0, y: 1) }
        #expect(!terminal.showPrepared(), "drawing another frame drops the prepared one")
        #expect(backend.lines == ["            ", "four        "])

        terminal.prepare { $0.write("five", x: 0, y: 0) }
        terminal.invalidate()
        #expect(!terminal.showPrepared(), "a cleared screen drops the prepared frame")

        terminal.prepare { $0.write("six", x: 0, y: 0) }
        terminal.prepare { $0.write("seven", x: 0, y: 0) }
        #expect(terminal.showPrepared())
        #expect(backend.lines[0] == "seven       ")
        #expect(terminal.preparedFramesShown == 2)
    }

    @Test("Several frames prepared at once: the one asked for is shown, equal frames are one")
    func severalPreparedFrames() {
        let backend = TestBackend(width: 12, height: 2)
        let terminal = Terminal(backend: backend)
        terminal.draw { $0.write("base", x: 0, y: 0) }
        let up = terminal.prepare { $0.write("up", x: 0, y: 0) }
        let down = terminal.prepare { $0.write("down", x: 0, y: 1) }
        let downAgain = terminal.prepare { $0.write("down", x: 0, y: 1) }
        #expect(up != down)
        #expect(down == downAgain, "an equal frame shares the one prepared before")
        let writes = backend.writes
        #expect(terminal.showPrepared(up))
        #expect(backend.lines == ["up          ", "            "])
        #expect(backend.writes == writes + 1)
        #expect(!terminal.showPrepared(down), "showing one drops the others: they were made for the old picture")

        let first = terminal.prepare { $0.write("a", x: 0, y: 0) }
        #expect(!terminal.showPrepared(first + 1), "no such frame")
        #expect(backend.lines == ["up          ", "            "])
    }

    @Test func coloursAreDownsampledToTheBackend() {
        let backend = TestBackend(width: 4, height: 1, capabilities: Capabilities(colors: .sixteen, unicode: true))
        Terminal(backend: backend).draw { $0.write("ab", x: 0, y: 0, style: Style(foreground: .rgb(255, 0, 0), background: .indexed(232))) }
        #expect(backend.screen[0, 0].style == Style(foreground: .ansi(9), background: .ansi(0)))

        let mono = TestBackend(width: 4, height: 1, capabilities: Capabilities(colors: .monochrome, unicode: false))
        Terminal(backend: mono).draw { $0.write("ab", x: 0, y: 0, style: Style(foreground: .red, background: .blue, modifiers: .bold)) }
        #expect(mono.screen[0, 0].style == Style(modifiers: [.bold, .reverse]))
        #expect(mono.screen[2, 0].style == .plain)
    }

    @Test("After any sequence of frames the screen shows exactly the last frame")
    func diffedFramesMatchTheBuffer() {
        var random = SeededRandom(seed: 2024)
        let pieces = ["a", "bc", "日", "本語", "🔒", "🎌", " ", "✓", "ひら", "xyz"]
        for _ in 0..<40 {
            let backend = TestBackend(width: Int.random(in: 1...9, using: &random), height: 2)
            let terminal = Terminal(backend: backend)
            for _ in 0..<15 {
                var expected: [String] = []
                terminal.draw { buffer in
                    for y in 0..<2 {
                        let text = (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
                        buffer.write(text, x: Int.random(in: 0...3, using: &random), y: y)
                    }
                    expected = buffer.lines
                }
                #expect(backend.lines == expected)
                backend.screen.checkInvariants()
            }
        }
    }

    @Test func eventsAndResize() {
        let backend = TestBackend(width: 10, height: 3)
        backend.pendingEvents = [.key(.character("a")), .key(.ctrl("c"))]
        #expect(backend.nextEvent(timeoutMilliseconds: 0) == .key(.character("a")))
        backend.resize(width: 5, height: 2)
        #expect(backend.size == (5, 2))
        #expect(backend.nextEvent(timeoutMilliseconds: 0) == .key(.ctrl("c")))
        #expect(backend.nextEvent(timeoutMilliseconds: 0) == .resize(width: 5, height: 2))
        #expect(backend.nextEvent(timeoutMilliseconds: 0) == nil)
        let terminal = Terminal(backend: backend)
        #expect(terminal.area == Rect(x: 0, y: 0, width: 5, height: 2))
        terminal.draw { $0.write("日本語", x: 0, y: 0) }
        #expect(backend.lines == ["日本 ", "     "])
    }
}
