/// The one thing that talks to a terminal: it sends bytes and reads keys. `CursesBackend` drives a
/// real one; the tests' `TestBackend` (LMSTestSupport) feeds a screen emulator. What the bytes
/// are is decided once, by `Terminal` and its `FrameEncoder`, whatever the backend.
public protocol Backend: AnyObject {
    var size: (width: Int, height: Int) { get }
    var capabilities: Capabilities { get }
    /// How this terminal moves the cursor, sets attributes and scrolls.
    var sequences: ControlSequences { get }
    /// Sends all of `bytes`, in one write where the terminal allows.
    func write(_ bytes: [UInt8])
    /// Waits up to `timeoutMilliseconds` (negative: forever) for input or a resize.
    func nextEvent(timeoutMilliseconds: Int) -> Event?
    /// Whether input arrives within `timeoutMilliseconds`, without taking it.
    func hasInput(withinMilliseconds timeoutMilliseconds: Int) -> Bool
}

/// Renders frames onto a backend: each frame is drawn whole into a cleared buffer, and the
/// encoder compares it with the one before so that only what changed reaches the terminal.
///
/// This is where the app's speed work lives: frames can be drawn ahead (`prepare`) for input
/// that has not come yet, and shown for the cost of a write when it does (`showPrepared`).
/// What is drawn never depends on it.
public final class Terminal {
    public let backend: any Backend
    private var encoder: FrameEncoder
    private var output: [UInt8] = []
    /// The frame before last, handed back by the encoder: the next frame's canvas.
    private var spare: Buffer?
    /// Frames drawn ahead, each with the bytes that would show it.
    private var prepared: [(frame: Buffer, encoded: FrameEncoder.PreparedFrame)] = []
    /// Frames shown through `showPrepared` rather than drawn (tests and benchmarks read it).
    public private(set) var preparedFramesShown = 0

    public init(backend: any Backend) {
        self.backend = backend
        encoder = FrameEncoder(sequences: backend.sequences, capabilities: backend.capabilities)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: backend.size.width, height: backend.size.height) }

    /// Draws and shows a frame, starting from every cell set to `background`. Frames prepared
    /// before are dropped: they were made for the picture this one replaces.
    public func draw(background: Cell = .blank, _ render: (inout Buffer) -> Void) {
        discardPrepared()
        var buffer = canvas(background)
        render(&buffer)
        output.removeAll(keepingCapacity: true)
        spare = encoder.encode(buffer, into: &output)
        backend.write(output)
        // The frame is on its way; now the byte-for-byte check of the rows it scrolled.
        output.removeAll(keepingCapacity: true)
        encoder.confirm(into: &output)
        if !output.isEmpty { backend.write(output) }
    }

    /// Draws a frame that is not shown yet and works out the bytes that would show it, so that
    /// `showPrepared` costs little more than the write. Returns its number; a frame equal to one
    /// prepared before gets that one's number, and costs no second encoding.
    @discardableResult
    public func prepare(background: Cell = .blank, _ render: (inout Buffer) -> Void) -> Int {
        var buffer = canvas(background)
        render(&buffer)
        if let same = prepared.firstIndex(where: { $0.frame == buffer }) {
            spare = buffer
            return same
        }
        prepared.append((buffer, encoder.prepare(buffer)))
        return prepared.count - 1
    }

    /// Shows prepared frame `number` (the last prepared, by default). False, and nothing
    /// shown, when there is no such frame or the screen changed since it was prepared: the
    /// caller draws the frame instead. The other prepared frames are dropped either way.
    @discardableResult
    public func showPrepared(_ number: Int? = nil) -> Bool {
        let frames = prepared
        prepared = []
        guard let number = number ?? frames.indices.last, frames.indices.contains(number),
              encoder.canShow(frames[number].encoded) else { return false }
        backend.write(frames[number].encoded.bytes)
        spare = encoder.adopt(frames[number].encoded)
        preparedFramesShown += 1
        return true
    }

    public func discardPrepared() {
        prepared = []
    }

    /// After a resize, or another program used the terminal, the old picture is meaningless:
    /// the next frame repaints everything.
    public func invalidate() {
        discardPrepared()
        encoder.reset()
    }

    /// The frame before last, if it fits, cleared to `background`; its text in ASCII when the
    /// terminal shows no Unicode.
    private func canvas(_ background: Cell) -> Buffer {
        var buffer: Buffer
        if let kept = spare.take(), kept.area == area {
            buffer = kept
            buffer.reset(filling: background)
        } else {
            buffer = Buffer(area: area, filling: background)
        }
        buffer.asciiOnly = !backend.capabilities.unicode
        return buffer
    }
}
