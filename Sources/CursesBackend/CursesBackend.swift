import CNcurses
import Foundation
import TerminalUI

/// The only code that talks to curses. Cells arrive already diffed by `Terminal`; this writes
/// them with the wide-character API and maps colours to (lazily allocated) colour pairs.
public final class CursesBackend: Backend {
    private let window: UnsafeMutablePointer<WINDOW>
    public let capabilities: Capabilities
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    private var closed = false

    private struct PairKey: Hashable {
        let foreground: Int32
        let background: Int32
    }

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
        // Lets curses shift lines with the terminal's own insert/delete-line when a list scrolls,
        // instead of rewriting every row.
        idlok(window, true)
        // No typeahead check while drawing: curses would poll the keyboard between lines and flush
        // what it has each time, so a frame reached the terminal in five writes. Keys typed
        // meanwhile are all read before the next frame anyway (see `AppRunner.run`).
        typeahead(-1)
        curs_set(0)
        var colorCount = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(lms_colors())
        }
        maxPairs = has_colors() ? lms_color_pairs() : 0
        var detected = Capabilities.detect(environment: environment, terminalColors: colorCount)
        // Standard terminfo has no 24-bit colours; themes are downsampled to the 256 palette.
        if detected.colors == .truecolor { detected.colors = colorCount >= 256 ? .indexed256 : .sixteen }
        capabilities = detected
        lms_install_signal_handlers()
    }

    deinit { close() }

    /// Restores the terminal: cursor, echo, normal screen.
    public func close() {
        guard !closed else { return }
        closed = true
        curs_set(1)
        endwin()
    }

    /// Hands the terminal to another program (a video player) and takes it back afterwards.
    public func suspend() {
        def_prog_mode()
        endwin()
    }

    public func resume() {
        reset_prog_mode()
        wrefresh(window)
    }

    public var size: (width: Int, height: Int) {
        (max(0, Int(lms_width(window))), max(0, Int(lms_height(window))))
    }

    /// The signal (SIGINT, SIGTERM, SIGHUP) received since the last call, if any.
    public func takeSignal() -> Int32? {
        let signal = lms_take_signal()
        return signal == 0 ? nil : signal
    }

    public func clear() {
        wclear(window)
    }

    public func draw(_ changes: [(x: Int, y: Int, cell: Cell)]) {
        for change in changes {
            let style = change.cell.style
            var attributes = attr_t(0)
            if style.modifiers.contains(.bold) { attributes |= lms_attr_bold() }
            if style.modifiers.contains(.dim) { attributes |= lms_attr_dim() }
            if style.modifiers.contains(.italic) { attributes |= lms_attr_italic() }
            if style.modifiers.contains(.underline) { attributes |= lms_attr_underline() }
            if style.modifiers.contains(.reverse) { attributes |= lms_attr_reverse() }
            let pair = pairNumber(foreground: style.foreground, background: style.background)
            // A cell holds at most 15 UTF-8 bytes, so at most 15 scalars, and a terminator.
            withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: 16) { scalars in
                var count = 0
                change.cell.forEachScalar { scalar in
                    scalars[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                if count == 0 {
                    scalars[0] = 32
                    count = 1
                }
                scalars[count] = 0
                _ = lms_put_cell(window, Int32(change.y), Int32(change.x), scalars.baseAddress, attributes, pair)
            }
        }
    }

    public func flush() {
        wnoutrefresh(window)
        doupdate()
    }

    public func nextEvent(timeoutMilliseconds: Int) -> Event? {
        wtimeout(window, Int32(timeoutMilliseconds))
        var character: wint_t = 0
        let status = wget_wch(window, &character)
        if status == ERR { return nil }
        if status == lms_key_code_yes() {
            return Self.functionKey(Int32(character)).map(Event.key) ?? (Int32(character) == lms_key_resize() ? .resize(width: size.width, height: size.height) : nil)
        }
        guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
        switch scalar.value {
        case 13, 10: return .key(.enter)
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 127, 8: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(scalar.value + 96)!)))
        default: return .key(.character(Character(scalar)))
        }
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

    private func cursesColor(_ color: Color?) -> Int32 {
        switch color {
        case nil, .reset?: -1
        case .ansi(let index)?: Int32(index)
        case .indexed(let index)?: Int32(index)
        case .rgb?: -1  // never reaches here: Terminal downsamples to our capabilities first
        }
    }

    private func pairNumber(foreground: Color?, background: Color?) -> Int32 {
        guard maxPairs > 1 else { return 0 }
        let key = PairKey(foreground: cursesColor(foreground), background: cursesColor(background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        if nextPair >= maxPairs {
            // Out of pairs (a theme with very many combinations): start over.
            pairs = [:]
            nextPair = 1
        }
        let pair = nextPair
        nextPair += 1
        _ = lms_init_pair(pair, key.foreground, key.background)
        pairs[key] = pair
        return pair
    }
}
