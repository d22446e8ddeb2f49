import LMSTestSupport
import Testing
@testable import TerminalUI

@Suite("FrameEncoder: frames as terminal output")
struct FrameEncoderTests {
    /// What a frame looks like on a terminal of this depth: colours downsampled, the default
    /// colour written as no colour.
    static func shown(_ frame: Buffer, depth: Capabilities.ColorDepth) -> Buffer {
        var expected = frame
        for y in 0..<frame.area.height {
            for x in 0..<frame.area.width {
                var style = frame[x, y].style.downsampled(to: depth)
                if style.foreground == .reset { style.foreground = nil }
                if style.background == .reset { style.background = nil }
                expected[x, y].style = style
            }
        }
        return expected
    }

    /// What a fresh encoder sends for `frame` on a 16-colour terminal.
    static func firstFrame(_ frame: Buffer, unicode: Bool) -> [UInt8] {
        var encoder = FrameEncoder(sequences: .ansi, capabilities: Capabilities(colors: .sixteen, unicode: unicode))
        var output: [UInt8] = []
        encoder.encode(frame, into: &output)
        return output
    }

    static func firstDifference(_ a: Buffer, _ b: Buffer) -> (Int, Int)? {
        for y in 0..<a.area.height {
            for x in 0..<a.area.width where a[x, y] != b[x, y] { return (x, y) }
        }
        return nil
    }

    static let pieces = ["a", "bc", "日", "本語", "🔒", "🇫🇷", "é", "e\u{301}", " ", "✓", "ひら", "xyz", "lesson ", "—", "€12.00"]
    static let styles: [Style] = [
        .plain, Style(modifiers: .bold), Style(foreground: .red), Style(foreground: .gray, modifiers: .dim),
        Style(background: .blue, modifiers: .reverse), Style(foreground: .indexed(208), background: .indexed(236)),
        Style(foreground: .rgb(250, 180, 20), modifiers: [.italic, .underline]), Style(foreground: .reset, background: .reset),
    ]

