import CNcurses
import Foundation
import TerminalUI

/// The only code that talks to curses. Curses sets the terminal up and gives it back, reads
/// the terminfo entry, and decodes the keyboard; frames go out through `FrameEncoder` in the
/// terminal's own control sequences, in one write each. Curses' own drawing would diff every
/// frame a second time and, since ncurses 6.4 flushes after each cursor movement, send it in
/// about eight writes.
public final class CursesBackend: Backend {
    private let window: UnsafeMutablePointer<WINDOW>
    public let capabilities: Capabilities
    public let sequences: ControlSequences
    private var output: [UInt8] = []
    private var closed = false

    /// Takes over the terminal. Call `close()` (also done on deinit) to give it back.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        setlocale(LC_ALL, "")
        setenv("ESCDELAY", "25", 0)
        guard let window = initscr() else { fatalError("curses could not initialise the terminal (is TERM set?)") }
        self.window = window
        raw()
        noecho()
        keypad(window, true)
        nonl()
        curs_set(0)
        // Curses' own start (alternate screen, clearing) goes out now, before the first frame.
        // After this curses never draws again but for a resize or a return from a player, and
        // `clear()` makes the next frame repaint everything over whatever it drew.
        wrefresh(window)
        let colorCount = Int(lms_number_capability("colors"))
        var detected = Capabilities.detect(environment: environment, terminalColors: colorCount)
        // 24-bit colours only where the terminal announces them (COLORTERM); terminfo has no
        // standard capability for them.
        if detected.colors == .truecolor, colorCount < 256 { detected.colors = colorCount >= 16 ? .sixteen : .eight }
        capabilities = detected
        sequences = Terminfo.sequences()
        lms_install_signal_handlers()
    }

    deinit { close() }

    /// Restores the terminal: attributes, cursor, echo, normal screen.
    public func close() {
        guard !closed else { return }
        closed = true
        leaveScreen()
        curs_set(1)
        endwin()
    }

    /// Hands the terminal to another program (a video player) and takes it back afterwards.
    public func suspend() {
        leaveScreen()
        def_prog_mode()
        endwin()
    }

    public func resume() {
        reset_prog_mode()
        wrefresh(window)
    }

    /// Plain attributes and the cursor at the start of a blank bottom row, where curses expects
    /// to leave it: on a terminal without an alternate screen (the Linux console, vt100) the
    /// shell's prompt appears there, and should not sit on top of the old status line.
    private func leaveScreen() {
        output.removeAll(keepingCapacity: true)
        output += sequences.resetAttributes
        output += sequences.moveTo(0, max(0, size.height - 1))
        output += sequences.clearToEndOfLine ?? []
        writeOutput()
    }

    public var size: (width: Int, height: Int) {
        (max(0, Int(lms_width(window))), max(0, Int(lms_height(window))))
    }

    /// The signal (SIGINT, SIGTERM, SIGHUP) received since the last call, if any.
    public func takeSignal() -> Int32? {
        let signal = lms_take_signal()
        return signal == 0 ? nil : signal
    }

    private func writeOutput() {
        write(output)
    }

    public func write(_ output: [UInt8]) {
        output.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR || errno == EAGAIN {
                    continue
                } else {
                    return  // the terminal is gone (hang-up): nothing left to show it to
                }
            }
        }
    }

    public func nextEvent(timeoutMilliseconds: Int) -> Event? {
        // Asked whether more keys were typed, after one was just read: one poll, not a pass
        // through curses' reader, on the path from key to frame. A key curses already holds
        // (the rest of a sequence it read ahead) still comes, on the next wait.
        if timeoutMilliseconds == 0, !hasInput(withinMilliseconds: 0) { return nil }
        wtimeout(window, Int32(timeoutMilliseconds))
        var character: wint_t = 0
        let status = wget_wch(window, &character)
        if status == ERR { return nil }
        if status == lms_key_code_yes() {
            if Int32(character) == lms_key_resize() {
                // Curses resized its screen and would repaint it at the next read, over our
                // frame: let it do so now, before the app draws the new size.
                wrefresh(window)
                return .resize(width: size.width, height: size.height)
            }
            return Self.functionKey(Int32(character)).map(Event.key)
        }
        guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
        switch scalar.value {
        case 13, 10: return .key(.enter)
        case 27: return escapeSequence()
        case 9: return .key(.tab)
        case 127, 8: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(scalar.value + 96)!)))
        default: return .key(.character(Character(scalar)))
        }
    }

    /// Curses decodes the key sequences its terminfo entry lists; a terminal whose entry lists
    /// none (TERM=dumb, a wrong TERM) still sends them, and they arrive as Esc and the rest.
    /// Read the rest here, so that an arrow is never taken for Esc (which means back).
    private func escapeSequence() -> Event? {
        guard let introducer = pendingCharacter(), introducer == "[" || introducer == "O" else {
            // Esc alone, or Esc and a key (Alt-key): Esc.
            return .key(.escape)
        }
        var parameters = ""
        while let next = pendingCharacter() {
            guard let ascii = next.asciiValue else { return nil }
            if (0x40...0x7E).contains(ascii) {
                return Self.csiKey(final: next, parameters: parameters).map(Event.key)
            }
            parameters.append(next)
            if parameters.count > 8 { return nil }
        }
        return nil
    }

    /// The key of a CSI or SS3 sequence (xterm, VT100 and Linux console spellings); nil for one
    /// lms has no use for, which is then ignored rather than read as keys.
    static func csiKey(final: Character, parameters: String) -> Key? {
        switch final {
        case "A": .up
        case "B": .down
        case "C": .right
        case "D": .left
        case "H": .home
        case "F": .end
        case "Z": .backTab
        case "~":
            switch parameters.split(separator: ";").first {
            case "1", "7": .home
            case "4", "8": .end
            case "5": .pageUp
            case "6": .pageDown
            case "3": .delete
            default: nil
            }
        default: nil
        }
    }

    /// The next character of a sequence already typed: its bytes come together, so a short wait.
    private func pendingCharacter() -> Character? {
        wtimeout(window, 30)
        var character: wint_t = 0
        guard wget_wch(window, &character) != ERR, let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
        return Character(scalar)
    }

    /// Input on the terminal's descriptor; a key curses already read ahead is not seen, and
    /// comes at the next `nextEvent` all the same.
    public func hasInput(withinMilliseconds timeoutMilliseconds: Int) -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, Int32(timeoutMilliseconds)) > 0
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_DC: .delete
        case KEY_BACKSPACE: .backspace
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case KEY_F0 + 1...KEY_F0 + 12: .function(Int(code - KEY_F0))
        default: nil
        }
    }
}

