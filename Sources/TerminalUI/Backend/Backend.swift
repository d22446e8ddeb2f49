/// The one thing that talks to a terminal. `CursesBackend` drives ncursesw; `TestBackend` keeps
/// cells in memory for tests.
public protocol Backend: AnyObject {
    var size: (width: Int, height: Int) { get }
    var capabilities: Capabilities { get }
    /// Writes changed cells (already downsampled) and shows them.
    func draw(_ changes: [(x: Int, y: Int, cell: Cell)])
    func flush()
    /// Waits up to `timeoutMilliseconds` (negative: forever) for input or a resize.
    func nextEvent(timeoutMilliseconds: Int) -> Event?
    /// Forget what is on screen, so the next frame redraws everything (after a resize).
    func clear()
}

/// Renders frames onto a backend: each frame is drawn whole, then only the cells that changed
/// since the previous frame are written.
public final class Terminal {
    public let backend: any Backend
    private var previous: Buffer?
    /// Cells written by the last frame, for benchmarks and tests.
    public private(set) var lastFrameChanges = 0

    public init(backend: any Backend) {
        self.backend = backend
    }

    public var area: Rect { Rect(x: 0, y: 0, width: backend.size.width, height: backend.size.height) }

    public func draw(_ render: (inout Buffer) -> Void) {
        var buffer = Buffer(area: area)
        render(&buffer)
        let depth = backend.capabilities.colors
        var changes = buffer.changes(since: previous)
        for index in changes.indices {
            changes[index].cell.style = changes[index].cell.style.downsampled(to: depth)
        }
        lastFrameChanges = changes.count
        backend.draw(changes)
        backend.flush()
        previous = buffer
    }

    /// After a resize the old picture is meaningless: redraw everything next time.
    public func invalidate() {
        previous = nil
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

    public init(width: Int, height: Int, capabilities: Capabilities = Capabilities(colors: .sixteen, unicode: true)) {
        size = (width, height)
        self.capabilities = capabilities
        screen = Buffer(area: Rect(x: 0, y: 0, width: width, height: height))
    }

    public func resize(width: Int, height: Int) {
        size = (width, height)
        screen = Buffer(area: Rect(x: 0, y: 0, width: width, height: height))
        pendingEvents.append(.resize(width: width, height: height))
    }

    public func draw(_ changes: [(x: Int, y: Int, cell: Cell)]) {
        cellsWritten += changes.count
        // Like a terminal: a wide character takes two cells, and one partly overwritten goes whole.
        for change in changes { screen.put(change.cell, x: change.x, y: change.y) }
    }

    public func flush() {}
    public func clear() { screen = Buffer(area: screen.area) }

    public func nextEvent(timeoutMilliseconds: Int) -> Event? {
        pendingEvents.isEmpty ? nil : pendingEvents.removeFirst()
    }

    public var lines: [String] { screen.lines }
}