    static func randomFrame(width: Int, height: Int, using random: inout SeededRandom) -> Buffer {
        var frame = Buffer(area: Rect(x: 0, y: 0, width: width, height: height))
        for y in 0..<height where Bool.random(using: &random) || y == 0 {
            let text = (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            frame.write(text, x: Int.random(in: 0...4, using: &random), y: y, style: styles.randomElement(using: &random)!)
            if Int.random(in: 0..<4, using: &random) == 0 {
                frame.fill(Rect(x: 0, y: y, width: width, height: 1), with: Cell(" ", style: styles.randomElement(using: &random)!))
            }
        }
        return frame
    }

    /// The frame with a band of rows moved up or down, as a scrolled list: the encoder's
    /// scroll shortcut must reproduce exactly this.
    static func scrolled(_ frame: Buffer, using random: inout SeededRandom) -> Buffer {
        let height = frame.area.height, width = frame.area.width
        let top = Int.random(in: 0..<height - 2, using: &random)
        let bottom = Int.random(in: top + 2..<height, using: &random)
        let shift = Int.random(in: 1...max(1, (bottom - top) / 2), using: &random) * (Bool.random(using: &random) ? 1 : -1)
        var moved = frame
        for y in top...bottom {
            let source = y + shift
            for x in 0..<width {
                moved[x, y] = source >= top && source <= bottom ? frame[x, source] : .blank
            }
        }
        // The rows that came into view, and a changed row elsewhere (a status line).
        let fresh = randomFrame(width: width, height: height, using: &random)
        for y in top...bottom where y + shift < top || y + shift > bottom {
            for x in 0..<width { moved[x, y] = fresh[x, y] }
        }
        moved.write("\(shift)", x: 0, y: Int.random(in: 0..<height, using: &random))
        return moved
    }

    @Test("After every frame the terminal shows exactly that frame", arguments: [
        Capabilities.ColorDepth.monochrome, .eight, .sixteen, .indexed256, .truecolor,
    ])
    func emulatedScreenMatchesEveryFrame(depth: Capabilities.ColorDepth) {
        var random = SeededRandom(seed: 7 + UInt64(depth.rawValue))
        for _ in 0..<30 {
            let width = Int.random(in: 1...24, using: &random), height = Int.random(in: 1...12, using: &random)
            var encoder = FrameEncoder(sequences: .ansi, capabilities: Capabilities(colors: depth, unicode: true))
            var terminal = ScreenEmulator(width: width, height: height)
            var frame = Self.randomFrame(width: width, height: height, using: &random)
            for step in 0..<25 {
                var output: [UInt8] = []
                encoder.encode(frame, into: &output)
                encoder.confirm(into: &output)
                terminal.feed(output)
                let expected = Self.shown(frame, depth: depth)
                if let (x, y) = Self.firstDifference(terminal.screen, expected) {
                    Issue.record("step \(step), \(width)×\(height): at (\(x), \(y)) the terminal shows \(terminal.screen[x, y]), not \(expected[x, y]); rows \(terminal.screen.lines) for \(expected.lines)")
                    return
                }
                frame = height > 3 && Bool.random(using: &random) ? Self.scrolled(frame, using: &random) : Self.randomFrame(width: width, height: height, using: &random)
            }
        }
    }

    /// Scrolled rows are matched by hash and checked after the write: with hashes that collide
    /// (rows hashed by their first cell), wrong rows do get scrolled into place, and `confirm`
    /// must leave the terminal showing exactly the frame all the same.
    @Test func collidingHashesAreCaughtAndRepainted() {
        var random = SeededRandom(seed: 99)
        var repaints = 0
        for _ in 0..<40 {
            let width = Int.random(in: 4...24, using: &random), height = Int.random(in: 4...12, using: &random)
            var encoder = FrameEncoder(sequences: .ansi, capabilities: Capabilities(colors: .indexed256, unicode: true))
            encoder.collidingHashesForTesting = true
            var terminal = ScreenEmulator(width: width, height: height)
            var frame = Self.randomFrame(width: width, height: height, using: &random)
            for step in 0..<25 {
                var output: [UInt8] = []
                encoder.encode(frame, into: &output)
                var check: [UInt8] = []
                encoder.confirm(into: &check)
                if !check.isEmpty { repaints += 1 }
                terminal.feed(output + check)
                let expected = Self.shown(frame, depth: .indexed256)
                if let (x, y) = Self.firstDifference(terminal.screen, expected) {
                    Issue.record("step \(step), \(width)×\(height): at (\(x), \(y)) the terminal shows \(terminal.screen[x, y]), not \(expected[x, y])")
                    return
                }
                frame = Bool.random(using: &random) ? Self.scrolled(frame, using: &random) : Self.randomFrame(width: width, height: height, using: &random)
            }
        }
        #expect(repaints > 0, "no collision was ever scrolled into place: the test checks nothing")
    }

    /// Frames prepared ahead, some shown and some dropped in favour of another frame, as the app
    /// does with the frame of a predicted key: the terminal shows exactly each frame sent, and a
    /// prepared frame is refused once the picture it was made from changed.
    @Test func preparedFramesShowExactlyTheirFrame() {
        var random = SeededRandom(seed: 314)
        var shownPrepared = 0, refused = 0
        for _ in 0..<30 {
            let width = Int.random(in: 4...24, using: &random), height = Int.random(in: 4...12, using: &random)
            var encoder = FrameEncoder(sequences: .ansi, capabilities: Capabilities(colors: .indexed256, unicode: true))
            encoder.collidingHashesForTesting = Bool.random(using: &random)
            var terminal = ScreenEmulator(width: width, height: height)
            var frame = Self.randomFrame(width: width, height: height, using: &random)
            var output: [UInt8] = []
            encoder.encode(frame, into: &output)
            terminal.feed(output)
            for step in 0..<25 {
                let next = Bool.random(using: &random) ? Self.scrolled(frame, using: &random) : Self.randomFrame(width: width, height: height, using: &random)
                let prepared = encoder.prepare(next)
                #expect(encoder.canShow(prepared))
                switch Int.random(in: 0..<3, using: &random) {
                case 0:
                    // The prediction held: its bytes are written, the encoder takes them in.
                    terminal.feed(prepared.bytes)
                    let replaced = encoder.adopt(prepared)
                    #expect(replaced?.cells == frame.cells)
                    frame = next
                    shownPrepared += 1
                case 1:
                    // Another frame went out instead: the prepared one no longer applies.
                    frame = Self.randomFrame(width: width, height: height, using: &random)
                    output = []
                    encoder.encode(frame, into: &output)
                    encoder.confirm(into: &output)
                    terminal.feed(output)
                    #expect(!encoder.canShow(prepared), "a prepared frame stayed valid after another frame was encoded")
                    refused += 1
                default:
                    // A resize or another program: everything is repainted.
                    encoder.reset()
                    #expect(!encoder.canShow(prepared))
                    terminal = ScreenEmulator(width: width, height: height)
                    output = []
                    encoder.encode(frame, into: &output)
                    terminal.feed(output)
                }
                let expected = Self.shown(frame, depth: .indexed256)
                if let (x, y) = Self.firstDifference(terminal.screen, expected) {
                    Issue.record("step \(step), \(width)×\(height): at (\(x), \(y)) the terminal shows \(terminal.screen[x, y]), not \(expected[x, y])")
                    return
                }
            }
        }
        #expect(shownPrepared > 100)
        #expect(refused > 100)
    }

    /// `Terminal` over a backend that encodes as `CursesBackend` does, into the emulator: frames
    /// drawn, prepared and shown, prepared and dropped, with the screen cleared now and then.
    @Test func terminalWithPreparedFramesShowsEachFrame() {
        var random = SeededRandom(seed: 2718)
        for _ in 0..<20 {
            let width = Int.random(in: 4...24, using: &random), height = Int.random(in: 4...12, using: &random)
            let backend = TestBackend(width: width, height: height, capabilities: Capabilities(colors: .indexed256, unicode: true))
            let terminal = Terminal(backend: backend)
            var shown = Buffer(area: Rect(x: 0, y: 0, width: width, height: height))
            for step in 0..<40 {
                let next = Bool.random(using: &random) ? Self.scrolled(shown, using: &random) : Self.randomFrame(width: width, height: height, using: &random)
                let paint: (inout Buffer) -> Void = { buffer in buffer = next }
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    terminal.draw(paint)
                    shown = next
                case 1:
                    terminal.prepare(paint)
                    #expect(terminal.showPrepared())
                    shown = next
                case 2:
                    terminal.prepare(paint)
                    let instead = Self.randomFrame(width: width, height: height, using: &random)
                    terminal.draw { buffer in buffer = instead }
                    #expect(!terminal.showPrepared())
                    shown = instead
                default:
                    terminal.prepare(paint)
                    terminal.invalidate()
                    // Another program wrote on the terminal: the next frame must not rely on it.
                    backend.scribble()
                    #expect(!terminal.showPrepared())
                    terminal.draw { [shown] buffer in buffer = shown }
                }
                let expected = Self.shown(shown, depth: .indexed256)
                if let (x, y) = Self.firstDifference(backend.screen, expected) {
                    Issue.record("step \(step), \(width)×\(height): at (\(x), \(y)) the terminal shows \(backend.screen[x, y]), not \(expected[x, y])")
                    return
                }
            }
        }
    }