/// The terminal's control sequences from its terminfo entry; ECMA-48 for what the entry lacks
/// but every terminal emulator has, nil for the optional ones it lacks.
enum Terminfo {
    static func sequences() -> ControlSequences {
        let ansi = ControlSequences.ansi
        var sequences = ansi
        // Where the entry says what ECMA-48 says (nearly always), the native formatting is used:
        // it makes no call into curses and no copies on every cursor move.
        if let cup = string("cup") {
            let terminfo: (Int, Int) -> [UInt8] = { x, y in expand(cup, y, x) }
            sequences.moveTo = agree(terminfo, ansi.moveTo) ? ansi.moveTo : terminfo
        }
        sequences.moveRight = string("cuf").map { cuf in
            let terminfo: (Int) -> [UInt8] = { columns in expand(cuf, columns) }
            return agree({ columns, _ in terminfo(columns) }, { columns, _ in ansi.moveRight!(columns) }) ? ansi.moveRight! : terminfo
        }
        sequences.setScrollRegion = string("csr").map { csr in
            let terminfo: (Int, Int) -> [UInt8] = { top, bottom in expand(csr, top, bottom) }
            return agree(terminfo, ansi.setScrollRegion!) ? ansi.setScrollRegion! : terminfo
        }
        sequences.scrollForward = string("ind").map(bytes)
        sequences.scrollReverse = string("ri").map(bytes)
        if let clear = string("clear") { sequences.clearScreen = bytes(clear) }
        sequences.clearToEndOfLine = string("el").map(bytes)
        if let sgr0 = string("sgr0") { sequences.resetAttributes = withoutCharsetReset(bytes(sgr0)) }
        sequences.bold = string("bold").map(bytes) ?? []
        sequences.dim = string("dim").map(bytes) ?? []
        sequences.italic = string("sitm").map(bytes) ?? []
        sequences.underline = string("smul").map(bytes) ?? []
        sequences.reverse = string("rev").map(bytes) ?? []
        let setaf = string("setaf"), setab = string("setab")
        sequences.color = { color, isBackground in
            let capability = isBackground ? setab : setaf
            switch color {
            case .ansi(let index), .indexed(let index):
                if let capability { return expand(capability, Int(index)) }
            case .reset, .rgb:
                break
            }
            return ControlSequences.ansiColor(color, isBackground: isBackground)
        }
        return sequences
    }

