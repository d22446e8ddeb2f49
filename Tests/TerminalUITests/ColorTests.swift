import Testing
import TerminalUI

@Suite("Colour downsampling")
struct ColorDownsamplingTests {
    @Test("rgb → 256: the colour cube", arguments: [
        ((0, 0, 0), 16), ((255, 0, 0), 196), ((0, 255, 0), 46), ((0, 0, 255), 21), ((255, 255, 255), 231),
        ((0x7A, 0xA2, 0xF7), 111), ((95, 135, 175), 67), ((250, 5, 130), 198),
    ] as [((Int, Int, Int), Int)])
    func cube(_ rgb: (Int, Int, Int), _ expected: Int) {
        #expect(Color.rgb(UInt8(rgb.0), UInt8(rgb.1), UInt8(rgb.2)).downsampled(to: .indexed256) == .indexed(UInt8(expected)))
    }

    @Test("rgb → 256: greys go to the grey ramp", arguments: [
        ((8, 8, 8), 232), ((128, 128, 128), 244), ((238, 238, 238), 255), ((0x1A, 0x1B, 0x26), 234), ((0x56, 0x5F, 0x89), 60), ((100, 100, 100), 241),
    ] as [((Int, Int, Int), Int)])
    func greyRamp(_ rgb: (Int, Int, Int), _ expected: Int) {
        #expect(Color.rgb(UInt8(rgb.0), UInt8(rgb.1), UInt8(rgb.2)).downsampled(to: .indexed256) == .indexed(UInt8(expected)))
    }

    @Test func greysNeverLeaveTheRamp() {
        // Every exact grey of the ramp maps to itself.
        for step in 0..<24 {
            let v = UInt8(8 + step * 10)
            #expect(Color.rgb(v, v, v).downsampled(to: .indexed256) == .indexed(UInt8(232 + step)))
        }
    }

    @Test("256 → 16", arguments: [(196, 9), (1, 1), (12, 12), (232, 0), (255, 7), (46, 10), (21, 4), (231, 15), (244, 8)] as [(Int, Int)])
    func indexedTo16(_ index: Int, _ expected: Int) {
        #expect(Color.indexed(UInt8(index)).downsampled(to: .sixteen) == .ansi(UInt8(expected)))
    }

    @Test("16 → 8: bright colours become their normal ones")
    func sixteenToEight() {
        for i in UInt8(0)..<16 { #expect(Color.ansi(i).downsampled(to: .eight) == .ansi(i % 8)) }
        #expect(Color.indexed(9).downsampled(to: .eight) == .ansi(1))
        #expect(Color.indexed(196).downsampled(to: .eight) == .ansi(1))
        #expect(Color.rgb(255, 0, 0).downsampled(to: .eight) == .ansi(1))
        #expect(Color.rgb(255, 255, 255).downsampled(to: .eight) == .ansi(7))
        #expect(Color.rgb(255, 255, 255).downsampled(to: .sixteen) == .ansi(15))
    }

    @Test func whatTheTerminalCanShowIsKept() {
        for depth in [Capabilities.ColorDepth.eight, .sixteen, .indexed256, .truecolor] {
            #expect(Color.reset.downsampled(to: depth) == .reset)
            #expect(Color.ansi(3).downsampled(to: depth) == .ansi(3))
        }
        #expect(Color.rgb(1, 2, 3).downsampled(to: .truecolor) == .rgb(1, 2, 3))
        #expect(Color.indexed(100).downsampled(to: .truecolor) == .indexed(100))
        #expect(Color.indexed(100).downsampled(to: .indexed256) == .indexed(100))
    }

    @Test("Monochrome drops colours and turns backgrounds into reverse video")
    func monochrome() {
        #expect(Color.red.downsampled(to: .monochrome) == nil)
        let selection = Style(foreground: .black, background: .cyan, modifiers: .bold)
        #expect(selection.downsampled(to: .monochrome) == Style(modifiers: [.bold, .reverse]))
        let text = Style(foreground: .green, modifiers: .underline)
        #expect(text.downsampled(to: .monochrome) == Style(modifiers: .underline))
        #expect(Style(background: .reset).downsampled(to: .monochrome) == .plain)
        #expect(Style(background: .rgb(1, 2, 3)).downsampled(to: .monochrome) == Style(modifiers: .reverse))
        #expect(Style.plain.downsampled(to: .monochrome) == .plain)
    }

    @Test func stylesDownsampleBothColours() {
        let style = Style(foreground: .rgb(255, 0, 0), background: .indexed(232), modifiers: .italic)
        #expect(style.downsampled(to: .sixteen) == Style(foreground: .ansi(9), background: .ansi(0), modifiers: .italic))
        #expect(style.downsampled(to: .indexed256) == Style(foreground: .indexed(196), background: .indexed(232), modifiers: .italic))
    }
}

@Suite("Capabilities.detect")
struct CapabilitiesTests {
    private func detect(_ environment: [String: String], colors: Int = 256) -> Capabilities {
        Capabilities.detect(environment: environment, terminalColors: colors)
    }

    @Test func noColor() {
        let caps = detect(["NO_COLOR": "1", "COLORTERM": "truecolor", "LANG": "en_US.UTF-8", "TERM": "xterm-256color"])
        #expect(caps == Capabilities(colors: .monochrome, unicode: true))
        // An empty NO_COLOR does not count (no-color.org).
        #expect(detect(["NO_COLOR": "", "LANG": "C.UTF-8"]).colors == .indexed256)
    }

    @Test func dumbTerminal() {
        #expect(detect(["TERM": "dumb", "COLORTERM": "truecolor"]).colors == .monochrome)
        #expect(detect(["TERM": "xterm"], colors: 0).colors == .monochrome)
        #expect(detect(["TERM": "xterm"], colors: 2).colors == .monochrome)
    }

    @Test func depthFromTheTerminal() {
        #expect(detect(["COLORTERM": "truecolor"]).colors == .truecolor)
        #expect(detect(["COLORTERM": "24bit"]).colors == .truecolor)
        #expect(detect(["COLORTERM": "TrueColor"]).colors == .truecolor)
        #expect(detect(["COLORTERM": "yes"]).colors == .indexed256)
        #expect(detect([:], colors: 256).colors == .indexed256)
        #expect(detect([:], colors: 88).colors == .sixteen)
        #expect(detect([:], colors: 16).colors == .sixteen)
        #expect(detect([:], colors: 8).colors == .eight)
        #expect(Capabilities.ColorDepth.monochrome < .eight && Capabilities.ColorDepth.indexed256 < .truecolor)
    }

    @Test func unicodeFromTheLocale() {
        #expect(detect(["LANG": "en_US.UTF-8"]).unicode)
        #expect(detect(["LANG": "de_DE.utf8"]).unicode)
        #expect(detect(["LANG": "C.UTF-8"]).unicode)
        #expect(!detect(["LANG": "C"]).unicode)
        #expect(!detect(["LANG": "POSIX"]).unicode)
        #expect(!detect(["LANG": "en_US.ISO-8859-1"]).unicode)
        #expect(!detect([:]).unicode)
        // LC_ALL wins over LC_CTYPE, which wins over LANG; empty ones are skipped.
        #expect(!detect(["LC_ALL": "C", "LANG": "en_US.UTF-8"]).unicode)
        #expect(detect(["LC_ALL": "", "LC_CTYPE": "en_US.UTF-8", "LANG": "C"]).unicode)
        #expect(!detect(["LC_CTYPE": "C", "LANG": "en_US.UTF-8"]).unicode)
    }
}
