import Foundation
import Testing
import TerminalUI

@Suite("ListView: virtual scrolling")
struct ListViewTests {
    static let rowCount = 100_000
    static let area = Rect(x: 0, y: 0, width: 30, height: 10)

    /// Renders the big list, returning the screen and which rows the closure was asked for.
    private func render(_ state: inout ListState, count: Int = rowCount, area: Rect = area) -> (lines: [String], built: [Int]) {
        var built: [Int] = []
        var buffer = Buffer(area: area)
        ListView(count: count) { index in
            built.append(index)
            return [Span("Row \(index)")]
        }.render(area, &buffer, state: &state)
        return (buffer.lines, built)
    }

    private func expectSelectionVisible(_ state: ListState, _ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(state.selected >= state.offset && state.selected < state.offset + Self.area.height, "\(state)", sourceLocation: sourceLocation)
        let row = state.selected - state.offset
        #expect(lines[row].hasPrefix("▶ Row \(state.selected) "), "row \(row): '\(lines[row])'", sourceLocation: sourceLocation)
        #expect(lines.filter { $0.hasPrefix("▶") }.count == 1, sourceLocation: sourceLocation)
    }

    @Test("Only the visible rows are built, wherever the list is scrolled")
    func onlyVisibleRowsAreBuilt() {
        var state = ListState()
        var (lines, built) = render(&state)
        #expect(built == Array(0..<10))
        expectSelectionVisible(state, lines)

        state.select(54_321, count: Self.rowCount)
        (lines, built) = render(&state)
        #expect(built.count == 10)
        #expect(built == Array(54_312...54_321))
        expectSelectionVisible(state, lines)
    }

    @Test func topBottomAndPageMovesKeepTheSelectionVisible() {
        var state = ListState()
        let page = Self.area.height - 1
        // To the bottom (G / End).
        state.move(Int.max / 2, count: Self.rowCount)
        var (lines, built) = render(&state)
        #expect(state.selected == Self.rowCount - 1)
        #expect(state.offset == Self.rowCount - Self.area.height)
        #expect(built.count == Self.area.height)
        expectSelectionVisible(state, lines)
        #expect(lines.last!.hasPrefix("▶ Row 99999"))

        // Page up, twice.
        for expected in [Self.rowCount - 1 - page, Self.rowCount - 1 - 2 * page] {
            state.move(-page, count: Self.rowCount)
            (lines, built) = render(&state)
            #expect(state.selected == expected)
            #expect(built.count == Self.area.height)
            expectSelectionVisible(state, lines)
        }

        // Back to the top (g / Home).
        state.move(Int.min / 2, count: Self.rowCount)
        (lines, built) = render(&state)
        #expect(state.selected == 0 && state.offset == 0)
        expectSelectionVisible(state, lines)

        // Page down from the top, then one row at a time past the bottom of the view.
        state.move(page, count: Self.rowCount)
        (lines, _) = render(&state)
        #expect(state.selected == page && state.offset == 0)
        expectSelectionVisible(state, lines)
        state.move(1, count: Self.rowCount)
        (lines, _) = render(&state)
        #expect(state.offset == 1)
        expectSelectionVisible(state, lines)
        // Up to the row above the view scrolls back.
        state.move(-10, count: Self.rowCount)
        (lines, _) = render(&state)
        #expect(state.selected == 0 && state.offset == 0)
        expectSelectionVisible(state, lines)
    }

    @Test func randomMovesAlwaysKeepTheSelectionVisible() {
        var random = SeededRandom(seed: 7)
        var state = ListState()
        for _ in 0..<300 {
            let delta = [-1, 1, -9, 9, Int.min / 2, Int.max / 2, Int.random(in: -50_000...50_000, using: &random)].randomElement(using: &random)!
            state.move(delta, count: Self.rowCount)
            let (lines, built) = render(&state)
            #expect(built.count == Self.area.height)
            expectSelectionVisible(state, lines)
        }
    }

    @Test func scrollIndicatorFollowsTheOffset() {
        var state = ListState()
        var (lines, _) = render(&state)
        #expect(lines[0].hasSuffix("┃"))
        state.move(Int.max / 2, count: Self.rowCount)
        (lines, _) = render(&state)
        #expect(lines[9].hasSuffix("┃"))
        #expect(lines.filter { $0.hasSuffix("┃") }.count == 1)
    }

    @Test func shortListsAndEmptyLists() {
        var state = ListState(selected: 50, offset: 40)
        var (lines, built) = render(&state, count: 3)
        #expect(state.selected == 2 && state.offset == 0)
        #expect(built == [0, 1, 2])
        #expect(lines[2].hasPrefix("▶ Row 2"))
        #expect(!lines.joined().contains("┃"))

        var empty = ListState(selected: 5, offset: 5)
        (lines, built) = render(&empty, count: 0)
        #expect(built.isEmpty && empty == ListState())
        #expect(lines.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty })

        var tiny = ListState()
        (lines, built) = render(&tiny, area: Rect(x: 0, y: 0, width: 1, height: 1))
        #expect(built == [0])
        (_, built) = render(&tiny, area: .zero)
        #expect(built.isEmpty)
    }

    @Test func selectedRowUsesTheSelectionStyleAcrossTheWholeWidth() {
        var state = ListState(selected: 1)
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 12, height: 3))
        let selection = Style(foreground: .black, background: .cyan)
        ListView(count: 3, selectedStyle: selection, marker: "> ") { [Span("item \($0)", style: Style(modifiers: .bold))] }
            .render(buffer.area, &buffer, state: &state)
        #expect(buffer.lines == ["  item 0    ", "> item 1    ", "  item 2    "])
        #expect(buffer[11, 1].style.background == .cyan)
        #expect(buffer[3, 1].style == Style(foreground: .black, background: .cyan, modifiers: .bold))
        #expect(buffer[11, 0].style.background == nil)
    }

    /// A reverse-video selection has no colours of its own: the selected row must not keep its
    /// spans' colours, or reverse video would paint them as backgrounds in mid-bar.
    @Test func selectedRowDropsSpanColoursButKeepsModifiers() {
        var state = ListState(selected: 0)
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 12, height: 2))
        ListView(count: 2, selectedStyle: Style(modifiers: .reverse), marker: "> ") {
            [Span("a\($0)", style: Style(foreground: .yellow, modifiers: .underline)), Span(" b", style: Style(foreground: .gray))]
        }.render(buffer.area, &buffer, state: &state)
        #expect(buffer[2, 0].style == Style(modifiers: [.reverse, .underline]))
        #expect(buffer[5, 0].style == Style(modifiers: .reverse))
        #expect(buffer[2, 1].style == Style(foreground: .yellow, modifiers: .underline), "rows not selected keep their colours")
    }
}

@Suite("TableView")
struct TableViewTests {
    @Test func columnsAreCutToTheirWidth() {
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: 20, height: 3))
        TableView(columns: [.init("Course", width: 8), .init("Price", width: 6)],
                  rows: [[Span("日本語 入門"), Span("free")], [Span("Terminal Mastery"), Span("€29.00")], [Span("hidden"), Span("")]])
            .render(buffer.area, &buffer)
        #expect(buffer.lines == ["Course   Price      ", "日本語 … free       ", "Termina… €29.00     "])
    }
}
