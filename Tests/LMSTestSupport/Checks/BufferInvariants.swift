import TerminalUI
import Testing

extension Buffer {
    /// Checks the invariants every buffer must keep after any sequence of writes: each row is
    /// exactly as wide as the buffer on a terminal, and every continuation cell follows the left
    /// half of a wide character (and every wide character has its continuation).
    package func checkInvariants(sourceLocation: SourceLocation = #_sourceLocation) {
        for (row, line) in lines.enumerated() {
            #expect(DisplayWidth.of(line) == area.width, "row \(row) is \(DisplayWidth.of(line)) columns wide: '\(line)'", sourceLocation: sourceLocation)
        }
        for y in area.y..<area.bottom {
            for x in area.x..<area.right {
                let cell = self[x, y]
                if cell.isContinuation {
                    let head = self[x - 1, y]
                    #expect(x > area.x && !head.isContinuation && DisplayWidth.of(head.symbol) == 2,
                            "continuation at \(x),\(y) without a wide character before it", sourceLocation: sourceLocation)
                } else if DisplayWidth.of(cell.symbol) == 2 {
                    #expect(x + 1 < area.right && self[x + 1, y].isContinuation,
                            "wide '\(cell.symbol)' at \(x),\(y) without its continuation", sourceLocation: sourceLocation)
                }
            }
        }
    }
}
