/// Rows a list drew on earlier frames, kept as cells by row index. A list that scrolls shows the
/// same rows frame after frame, and copying a row's cells costs far less than laying it out again
/// (measuring and formatting its text). A row is kept as the closure gave it, and as drawn
/// selected and not, so a selection that moves costs no layout either.
///
/// The cache cannot tell when rows go stale: its owner empties it (`removeAll`) whenever what the
/// rows are drawn from changes, or the cells under them (a row is drawn over what the area held,
/// such as the screen's background). Rows are kept for one position and width of the list; drawn
/// elsewhere, the list starts the cache over.
public final class ListRowCache {
    /// Direct-mapped by index: a frame shows consecutive rows, which never collide while the
    /// list is no taller than the capacity, and nothing is hashed. Consecutive rows' cells lie
    /// side by side in one block per variant, so a frame copies them in one sweep of memory with
    /// no reference counting.
    private let capacity: Int
    private var x = 0
    private var width = 0
    /// The row each slot holds, or -1.
    private var indices: [Int]
    private var spans: [[Span]]
    private var plain: [Cell] = []
    private var selected: [Cell] = []
    private var hasPlain: [Bool]
    private var hasSelected: [Bool]

    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        indices = Array(repeating: -1, count: self.capacity)
        spans = Array(repeating: [], count: self.capacity)
        hasPlain = Array(repeating: false, count: self.capacity)
        hasSelected = Array(repeating: false, count: self.capacity)
    }

    public func removeAll() {
        for slot in 0..<capacity {
            indices[slot] = -1
            spans[slot] = []
            hasPlain[slot] = false
            hasSelected[slot] = false
        }
    }

    /// Rows kept.
    public var count: Int { indices.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }

    private func slot(_ index: Int) -> Int { index % capacity }

    /// Rows for another place or width of the list are of no use: start over there.
    private func use(x: Int, width: Int) {
        guard x != self.x || width != self.width else { return }
        removeAll()
        self.x = x
        self.width = width
        plain = Array(repeating: .blank, count: capacity * width)
        selected = plain
    }

    /// The row's spans, when kept for this place and width.
    func spans(_ index: Int, x: Int, width: Int) -> [Span]? {
        let slot = slot(index)
        guard x == self.x, width == self.width, indices[slot] == index else { return nil }
        return spans[slot]
    }

    func has(_ index: Int, selected isSelected: Bool, x: Int, width: Int) -> Bool {
        let slot = slot(index)
        guard x == self.x, width == self.width, indices[slot] == index else { return false }
        return isSelected ? hasSelected[slot] : hasPlain[slot]
    }

    /// Copies the kept row to row `y` of `buffer`, from `x`; false when it is not kept.
    func paste(_ index: Int, selected isSelected: Bool, x: Int, y: Int, width: Int, into buffer: inout Buffer) -> Bool {
        guard has(index, selected: isSelected, x: x, width: width) else { return false }
        let start = slot(index) * width
        (isSelected ? selected : plain).withUnsafeBufferPointer { cells in
            buffer.paste(UnsafeBufferPointer(rebasing: cells[start..<start + width]), x: x, y: y)
        }
        return true
    }

    /// Keeps row `y` of `buffer` from `x` as row `index`, drawn selected or not from `spans`.
    func keep(_ index: Int, selected isSelected: Bool, spans rowSpans: [Span], from buffer: Buffer, x: Int, y: Int, width: Int) {
        use(x: x, width: width)
        let slot = slot(index)
        if indices[slot] != index {
            indices[slot] = index
            hasPlain[slot] = false
            hasSelected[slot] = false
        }
        spans[slot] = rowSpans
        let start = slot * width
        let copied = isSelected
            ? selected.withUnsafeMutableBufferPointer { buffer.copyRow(y, x: x, into: UnsafeMutableBufferPointer(rebasing: $0[start..<start + width])) }
            : plain.withUnsafeMutableBufferPointer { buffer.copyRow(y, x: x, into: UnsafeMutableBufferPointer(rebasing: $0[start..<start + width])) }
        if isSelected { hasSelected[slot] = copied } else { hasPlain[slot] = copied }
    }
}
