import Foundation
import LMSKit
import TerminalUI

/// Catalog rows laid out on earlier frames. Scrolling shows the same few dozen rows frame after
/// frame, and laying one out (measuring the title, formatting price and duration) costs more than
/// drawing it. A row is reused only while its course, the learner's ownership of it and all the
/// layout reads (title width, theme, glyph set) are unchanged; the memo never changes what is
/// drawn, only how often it is worked out.
public final class RowMemo {
    struct Layout: Equatable {
        var titleWidth: Int
        var theme: Theme
        var unicode: Bool
    }

    private struct Row {
        var course: Course
        var ownership: AccessGrant?
        var spans: [Span]
    }

    private var layout: Layout?
    private var rows: [UUID: Row] = [:]
    /// Rows kept at most; a long scroll through 100,000 courses starts over rather than grow.
    private let capacity: Int

    public init(capacity: Int = 2048) {
        self.capacity = capacity
    }

    /// Called once per frame, before any row: rows laid out for another layout are dropped.
    func use(_ layout: Layout) {
        guard layout != self.layout else { return }
        rows.removeAll(keepingCapacity: true)
        self.layout = layout
    }

    /// The row laid out earlier for this course and ownership, if any.
    func spans(for course: Course, ownership: AccessGrant?) -> [Span]? {
        guard let row = rows[course.id], row.ownership == ownership, row.course == course else { return nil }
        return row.spans
    }

    func keep(_ spans: [Span], for course: Course, ownership: AccessGrant?) {
        if rows.count >= capacity { rows.removeAll(keepingCapacity: true) }
        rows[course.id] = Row(course: course, ownership: ownership, spans: spans)
    }

    var count: Int { rows.count }
}
