/// The one thing that talks to a terminal. `CursesBackend` drives a real one; `TestBackend`
/// keeps cells in memory for tests.
public protocol Backend: AnyObject {
    var size: (width: Int, height: Int) { get }
    var capabilities: Capabilities { get }
    /// Shows `frame`. A backend remembers what it showed last and sends only what changed.
    /// Shows `frame`, and hands back the frame it replaced once nothing refers to it any more, so
    /// that the next frame is drawn into memory already mapped and cached rather than a fresh
    /// allocation (nil: none to give).
    func draw(_ frame: Buffer) -> Buffer?
    /// Waits up to `timeoutMilliseconds` (negative: forever) for input or a resize.
    func nextEvent(timeoutMilliseconds: Int) -> Event?
    /// Forget what is on screen, so the next frame redraws everything (after a resize).
    func clear()
}

/// Renders frames onto a backend: each frame is drawn whole into a cleared buffer, and the backend
/// compares it with the one before so that only what changed reaches the terminal.
public final class Terminal {
    public let backend: any Backend
    /// The frame before last, handed back by the backend: the next frame's canvas.
    private var spare: Buffer?

    public init(backend: any Backend) {
        self.backend = backend
    }

    public var area: Rect { Rect(x: 0, y: 0, width: backend.size.width, height: backend.size.height) }

    /// Draws a frame, starting from every cell set to `background`.
    public func draw(background: Cell = .blank, _ render: (inout Buffer) -> Void) {
        var buffer = spare.take() ?? Buffer(area: area, filling: background)
        if buffer.area != area {
            buffer = Buffer(area: area, filling: background)
        } else {
            buffer.reset(filling: background)
        }
        render(&buffer)
        spare = backend.draw(buffer)
    }

    /// After a resize the old picture is meaningless: redraw everything next time.
    public func invalidate() {
        backend.clear()
    }
}

/// An in-memory terminal for tests: what was drawn, and a queue of events to feed the app.
public final class TestBackend: Backend {
    public private(set) var size: (width: Int, height: Int)
    public let capabilities: Capabilities
    public private(set) var screen: Buffer
    public var pendingEvents: [Event] = []
    public private(set) var cellsWritten = 0
    /// Cells the last frame changed.
    public private(set) var lastFrameChanges = 0
    private var shown: Buffer?

    public init(width: Int, height: Int, capabilities: Capabilities = Capabilities(colors: .sixteen, unicode: true)) {
        size = (width, height)
        self.capabilities = capabilities
        screen = Buffer(area: Rect(x: 0, y: 0, width: width, height: height))
    }

    public func resize(width: Int, height: Int) {
        size = (width, height)
        screen = Buffer(area: Rect(x: 0, y: 0, width: width, height: height))
        shown = nil
        pendingEvents.append(.resize(width: width, height: height))
    }

    public func draw(_ frame: Buffer) -> Buffer? {
        let changes = frame.changes(since: shown)
        lastFrameChanges = changes.count
        cellsWritten += changes.count
        // Like a terminal: a wide character takes two cells, and one partly overwritten goes whole.
        for change in changes {
            var cell = change.cell
            cell.style = cell.style.downsampled(to: capabilities.colors)
            screen.put(cell, x: change.x, y: change.y)
        }
        defer { shown = frame }
        return shown
    }

    public func clear() {
        screen = Buffer(area: screen.area)
        shown = nil
    }

    public func nextEvent(timeoutMilliseconds: Int) -> Event? {
        pendingEvents.isEmpty ? nil : pendingEvents.removeFirst()
    }

    public var lines: [String] { screen.lines }
}
