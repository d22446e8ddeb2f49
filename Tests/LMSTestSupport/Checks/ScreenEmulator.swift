import Testing
import TerminalUI

/// A terminal screen that understands the ECMA-48 subset `ControlSequences.ansi` speaks, the way
/// xterm does: cursor addressing, cursor forward, scroll regions with index and reverse index,
/// clearing the screen and the end of a line in the current background, SGR attributes and
/// colours, and UTF-8 text with wide characters. Anything else fails the test, so the encoder
/// cannot rely on sequences this does not check.
package struct ScreenEmulator {
    package private(set) var screen: Buffer
    /// Characters printed so far: what the bytes redrew, erasing aside.
    package private(set) var printed = 0
    private var x = 0, y = 0
    private var top = 0, bottom: Int
    private var pen = Style.plain
    /// After writing into the last column the cursor waits there; the next letter would wrap.
    private var wrapPending = false

    package init(width: Int, height: Int) {
        screen = Buffer(area: Rect(x: 0, y: 0, width: width, height: height))
        bottom = height - 1
    }

    package var width: Int { screen.area.width }
    package var height: Int { screen.area.height }

    package mutating func feed(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x1B:
                i += 1
                guard i < bytes.count else { Issue.record("ESC at the end of the output", sourceLocation: sourceLocation); return }
                if bytes[i] == 0x4D {  // ESC M: reverse index
                    if y == top { scroll(down: 1) } else { y = max(0, y - 1) }
                    wrapPending = false
                    i += 1
                } else if bytes[i] == 0x5B {  // CSI
                    i += 1
                    var parameters = ""
                    while i < bytes.count, (0x30...0x3F).contains(bytes[i]) {
                        parameters.append(Character(Unicode.Scalar(bytes[i])))
                        i += 1
                    }
                    guard i < bytes.count else { Issue.record("unfinished CSI", sourceLocation: sourceLocation); return }
                    control(final: bytes[i], parameters, sourceLocation: sourceLocation)
                    i += 1
                } else {
                    Issue.record("unknown escape ESC \(bytes[i])", sourceLocation: sourceLocation)
                    return
                }
            case 0x0A:  // line feed: at the region's bottom it scrolls the region
                if y == bottom { scroll(up: 1) } else { y = min(height - 1, y + 1) }
                wrapPending = false
                i += 1
            case 0..<0x20, 0x7F:
                Issue.record("control character \(byte) sent to the terminal", sourceLocation: sourceLocation)
                i += 1
            default:
                var length = 1
                if byte >= 0xF0 { length = 4 } else if byte >= 0xE0 { length = 3 } else if byte >= 0xC0 { length = 2 }
                // A grapheme: this scalar and any that extend it (combining marks, joiners,
                // variation selectors), as a terminal would put them in one cell.
                var end = min(bytes.count, i + length)
                while end < bytes.count, bytes[end] >= 0x80 {
                    let text = String(decoding: bytes[i..<end], as: UTF8.self)
                    var next = end + 1
                    if bytes[end] >= 0xF0 { next = end + 4 } else if bytes[end] >= 0xE0 { next = end + 3 } else if bytes[end] >= 0xC0 { next = end + 2 }
                    next = min(bytes.count, next)
                    let longer = String(decoding: bytes[i..<next], as: UTF8.self)
                    guard longer.count == text.count else { break }
                    end = next
                }
                put(String(decoding: bytes[i..<end], as: UTF8.self), sourceLocation: sourceLocation)
                i = end
            }
        }
    }

    private mutating func put(_ symbol: String, sourceLocation: SourceLocation) {
        if wrapPending {
            Issue.record("text written past the last column (it would wrap): \(symbol.debugDescription) at row \(y)", sourceLocation: sourceLocation)
            return
        }
        let cellWidth = max(1, DisplayWidth.of(symbol))
        guard x + cellWidth <= width else {
            Issue.record("a wide character in the last column: \(symbol.debugDescription)", sourceLocation: sourceLocation)
            return
        }
        screen.put(Cell(symbol, style: pen), x: x, y: y)
        printed += 1
        x += cellWidth
        if x >= width {
            x = width - 1
            wrapPending = true
        }
    }

    private mutating func control(final: UInt8, _ parameters: String, sourceLocation: SourceLocation) {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        func number(_ index: Int, default value: Int) -> Int { index < numbers.count ? numbers[index] ?? value : value }
        wrapPending = false
        switch final {
        case 0x48:  // CUP
            y = max(0, min(height - 1, number(0, default: 1) - 1))
            x = max(0, min(width - 1, number(1, default: 1) - 1))
        case 0x43:  // CUF
            x = min(width - 1, x + number(0, default: 1))
        case 0x72:  // DECSTBM: sets the region and homes the cursor
            let newTop = number(0, default: 1) - 1, newBottom = number(1, default: height) - 1
            #expect(newTop >= 0 && newTop < newBottom && newBottom < height, "scroll region \(newTop)...\(newBottom)", sourceLocation: sourceLocation)
            top = newTop
            bottom = newBottom
            x = 0
            y = 0
        case 0x4A:  // ED 2: the whole screen
            #expect(number(0, default: 0) == 2, "only ED 2 is expected", sourceLocation: sourceLocation)
            screen.fill(screen.area, with: erased)
        case 0x4B:  // EL 0: cursor to the end of the line
            #expect(number(0, default: 0) == 0, "only EL 0 is expected", sourceLocation: sourceLocation)
            screen.fill(Rect(x: x, y: y, width: width - x, height: 1), with: erased)
        case 0x6D:  // SGR
            selectGraphicRendition(numbers.map { $0 ?? 0 }, sourceLocation: sourceLocation)
        default:
            Issue.record("unexpected control sequence CSI \(parameters) \(Character(Unicode.Scalar(final)))", sourceLocation: sourceLocation)
        }
    }

    /// Erased cells take the current background, as on xterm (background colour erase).
    private var erased: Cell { Cell(" ", style: Style(background: pen.background)) }

    private mutating func selectGraphicRendition(_ codes: [Int], sourceLocation: SourceLocation) {
        var index = 0
        while index < codes.count {
            let code = codes[index]
            switch code {
            case 0: pen = .plain
            case 1: pen.modifiers.insert(.bold)
            case 2: pen.modifiers.insert(.dim)
            case 3: pen.modifiers.insert(.italic)
            case 4: pen.modifiers.insert(.underline)
            case 7: pen.modifiers.insert(.reverse)
            case 30...37: pen.foreground = .ansi(UInt8(code - 30))
            case 90...97: pen.foreground = .ansi(UInt8(code - 90 + 8))
            case 40...47: pen.background = .ansi(UInt8(code - 40))
            case 100...107: pen.background = .ansi(UInt8(code - 100 + 8))
            case 39: pen.foreground = nil
            case 49: pen.background = nil
            case 38, 48:
                var color: Color?
                if index + 2 < codes.count, codes[index + 1] == 5 {
                    color = .indexed(UInt8(codes[index + 2]))
                    index += 2
                } else if index + 4 < codes.count, codes[index + 1] == 2 {
                    color = .rgb(UInt8(codes[index + 2]), UInt8(codes[index + 3]), UInt8(codes[index + 4]))
                    index += 4
                } else {
                    Issue.record("malformed extended colour \(codes)", sourceLocation: sourceLocation)
                }
                if code == 38 { pen.foreground = color } else { pen.background = color }
            default:
                Issue.record("unexpected SGR \(code)", sourceLocation: sourceLocation)
            }
            index += 1
        }
    }

    private mutating func scroll(up lines: Int) {
        for row in top...bottom {
            let source = row + lines
            for column in 0..<width {
                screen[column, row] = source <= bottom ? screen[column, source] : erased
            }
        }
    }

    private mutating func scroll(down lines: Int) {
        for row in stride(from: bottom, through: top, by: -1) {
            let source = row - lines
            for column in 0..<width {
                screen[column, row] = source >= top ? screen[column, source] : erased
            }
        }
    }
}
