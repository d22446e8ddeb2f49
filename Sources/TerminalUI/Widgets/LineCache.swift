/// One row of the screen drawn on an earlier frame, kept as cells with what it was drawn from. A
/// header or status line is the same frame after frame, and copying its cells costs far less than
/// building and measuring its text again.
///
/// The key must hold everything the row is drawn from, including what was under it when the row
/// leaves cells untouched (a theme's background): the cache cannot see what it does not compare.
public final class LineCache<Key: Equatable> {
    // Inlinable, so each key type gets code of its own: generic code would look up the key's
    // type metadata at run time on every frame.
    @usableFromInline var key: Key?
    @usableFromInline var area = Rect(x: 0, y: 0, width: 0, height: 0)
    @usableFromInline var cells: [Cell] = []

    public init() {}

    /// Draws the row `area` (one row high) with `render`, or copies it from the last frame when
    /// `key` and `area` are the same.
    @inlinable
    public func draw(_ key: Key, in area: Rect, _ buffer: inout Buffer, render: (inout Buffer) -> Void) {
        if area == self.area, let kept = self.key, kept == key {
            buffer.paste(cells, x: area.x, y: area.y)
            return
        }
        render(&buffer)
        guard area.height == 1, let cells = buffer.cells(row: area.y, x: area.x, width: area.width) else {
            self.key = nil
            return
        }
        self.key = key
        self.area = area
        self.cells = cells
    }
}
