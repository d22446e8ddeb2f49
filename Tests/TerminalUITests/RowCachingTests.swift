import LMSTestSupport
import Testing
@testable import TerminalUI

/// Rows kept as cells (`Buffer.cells(row:)`/`paste`, `ListRowCache`, `LineCache`) and frames
/// drawn into reused memory must draw exactly what drawing afresh draws.
@Suite("Row caching and frame reuse")
struct RowCachingTests {
    @Test("Pasted cells are the cells taken; a wide character cut by either edge goes whole")
    func pasteKeepsWideCharactersWhole() throws {
        var source = Buffer(area: Rect(x: 0, y: 0, width: 8, height: 1))
        source.write("a日b", x: 2, y: 0)
        let row = try #require(source.cells(row: 0, x: 2, width: 4))
        var target = Buffer(area: Rect(x: 0, y: 0, width: 8, height: 2))
        target.paste(row, x: 2, y: 1)
        #expect(target.lines[1] == "  a日b  ")
        #expect(target.cells(row: 1, x: 2, width: 4) == row)

        // Over the right half of one wide character and the left half of another.
        var cut = Buffer(area: Rect(x: 0, y: 0, width: 8, height: 1))
        cut.write("日本語x", x: 0, y: 0)
        cut.paste(Array(repeating: Cell("z"), count: 2), x: 1, y: 0)
        #expect(cut.lines[0] == " zz 語x ")
        #expect(!cut[1, 0].isContinuation && !cut[3, 0].isContinuation && cut[5, 0].isContinuation)

        // Rows that do not fit are neither taken nor pasted.
        #expect(source.cells(row: 0, x: 6, width: 4) == nil)
        #expect(source.cells(row: 1, x: 0, width: 1) == nil)
        var untouched = Buffer(area: Rect(x: 0, y: 0, width: 3, height: 1))
        untouched.paste(row, x: 0, y: 0)
        #expect(untouched.lines == ["   "])
    }

    /// A 100,000-row list scrolled, jumped and paged through with a cache must draw what it draws
    /// without one, with fewer rows built.
    @Test func cachedRowsDrawWhatFreshRowsDraw() {
        let area = Rect(x: 1, y: 1, width: 24, height: 8)
        let cache = ListRowCache(capacity: 32)
        var cachedState = ListState(), freshState = ListState()
        var built = 0
        let background = Cell(" ", style: Style(background: .blue))
        func frame(_ state: inout ListState, cache: ListRowCache?) -> Buffer {
            var buffer = Buffer(area: Rect(x: 0, y: 0, width: 26, height: 10), filling: background)
            let view = ListView(count: 100_000, selectedStyle: Style(foreground: .black, background: .yellow), marker: "▶ ") { index in
                if cache != nil { built += 1 }
                return [Span("Row \(index) 日本", style: Style(modifiers: .bold)), Span(" · \(index % 7)")]
            }
            view.render(area, &buffer, state: &state, cache: cache)
            // Every other frame, rows are also laid out ahead, as the app does once a frame is out.
            if let cache, state.selected % 2 == 0 { view.prefetch(area, state: state, cache: cache, background: background) }
            return buffer
        }
        let moves = Array(repeating: 1, count: 20) + Array(repeating: -1, count: 12) + [50_000, 7, -3, 99_999, -99_999] + Array(repeating: 1, count: 10)
        for move in moves {
            cachedState.move(move, count: 100_000)
            freshState.move(move, count: 100_000)
            // A Bool, so a failure reads as one line rather than two buffers.
            let alike = frame(&cachedState, cache: cache) == frame(&freshState, cache: nil)
            #expect(alike, "after moving by \(move) to row \(freshState.selected)")
        }
        // Each row's text is built once while it stays cached, not once a frame.
        #expect(built < moves.count * 8 / 2, "\(built) rows built for \(moves.count) frames")
        // Drawn over another background, the kept rows would show it: the owner empties the cache.
        cache.removeAll()
        #expect(cache.count <= 32)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test("Rows laid out ahead are the rows a one-row move brings into view: that frame builds none")
    func prefetchedRowsMakeTheNextMoveFree() {
        let area = Rect(x: 0, y: 0, width: 20, height: 5)
        let cache = ListRowCache()
        var built: [Int] = []
        let view = ListView(count: 1_000) { index in
            built.append(index)
            return [Span("Row \(index)")]
        }
        var state = ListState(selected: 4, offset: 0)
        var buffer = Buffer(area: area)
        view.render(area, &buffer, state: &state, cache: cache)
        #expect(built == Array(0..<5))
        view.prefetch(area, state: state, cache: cache, background: .blank)
        #expect(built == Array(0..<6))
        state.move(1, count: 1_000)
        buffer = Buffer(area: area)
        view.render(area, &buffer, state: &state, cache: cache)
        #expect(built == Array(0..<6))
        #expect(buffer.lines.last?.hasPrefix("▶ Row 5 ") == true)
        // Above the view too, once there is a row there.
        view.prefetch(area, state: state, cache: cache, background: .blank)
        #expect(built == [0, 1, 2, 3, 4, 5, 6])
        state.select(1, count: 1_000)
        view.render(area, &buffer, state: &state, cache: cache)
        view.prefetch(area, state: state, cache: cache, background: .blank)
        #expect(built == [0, 1, 2, 3, 4, 5, 6])
        state.move(-1, count: 1_000)
        buffer = Buffer(area: area)
        view.render(area, &buffer, state: &state, cache: cache)
        #expect(built == [0, 1, 2, 3, 4, 5, 6])
        #expect(buffer.lines.first?.hasPrefix("▶ Row 0 ") == true)
    }

    @Test func aLineIsDrawnAgainWhenItsKeyOrPlaceChanges() {
        let cache = LineCache<String>()
        var renders = 0
        func frame(_ text: String, width: Int = 12) -> Buffer {
            var buffer = Buffer(area: Rect(x: 0, y: 0, width: width, height: 2))
            cache.draw(text, in: Rect(x: 0, y: 1, width: width, height: 1), &buffer) { buffer in
                renders += 1
                buffer.write(text, x: 0, y: 1, style: Style(modifiers: .reverse))
            }
            return buffer
        }
        #expect(frame("status 1").lines[1] == "status 1    ")
        #expect(frame("status 1").lines[1] == "status 1    ")
        #expect(renders == 1)
        #expect(frame("status 2").lines[1] == "status 2    ")
        #expect(frame("status 2", width: 10).lines[1] == "status 2  ")
        #expect(renders == 3)
    }

    @Test("Terminal draws each frame from the given background into the memory of the frame before last")
    func terminalReusesFrames() {
        let backend = TestBackend(width: 6, height: 2)
        let terminal = Terminal(backend: backend)
        let red = Cell(" ", style: Style(background: .red))
        terminal.draw(background: red) { $0.write("one", x: 0, y: 0) }
        terminal.draw { $0.write("two", x: 1, y: 1) }
        #expect(backend.lines == ["      ", " two  "])
        #expect(backend.screen[5, 0] == .blank)
        terminal.draw(background: red) { $0.write("3", x: 0, y: 0) }
        #expect(backend.lines == ["3     ", "      "])
        #expect(backend.screen[5, 1].style.background == .red)
        #expect(backend.screen[0, 0].style.background == .red)
    }
}
