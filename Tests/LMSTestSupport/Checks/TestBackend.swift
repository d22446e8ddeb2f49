import TerminalUI
import Testing

/// A terminal for tests: the bytes `Terminal` sends, encoded as for `CursesBackend`, go into
/// `ScreenEmulator`, whose cells are what a person would see; a queue of events feeds the app.
package final class TestBackend: Backend {
    package private(set) var size: (width: Int, height: Int)
    package let capabilities: Capabilities
    package let sequences = ControlSequences.ansi
    package var pendingEvents: [Event] = []
    /// Characters printed by all writes and by the last one (erasing a row's end prints none).
    package var cellsWritten: Int { emulator.printed + printedBefore }
    package private(set) var lastWritePrinted = 0
    /// Writes and bytes sent to the terminal so far.
    package private(set) var writes = 0
    package private(set) var bytesWritten = 0
    private var printedBefore = 0
    private var emulator: ScreenEmulator

    package init(width: Int, height: Int, capabilities: Capabilities = Capabilities(colors: .sixteen, unicode: true)) {
        size = (width, height)
        self.capabilities = capabilities
        emulator = ScreenEmulator(width: width, height: height)
    }

    /// What the terminal shows.
    package var screen: Buffer { emulator.screen }
    package var lines: [String] { emulator.screen.lines }

    /// A new window size: the picture is lost, as in a real terminal, and a resize event queued.
    package func resize(width: Int, height: Int) {
        size = (width, height)
        printedBefore = cellsWritten
        emulator = ScreenEmulator(width: width, height: height)
        pendingEvents.append(.resize(width: width, height: height))
    }

    /// Writes over the picture as another program would, behind the app's back.
    package func scribble() {
        emulator.feed(Array("\u{1b}[H".utf8) + Array(repeating: UInt8(ascii: "#"), count: size.width - 1))
    }

    package func write(_ bytes: [UInt8]) {
        let before = emulator.printed
        writes += 1
        bytesWritten += bytes.count
        emulator.feed(bytes)
        lastWritePrinted = emulator.printed - before
    }

    package func nextEvent(timeoutMilliseconds: Int) -> Event? {
        pendingEvents.isEmpty ? nil : pendingEvents.removeFirst()
    }

    package func hasInput(withinMilliseconds timeoutMilliseconds: Int) -> Bool {
        !pendingEvents.isEmpty
    }
}