    /// Whether two ways of writing a two-number sequence give the same bytes, at numbers of one
    /// to three digits.
    static func agree(_ one: (Int, Int) -> [UInt8], _ other: (Int, Int) -> [UInt8]) -> Bool {
        let probes = [(0, 0), (1, 2), (9, 10), (79, 23), (119, 39), (250, 999)]
        return probes.allSatisfy { one($0.0, $0.1) == other($0.0, $0.1) }
    }

    private static func string(_ name: String) -> [CChar]? {
        guard let value = lms_string_capability(name) else { return nil }
        return Array(UnsafeBufferPointer(start: value, count: strlen(value) + 1))
    }

    private static func expand(_ capability: [CChar], _ a: Int) -> [UInt8] {
        lms_tiparm1(capability, Int32(a)).map { bytes(Array(UnsafeBufferPointer(start: $0, count: strlen($0) + 1))) } ?? []
    }

    private static func expand(_ capability: [CChar], _ a: Int, _ b: Int) -> [UInt8] {
        lms_tiparm2(capability, Int32(a), Int32(b)).map { bytes(Array(UnsafeBufferPointer(start: $0, count: strlen($0) + 1))) } ?? []
    }

    /// xterm's `sgr0` also selects the ASCII character set (`ESC ( B`), for programs that draw
    /// lines in the DEC special graphics set. Frames write box drawing as UTF-8 and never switch
    /// sets, so that part would only add three bytes to every attribute change.
    static func withoutCharsetReset(_ sequence: [UInt8]) -> [UInt8] {
        let designation: [UInt8] = [0x1B, 0x28, 0x42]
        guard let start = sequence.indices.first(where: { sequence[$0...].starts(with: designation) }),
              sequence.count > designation.count
        else { return sequence }
        return Array(sequence[..<start] + sequence[(start + designation.count)...])
    }

    /// A capability's bytes without its terminator and without padding (`$<5>`, `$<2.5*/>`):
    /// delays that only hardware terminals of the 1980s needed, which tputs would turn into
    /// waiting and a raw write would print.
    static func bytes(_ capability: [CChar]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < capability.count, capability[index] != 0 {
            if capability[index] == 0x24, index + 1 < capability.count, capability[index + 1] == 0x3C,
               let close = capability[(index + 2)...].firstIndex(of: 0x3E), close > index + 2,
               capability[(index + 2)..<close].allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2A || $0 == 0x2F }) {
                index = close + 1
                continue
            }
            result.append(UInt8(bitPattern: capability[index]))
            index += 1
        }
        return result
    }
}
