import LMSTestSupport
import Testing
import TerminalUI

@Suite("TextWrap")
struct TextWrapTests {
    @Test func wrapsByWords() {
        #expect(TextWrap.wrap("the quick brown fox jumps over the lazy dog", width: 10)
                == ["the quick", "brown fox", "jumps over", "the lazy", "dog"])
        #expect(TextWrap.wrap("exactly ten", width: 11) == ["exactly ten"])
        #expect(TextWrap.wrap("", width: 5) == [""])
        #expect(TextWrap.wrap("anything", width: 0).isEmpty)
        #expect(TextWrap.wrap("anything", width: -3).isEmpty)
    }

    @Test func keepsParagraphsAndBlankLines() {
        #expect(TextWrap.wrap("# Title\n\nFirst line.\nSecond", width: 20) == ["# Title", "", "First line.", "Second"])
    }

    @Test("CJK wraps between characters, never splitting one")
    func cjk() {
        #expect(TextWrap.wrap("日本語のテキストです", width: 6) == ["日本語", "のテキ", "ストで", "す"])
        // An odd width leaves a column free rather than halving a character.
        #expect(TextWrap.wrap("日本語のテキスト", width: 5) == ["日本", "語の", "テキ", "スト"])
        #expect(TextWrap.wrap("ひらがな Hiragana", width: 9) == ["ひらがな", "Hiragana"])
        #expect(TextWrap.wrap("How is あ read?", width: 9) == ["How is あ", "read?"])
    }

    @Test func longWordsAreCut() {
        #expect(TextWrap.wrap("supercalifragilistic", width: 6) == ["superc", "alifra", "gilist", "ic"])
        #expect(TextWrap.wrap("see https://videos.demo.lms/swift/welcome.mp4 now", width: 12)
                == ["see", "https://vide", "os.demo.lms/", "swift/welcom", "e.mp4 now"])
    }

    @Test("Indentation and runs of spaces are kept exactly")
    func indentation() {
        #expect(TextWrap.wrap("    print(\"Hello, world!\")", width: 40) == ["    print(\"Hello, world!\")"])
        #expect(TextWrap.wrap("  - item", width: 40) == ["  - item"])
        #expect(TextWrap.wrap("a  b   c", width: 40) == ["a  b   c"])
        #expect(TextWrap.wrap("code:\n    let x = 1\n        nested", width: 40) == ["code:", "    let x = 1", "        nested"])
        // A wrapped indented line continues at the margin.
        #expect(TextWrap.wrap("    one two three", width: 11) == ["    one two", "three"])
        // Indentation wider than the line gives way to the word.
        #expect(TextWrap.wrap("          word", width: 6) == ["word"])
        #expect(TextWrap.wrap("    abcdefgh", width: 6) == ["    ab", "cdefgh"])
    }

    @Test func trailingSpacesFitTheLine() {
        #expect(TextWrap.wrap("abc   ", width: 4) == ["abc "])
    }

    @Test("Lines never exceed the width and no visible character is lost", arguments: [1, 2, 3, 5, 8, 13, 40])
    func generated(width: Int) {
        var random = SeededRandom(seed: UInt64(width))
        let words = ["a", "swift", "日本語", "🎌", "optional", "  ", "", "nil", "supercalifragilistic", "ひらがな", "x\ny", "—"]
        for _ in 0..<200 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
            let lines = TextWrap.wrap(text, width: width)
            for line in lines {
                // A character wider than the whole line is the one allowed exception.
                #expect(DisplayWidth.of(line) <= width || (line.count == 1 && DisplayWidth.of(line) == 2), "'\(line)' in \(width) columns")
            }
            let visible = { (s: String) in s.filter { $0 != " " && $0 != "\n" } }
            #expect(visible(lines.joined()) == visible(text), "text: '\(text)'")
        }
    }
}

@Suite("TextView")
struct TextViewTests {
    @Test func rendersFromTheOffset() {
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 10, height: 2))
        let total = TextView("one two three four five six").render(buffer.area, &buffer, offset: 1)
        #expect(total == 3)
        #expect(buffer.lines == ["three four", "five six  "])
        var past = Buffer(area: Rect(x: 0, y: 0, width: 10, height: 2))
        TextView("short").render(past.area, &past, offset: 99)
        #expect(past.lines == ["          ", "          "])
    }
}

/// `TextInput.handle`, callable inside `#expect` (which cannot mutate its operands).
private func press(_ input: inout TextInput, _ key: Key) -> Bool { input.handle(key) }

