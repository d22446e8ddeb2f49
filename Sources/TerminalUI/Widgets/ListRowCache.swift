/// Rows a list drew on earlier frames, kept as cells by row index. A list that scrolls shows the
/// same rows frame after frame, and copying a row's cells costs far less than laying it out again
/// (measuring and formatting its text). A row is kept as the closure gave it, and as drawn
/// selected and not, so a selection that moves costs no layout either.
///
/// The cache cannot tell when rows go stale: its owner empties it (`removeAll`) whenever what the
/// rows are drawn from changes, or the cells under them (a row is drawn over what the area held,
/// such as the screen's background). Where a row is drawn it checks itself: a row kept for
/// another position or width is drawn anew.
public final class ListRowCache {
    struct Entry {
        var index: Int
        var x: Int
        var width: Int
        var spans: [Span]
        var plain: [Cell]?
        var selected: [Cell]?
    }

    /// Direct-mapped by index: a frame shows consecutive rows, which never collide while the
    /// list is no taller than the capacity, and nothing is hashed.
    private var entries: [Entry?]

    public init(capacity: Int = 256) {
        entries = Array(repeating: nil, count: max(1, capacity))
    }

    public func removeAll() {
        for slot in entries.indices { entries[slot] = nil }
    }

    /// Rows kept.
    public var count: Int { entries.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    private func slot(_ index: Int) -> Int { index % entries.count }

    func entry(_ index: Int, x: Int, width: Int) -> Entry? {
        guard let entry = entries[slot(index)], entry.index == index, entry.x == x, entry.width == width else { return nil }
        return entry
    }

    func keep(_ index: Int, x: Int, width: Int, spans: [Span], cells: [Cell], selected: Bool) {
        var entry = self.entry(index, x: x, width: width) ?? Entry(index: index, x: x, width: width, spans: spans)
        if selected { entry.selected = cells } else { entry.plain = cells }
        entries[slot(index)] = entry
    }

}