    @Test func anUnchangedFrameCostsNothing() {
        var random = SeededRandom(seed: 1)
        let frame = Self.randomFrame(width: 30, height: 8, using: &random)
        var encoder = FrameEncoder(sequences: .ansi, capabilities: Capabilities(colors: .indexed256, unicode: true))
        var output: [UInt8] = []
        encoder.encode(frame, into: &output)
        #expect(!output.isEmpty)
        output = []
        encoder.encode(frame, into: &output)
        #expect(output.isEmpty)
    }

    @Test("A list scrolled by a line is shifted by the terminal: about one row of text is sent")
    func scrollingAListSendsOneRow() {
        func list(from first: Int) -> Buffer {
            var frame = Buffer(area: Rect(x: 0, y: 0, width: 100, height: 40))
            frame.write("Catalog", x: 0, y: 0, style: Style(modifiers: .bold))
            for row in 0..<38 {
                frame.write("Course \(first + row) · an introduction to something long enough to fill the row", x: 2, y: row + 1)
            }
            frame.write("status: synced", x: 0, y: 39, style: Style(modifiers: .reverse))
            return frame
        }
        var encoder = FrameEncoder(sequences: .ansi, capabilities: Capabilities(colors: .sixteen, unicode: true))
        var terminal = ScreenEmulator(width: 100, height: 40)
        var output: [UInt8] = []
        encoder.encode(list(from: 0), into: &output)
        terminal.feed(output)
        for (first, direction) in [(1, "down"), (2, "down"), (1, "up"), (0, "up")] {
            output = []
            encoder.encode(list(from: first), into: &output)
            terminal.feed(output)
            #expect(terminal.screen == list(from: first))
            #expect(output.count < 120, "scrolling \(direction) sent \(output.count) bytes")
        }
        // A page down: nothing to shift, every row is new.
        output = []
        encoder.encode(list(from: 38), into: &output)
        terminal.feed(output)
        #expect(terminal.screen == list(from: 38))
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        var frame = Buffer(area: Rect(x: 0, y: 0, width: 6, height: 1))
        frame[0, 0] = Cell("\u{1B}")
        frame[1, 0] = Cell("\u{07}")
        frame[2, 0] = Cell("a")
        let output = Self.firstFrame(frame, unicode: true)
        #expect(!output.contains(0x07))
        var terminal = ScreenEmulator(width: 6, height: 1)
        terminal.feed(output)
        #expect(terminal.screen.lines == ["??a   "])
    }

    @Test("A terminal that is not UTF-8 gets a placeholder per column, so alignment holds")
    func asciiTerminal() {
        var frame = Buffer(area: Rect(x: 0, y: 0, width: 8, height: 1))
        frame.write("é日x", x: 0, y: 0)
        let output = Self.firstFrame(frame, unicode: false)
        #expect(output.allSatisfy { $0 < 0x80 })
        #expect(String(decoding: output, as: UTF8.self).hasSuffix("???x"))
    }

    @Test("After reset the screen is cleared and painted whole")
    func resetRepaints() {
        var frame = Buffer(area: Rect(x: 0, y: 0, width: 10, height: 2))
        frame.write("hello", x: 0, y: 0)
        var encoder = FrameEncoder(sequences: .ansi, capabilities: Capabilities(colors: .sixteen, unicode: true))
        var output: [UInt8] = []
        encoder.encode(frame, into: &output)
        encoder.reset()
        output = []
        encoder.encode(frame, into: &output)
        var terminal = ScreenEmulator(width: 10, height: 2)
        terminal.feed(Array("garbage".utf8))
        terminal.feed(output)
        #expect(terminal.screen.lines == ["hello     ", "          "])
    }
}

/// A backend that encodes frames as `CursesBackend` does, and feeds the bytes to an emulated
/// terminal instead of a real one.