@Suite("TextInput")
struct TextInputTests {
    private func type(_ text: String, into input: inout TextInput) {
        for character in text { #expect(press(&input, .character(character))) }
    }

    @Test func editingKeys() {
        var input = TextInput()
        type("helo", into: &input)
        #expect(input.value == "helo" && input.cursor == 4)
        #expect(press(&input, .left))
        type("l", into: &input)
        #expect(input.value == "hello" && input.cursor == 4)
        #expect(press(&input, .home))
        #expect(input.cursor == 0)
        #expect(press(&input, .backspace))  // nothing before the cursor: no change
        #expect(input.value == "hello")
        #expect(press(&input, .delete))
        #expect(input.value == "ello" && input.cursor == 0)
        #expect(press(&input, .end))
        #expect(press(&input, .delete))  // nothing after the cursor
        #expect(input.value == "ello" && input.cursor == 4)
        #expect(press(&input, .backspace))
        #expect(input.value == "ell" && input.cursor == 3)
        #expect(press(&input, .ctrl("a")) && input.cursor == 0)
        #expect(press(&input, .ctrl("e")) && input.cursor == 3)
        #expect(press(&input, .right) && input.cursor == 3)  // already at the end
        for _ in 0..<5 { _ = input.handle(.left) }
        #expect(input.cursor == 0)
        #expect(press(&input, .ctrl("u")))
        #expect(input.value.isEmpty && input.cursor == 0)
    }

    @Test func keysItDoesNotHandle() {
        var input = TextInput("abc")
        for key in [Key.enter, .escape, .tab, .up, .down, .pageUp, .ctrl("c"), .function(1)] {
            #expect(!press(&input, key))
        }
        #expect(input.value == "abc" && input.cursor == 3)
    }

    @Test func unicodeEditing() {
        var input = TextInput("日本")
        #expect(input.cursor == 2)
        type("語", into: &input)
        _ = input.handle(.left)
        _ = input.handle(.backspace)
        #expect(input.value == "日語")
        type("é🎌", into: &input)
        #expect(input.value == "日é🎌語" && input.cursor == 3)
    }

    @Test func maskingNeverShowsTheValue() {
        var input = TextInput(masked: true)
        type("s3cret!", into: &input)
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 12, height: 1))
        input.render(buffer.area, &buffer, style: Style(modifiers: .underline), focused: true)
        #expect(buffer.lines == ["•••••••     "])
        #expect(!buffer.lines[0].contains("s3cret"))
        #expect(input.value == "s3cret!")
        // The cursor is the reversed cell after the text.
        #expect(buffer[7, 0].style.modifiers.contains(.reverse))
        #expect(!buffer[6, 0].style.modifiers.contains(.reverse))
        #expect(buffer[11, 0].style.modifiers.contains(.underline))
    }

    @Test func longValuesScrollToKeepTheCursorVisible() {
        let input = TextInput("abcdefghijklmnop")
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 6, height: 1))
        input.render(buffer.area, &buffer, style: .plain, focused: true)
        #expect(buffer.lines == ["lmnop "])
        #expect(buffer[5, 0].style.modifiers.contains(.reverse))

        var start = input
        _ = start.handle(.home)
        var front = Buffer(area: Rect(x: 0, y: 0, width: 6, height: 1))
        start.render(front.area, &front, style: .plain, focused: false)
        #expect(front.lines == ["abcdef"])
        #expect(!front[0, 0].style.modifiers.contains(.reverse))

        let wide = TextInput("日本語日本語")
        var cjk = Buffer(area: Rect(x: 0, y: 0, width: 5, height: 1))
        wide.render(cjk.area, &cjk, style: .plain, focused: true)
        cjk.checkInvariants()
        #expect(cjk[4, 0].style.modifiers.contains(.reverse))
    }
}

