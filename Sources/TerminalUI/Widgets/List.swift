/// Selection and scroll position of a list. Only the rows on screen are ever rendered, so a list
/// of 100,000 items costs the same per frame as one of 20.
public struct ListState: Hashable, Sendable {
    public var selected: Int
    public var offset: Int

    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection by `delta`, clamped to the list.
    public mutating func move(_ delta: Int, count: Int) {
        guard count > 0 else { selected = 0; offset = 0; return }
        selected = max(0, min(count - 1, selected + delta))
    }

    public mutating func select(_ index: Int, count: Int) {
        selected = count == 0 ? 0 : max(0, min(count - 1, index))
    }

    /// Keeps the selection visible in a viewport of `height` rows.
    public mutating func scrollToSelection(height: Int, count: Int) {
        guard height > 0 else { return }
        if selected < offset { offset = selected }
        if selected >= offset + height { offset = selected - height + 1 }
        offset = max(0, min(offset, max(0, count - height)))
    }
}

/// A scrolling list. Rows come from a closure so callers never build rows that are off screen.
public struct ListView {
    public var count: Int
    public var row: (Int) -> [Span]
    public var selectedStyle: Style
    public var marker: String

    public init(count: Int, selectedStyle: Style = Style(modifiers: .reverse), marker: String = "▶ ", row: @escaping (Int) -> [Span]) {
        self.count = count
        self.row = row
        self.selectedStyle = selectedStyle
        self.marker = marker
    }

    /// Draws the visible rows.
    public func render(_ area: Rect, _ buffer: inout Buffer, state: inout ListState) {
        guard !area.isEmpty else { return }
        state.move(0, count: count)
        state.scrollToSelection(height: area.height, count: count)
        let markerWidth = DisplayWidth.of(marker)
        for line in 0..<area.height {
            let index = state.offset + line
            guard index < count else { break }
            draw(row(index), selected: index == state.selected, in: area.row(line), markerWidth: markerWidth, &buffer)
        }
        // A scroll indicator when the list is longer than the view. Plain: the terminal scrolls it
        // with the rows, so it is redrawn on almost every step, and an attribute would triple that.
        if count > area.height, area.width > 2 {
            let thumb = area.y + (area.height - 1) * state.offset / max(1, count - area.height)
            buffer.write("┃", x: area.right - 1, y: thumb)
        }
    }
}

extension ListView {
    /// One row, over what `rowArea` holds.
    private func draw(_ spans: [Span], selected: Bool, in rowArea: Rect, markerWidth: Int, _ buffer: inout Buffer) {
        guard selected else {
            buffer.write(spans, x: rowArea.x + markerWidth, y: rowArea.y, maxWidth: rowArea.width - markerWidth)
            return
        }
        buffer.fill(rowArea, with: Cell(" ", style: selectedStyle))
        buffer.write(marker, x: rowArea.x, y: rowArea.y, maxWidth: rowArea.width, style: selectedStyle)
        // The selected row is one bar in the selection's colours (none: the terminal's own, as
        // reverse video needs); the spans keep only their modifiers.
        let bar = spans.map { span in
            Span(span.text, style: Style(
                foreground: selectedStyle.foreground, background: selectedStyle.background,
                modifiers: span.style.modifiers.union(selectedStyle.modifiers)))
        }
        buffer.write(bar, x: rowArea.x + markerWidth, y: rowArea.y, maxWidth: rowArea.width - markerWidth)
    }
}

/// A table: a header and rows of cells in fixed-width columns.
public struct TableView {
    public struct Column {
        public var title: String
        public var width: Int
        public init(_ title: String, width: Int) {
            self.title = title
            self.width = width
        }
    }

    public var columns: [Column]
    public var rows: [[Span]]
    public var headerStyle: Style

    public init(columns: [Column], rows: [[Span]], headerStyle: Style = Style(modifiers: .bold)) {
        self.columns = columns
        self.rows = rows
        self.headerStyle = headerStyle
    }

    public func render(_ area: Rect, _ buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        var x = area.x
        for column in columns {
            buffer.write(column.title, x: x, y: area.y, maxWidth: min(column.width, area.right - x), style: headerStyle)
            x += column.width + 1
        }
        for (index, row) in rows.prefix(area.height - 1).enumerated() {
            var x = area.x
            for (column, cell) in zip(columns, row) {
                guard x < area.right else { break }
                buffer.write(DisplayWidth.truncate(cell.text, to: min(column.width, area.right - x)), x: x, y: area.y + 1 + index, style: cell.style)
                x += column.width + 1
            }
        }
    }
}
