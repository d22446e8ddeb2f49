import TerminalUI
import Testing

/// A terminal for tests: frames go through the real `FrameEncoder`, as `CursesBackend` sends
/// them, into `ScreenEmulator`, whose cells are what a person would see; a queue of events
/// feeds the app.
package final class TestBackend: Backend {
    package private(set) var size: (width: Int, height: Int)
    package let capabilities: Capabilities
    package var pendingEvents: [Event] = []
    /// Cells frames changed, and cells the last frame changed (`Buffer.changes`).
    package private(set) var cellsWritten = 0
    package private(set) var lastFrameChanges = 0
    /// Frames shown through `showPrepared` rather than `draw`.
    package private(set) var preparedFramesShown = 0
    /// Bytes sent to the terminal so far.
    package private(set) var bytesWritten = 0
    private var emulator: ScreenEmulator
    private var encoder: FrameEncoder
    private var prepared: (encoded: FrameEncoder.PreparedFrame, frame: Buffer)?
    private var shown: Buffer?

    package init(width: Int, height: Int, capabilities: Capabilities = Capabilities(colors: .sixteen, unicode: true)) {
        size = (width, height)
        self.capabilities = capabilities
        emulator = ScreenEmulator(width: width, height: height)
        encoder = FrameEncoder(sequences: .ansi, capabilities: capabilities)
    }

    /// What the terminal shows.
    package var screen: Buffer { emulator.screen }
    package var lines: [String] { emulator.screen.lines }

    /// A new window size: the picture is lost, as in a real terminal, and a resize event queued.
    package func resize(width: Int, height: Int) {
        size = (width, height)
        emulator = ScreenEmulator(width: width, height: height)
        encoder.reset()
        shown = nil
        prepared = nil
        pendingEvents.append(.resize(width: width, height: height))
    }

    package func draw(_ frame: Buffer) -> Buffer? {
        count(frame)
        var output: [UInt8] = []
        let replaced = encoder.encode(frame, into: &output)
        encoder.confirm(into: &output)
        send(output)
        shown = frame
        prepared = nil
        return replaced
    }

    package func prepare(_ frame: Buffer) {
        prepared = (encoder.prepare(frame), frame)
    }

    package func showPrepared() -> (shown: Bool, replaced: Buffer?) {
        guard let (encoded, frame) = prepared.take(), encoder.canShow(encoded) else { return (false, nil) }
        preparedFramesShown += 1
        count(frame)
        send(encoded.bytes)
        shown = frame
        return (true, encoder.adopt(encoded))
    }

    package func discardPrepared() {
        prepared = nil
    }

    package func clear() {
        encoder.reset()
        shown = nil
        prepared = nil
    }

    package func nextEvent(timeoutMilliseconds: Int) -> Event? {
        pendingEvents.isEmpty ? nil : pendingEvents.removeFirst()
    }

    package func hasInput(withinMilliseconds timeoutMilliseconds: Int) -> Bool {
        !pendingEvents.isEmpty
    }

    private func count(_ frame: Buffer) {
        lastFrameChanges = frame.changes(since: shown).count
        cellsWritten += lastFrameChanges
    }

    private func send(_ bytes: [UInt8]) {
        bytesWritten += bytes.count
        emulator.feed(bytes)
    }
}