@Suite("ProgressBar")
struct ProgressBarTests {
    private func render(_ bar: ProgressBar, width: Int = 10) -> String {
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: width, height: 1))
        bar.render(buffer.area, &buffer)
        return buffer.lines[0]
    }

    @Test func unicode() {
        #expect(render(ProgressBar(fraction: 0)) == "░░░░░░░░░░")
        #expect(render(ProgressBar(fraction: 0.5)) == "█████░░░░░")
        #expect(render(ProgressBar(fraction: 1)) == "██████████")
        #expect(render(ProgressBar(fraction: .nan)) == "░░░░░░░░░░")
        #expect(render(ProgressBar(fraction: .infinity)) == "░░░░░░░░░░")
        #expect(render(ProgressBar(fraction: 7)) == "██████████")
        #expect(render(ProgressBar(fraction: -1)) == "░░░░░░░░░░")
        #expect(render(ProgressBar(fraction: 0.99)) == "█████████░")  // never rounds up to done
    }

    @Test func ascii() {
        #expect(render(ProgressBar(fraction: 0, unicode: false)) == "[--------]")
        #expect(render(ProgressBar(fraction: 0.5, unicode: false)) == "[####----]")
        #expect(render(ProgressBar(fraction: 1, unicode: false)) == "[########]")
        #expect(render(ProgressBar(fraction: .nan, unicode: false)) == "[--------]")
    }

    @Test func fractionSetAfterwardsIsStillSafe() {
        var bar = ProgressBar(fraction: 0.5)
        bar.fraction = .nan
        #expect(render(bar) == "░░░░░░░░░░")
        bar.fraction = -.infinity
        #expect(render(bar) == "░░░░░░░░░░")
        bar.fraction = 3
        #expect(render(bar) == "██████████")
    }

    @Test func labels() {
        #expect(render(ProgressBar(fraction: 0.5, label: "50%"), width: 14) == "█████░░░░░ 50%")
        #expect(render(ProgressBar(fraction: 0.5, label: "50%", unicode: false), width: 16) == "[#####-----] 50%")
        // A label wider than the area takes it all: no bar, no crash.
        #expect(render(ProgressBar(fraction: 0.5, label: "a very long label"), width: 6) == " a ver")
        #expect(render(ProgressBar(fraction: 0.5, label: "x", unicode: false), width: 1) == " ")
    }

    @Test func styles() {
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 4, height: 1))
        ProgressBar(fraction: 0.5, filledStyle: Style(foreground: .green), emptyStyle: Style(modifiers: .dim)).render(buffer.area, &buffer)
        #expect(buffer[0, 0].style.foreground == .green && buffer[3, 0].style.modifiers == .dim)
        ProgressBar(fraction: 1).render(.zero, &buffer)  // empty area: nothing
    }
}

@Suite("Block, StatusBar, Dialog")
struct ChromeTests {
    @Test func blockBordersAndTitle() {
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 12, height: 3))
        let inner = Block(title: "Sign in").render(buffer.area, &buffer)
        #expect(inner == Rect(x: 1, y: 1, width: 10, height: 1))
        #expect(buffer.lines == ["┌─ Sign … ─┐", "│          │", "└──────────┘"])
        var ascii = Buffer(area: Rect(x: 0, y: 0, width: 6, height: 3))
        Block(unicode: false).render(ascii.area, &ascii)
        #expect(ascii.lines == ["+----+", "|    |", "+----+"])
        var tiny = Buffer(area: Rect(x: 0, y: 0, width: 1, height: 1))
        #expect(Block(title: "x").render(tiny.area, &tiny) == .zero)
    }

    @Test func statusBarKeepsTheRightPart() {
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 20, height: 1))
        StatusBar(left: [Span("left side that is long")], right: [Span(" ● online ")]).render(buffer.area, &buffer)
        #expect(buffer.lines == ["left side  ● online "])
        #expect(buffer[0, 0].style.modifiers.contains(.reverse))
        var narrow = Buffer(area: Rect(x: 0, y: 0, width: 5, height: 1))
        StatusBar(left: [Span("left")], right: [Span("right side")]).render(narrow.area, &narrow)
        #expect(narrow.lines == ["right"])
    }

    @Test func dialogIsCentred() {
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 40, height: 9))
        Dialog(title: "Locked", message: "Complete 'Welcome to Swift' first").render(buffer.area, &buffer, unicode: true)
        let lines = buffer.lines
        // 30 columns wide, centred: the message wraps inside the border, the hint at the bottom.
        #expect(lines == [
            "                                        ",
            "     ┌─ Locked ───────────────────┐     ",
            "     │ Complete 'Welcome to       │     ",
            "     │ Swift' first               │     ",
            "     │                            │     ",
            "     │ Enter/Esc: close           │     ",
            "     └────────────────────────────┘     ",
            "                                        ",
            "                                        ",
        ])
        buffer.checkInvariants()
        var tiny = Buffer(area: Rect(x: 0, y: 0, width: 3, height: 2))
        Dialog(title: "t", message: "m").render(tiny.area, &tiny, unicode: false)
        tiny.checkInvariants()
    }
}
