import Testing
import TerminalUI

@Suite("Rect: clamping and splits")
struct RectTests {
    static let tiny = [Rect(x: 0, y: 0, width: 1, height: 1), Rect.zero, Rect(x: 3, y: 4, width: 0, height: 5), Rect(x: 3, y: 4, width: 7, height: 0)]

    private func expectValid(_ rect: Rect, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(rect.width >= 0 && rect.height >= 0, "\(rect)", sourceLocation: sourceLocation)
    }

    @Test func negativeSizesBecomeZero() {
        let rect = Rect(x: 2, y: 3, width: -5, height: -1)
        #expect(rect.width == 0 && rect.height == 0)
        #expect(rect.isEmpty)
        #expect(rect.right == 2 && rect.bottom == 3)
    }

    @Test("Insets, splits and centring never give negative sizes", arguments: tiny)
    func tinyRectangles(_ rect: Rect) {
        for amount in [0, 1, 2, 50] {
            expectValid(rect.inset(by: amount))
            expectValid(rect.inset(horizontal: amount, vertical: 0))
            for count in [-3, 0, 1, 2, 100] {
                let (a, b) = rect.splitTop(count)
                let (c, d) = rect.splitBottom(count)
                let (e, f) = rect.splitLeft(count)
                for part in [a, b, c, d, e, f] { expectValid(part) }
                #expect(a.height + b.height == rect.height)
                #expect(c.height + d.height == rect.height)
                #expect(e.width + f.width == rect.width)
            }
            expectValid(rect.centered(width: amount, height: amount))
            expectValid(rect.row(amount))
        }
    }

    @Test func splitsPartitionTheArea() {
        let area = Rect(x: 1, y: 2, width: 80, height: 24)
        let (header, rest) = area.splitTop(1)
        #expect(header == Rect(x: 1, y: 2, width: 80, height: 1))
        #expect(rest == Rect(x: 1, y: 3, width: 80, height: 23))
        let (footer, body) = rest.splitBottom(1)
        #expect(footer == Rect(x: 1, y: 25, width: 80, height: 1))
        #expect(body == Rect(x: 1, y: 3, width: 80, height: 22))
        let (left, right) = body.splitLeft(30)
        #expect(left.width == 30 && right.x == 31 && right.width == 50)
        // Asking for more than there is takes everything.
        #expect(area.splitTop(100).0 == area && area.splitTop(100).1.isEmpty)
        #expect(area.splitLeft(-4).0.isEmpty && area.splitLeft(-4).1 == area)
    }

    @Test func intersection() {
        let a = Rect(x: 0, y: 0, width: 10, height: 10)
        #expect(a.intersection(Rect(x: 5, y: 5, width: 10, height: 10)) == Rect(x: 5, y: 5, width: 5, height: 5))
        let disjoint = a.intersection(Rect(x: 20, y: 20, width: 5, height: 5))
        #expect(disjoint.isEmpty)
        expectValid(disjoint)
        #expect(a.intersection(.zero).isEmpty)
    }

    @Test func centeredAndRows() {
        let area = Rect(x: 0, y: 0, width: 80, height: 24)
        #expect(area.centered(width: 60, height: 11) == Rect(x: 10, y: 6, width: 60, height: 11))
        #expect(area.centered(width: 200, height: 200) == area)
        #expect(area.row(3) == Rect(x: 0, y: 3, width: 80, height: 1))
        #expect(area.row(24).isEmpty)
        #expect(area.inset(by: 1) == Rect(x: 1, y: 1, width: 78, height: 22))
    }
}
