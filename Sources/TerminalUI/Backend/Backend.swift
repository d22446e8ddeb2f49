/// The one thing that talks to a terminal. `CursesBackend` drives a real one; the tests'
/// `TestBackend` (LMSTestSupport) sends the same encoder's bytes to a screen emulator.
public protocol Backend: AnyObject {
    var size: (width: Int, height: Int) { get }
    var capabilities: Capabilities { get }
    /// Shows `frame`, and hands back the frame it replaced once nothing refers to it any more, so
    /// that the next frame is drawn into memory already mapped and cached rather than a fresh
    /// allocation (nil: none to give).
    func draw(_ frame: Buffer) -> Buffer?
    /// Works out what showing `frame` would take, without showing it; `showPrepared` shows it.
    /// Replaces any frame prepared before.
    func prepare(_ frame: Buffer)
    /// Shows the prepared frame, if the screen is still the one it was prepared against (no
    /// frame drawn, no clear, no resize since). Returns whether it did, and the frame it replaced
    /// as `draw` does.
    func showPrepared() -> (shown: Bool, replaced: Buffer?)
    /// Forgets the prepared frame.
    func discardPrepared()
    /// Waits up to `timeoutMilliseconds` (negative: forever) for input or a resize.
    func nextEvent(timeoutMilliseconds: Int) -> Event?
    /// Whether input arrives within `timeoutMilliseconds`, without taking it.
    func hasInput(withinMilliseconds timeoutMilliseconds: Int) -> Bool
    /// Forget what is on screen, so the next frame redraws everything (after a resize).
    func clear()
}

/// Renders frames onto a backend: each frame is drawn whole into a cleared buffer, and the backend
/// compares it with the one before so that only what changed reaches the terminal.
public final class Terminal {
    public let backend: any Backend
    /// The frame before last, handed back by the backend: the next frame's canvas.
    private var spare: Buffer?
    /// A frame drawn ahead and handed to the backend to prepare, not shown yet.
    private var prepared: Buffer?

    public init(backend: any Backend) {
        self.backend = backend
    }

    public var area: Rect { Rect(x: 0, y: 0, width: backend.size.width, height: backend.size.height) }

    /// Draws a frame, starting from every cell set to `background`.
    public func draw(background: Cell = .blank, _ render: (inout Buffer) -> Void) {
        discardPrepared()
        var buffer = canvas(background)
        render(&buffer)
        spare = backend.draw(buffer)
    }

    /// Draws a frame that is not shown yet: the backend works out what showing it takes, so that
    /// `showPrepared` costs little more than the write. Replaces any frame prepared before.
    public func prepare(background: Cell = .blank, _ render: (inout Buffer) -> Void) {
        discardPrepared()
        var buffer = canvas(background)
        render(&buffer)
        backend.prepare(buffer)
        prepared = buffer
    }

    /// Shows the prepared frame. False (and nothing shown) when there is none, or the screen
    /// changed since it was prepared: the caller draws the frame instead.
    public func showPrepared() -> Bool {
        guard let frame = prepared.take() else { return false }
        let (shown, replaced) = backend.showPrepared()
        spare = shown ? replaced : frame
        return shown
    }

    public func discardPrepared() {
        guard let frame = prepared.take() else { return }
        backend.discardPrepared()
        spare = frame
    }

    /// After a resize the old picture is meaningless: redraw everything next time.
    public func invalidate() {
        discardPrepared()
        backend.clear()
    }

    /// The frame before last, if it fits, cleared to `background`.
    private func canvas(_ background: Cell) -> Buffer {
        guard var buffer = spare.take(), buffer.area == area else { return Buffer(area: area, filling: background) }
        buffer.reset(filling: background)
        return buffer
    }
}
