import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// What earlier frames drew, kept as cells so the next frame copies what did not change instead
/// of laying it out again: the header, the status line, and the catalog's rows. Scrolling the
/// catalog shows the same few dozen rows and the same two bars frame after frame, and building
/// their text (measuring titles, formatting prices, durations and times) costs far more than
/// copying cells. Each part is kept with everything it was drawn from and redrawn when any of it
/// changes; the memo never changes what is drawn, only how often it is worked out.
///
/// Frames drawn ahead for a predicted key go through the memo too. The header and status caches
/// keep one line each, so a wrong guess that changed them (Enter, `/`) costs the next frame
/// their redrawing; the guess is the last key again, which for scrolling changes neither.
public final class FrameMemo {
    /// A library compared by identity: a sync or a purchase loads a new one, so the same object
    /// means the same courses, user and ownership, and comparing it costs one pointer.
    struct SameLibrary: Equatable {
        var library: CourseLibrary?

        static func == (lhs: SameLibrary, rhs: SameLibrary) -> Bool { lhs.library === rhs.library }
    }

    /// What a catalog row is drawn from, besides its course.
    struct CatalogContext: Equatable {
        var library: SameLibrary
        var query: String
        var theme: Theme
        var unicode: Bool
        var monochrome: Bool
    }

    /// The crumbs come from the stack of screens, with the titles of courses and lessons from
    /// loaded data; the name and role from the library.
    struct HeaderKey: Equatable {
        var library: SameLibrary
        var stack: [Route]
        var loadedTitles: [String]
        var unicode: Bool
        var theme: Theme
    }

    struct StatusKey: Equatable {
        var sync: SyncStatus
        var pending: Int
        var rejected: Int
        var lastSync: Date?
        var message: StatusMessage?
        var hints: String
        var unicode: Bool
        var theme: Theme
    }

    struct CatalogSummaryKey: Equatable {
        var count: Int
        var filterText: String
        var theme: Theme
    }

    /// Work for the next frame, queued by this one's drawing, done once it has been shown.
    private var preparations: [() -> Void] = []

    let header = LineCache<HeaderKey>()
    let status = LineCache<StatusKey>()
    let catalogSummary = LineCache<CatalogSummaryKey>()
    private var catalogContext: CatalogContext?
    private let catalogRows: ListRowCache

    /// `catalogRows`: catalog rows kept at most; a long scroll through 100,000 courses replaces
    /// them as it goes.
    public init(catalogRows: Int = 256) {
        self.catalogRows = ListRowCache(capacity: catalogRows)
    }

    /// The catalog rows kept for `context`, emptied first if they were drawn for another.
    func catalogRows(for context: CatalogContext) -> ListRowCache {
        if context != catalogContext {
            catalogRows.removeAll()
            catalogContext = context
        }
        return catalogRows
    }

    /// A frame begins: work queued by one that was never followed by `prepareNextFrame` is
    /// stale, and dropped.
    func beginFrame() {
        preparations.removeAll()
    }

    /// Queues work that makes the next frame cheaper (such as laying out the rows a key would
    /// bring into view); `prepareNextFrame` does it.
    func afterFrame(_ work: @escaping () -> Void) {
        preparations.append(work)
    }

    /// Does what the last frame queued: called once that frame is on the screen, so a key's frame
    /// never waits for work done for the one after it.
    public func prepareNextFrame() {
        let work = preparations
        preparations = []
        for item in work { item() }
    }

    /// Catalog rows kept.
    var catalogRowCount: Int { catalogRows.count }
}
