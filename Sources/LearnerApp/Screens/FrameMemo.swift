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
public final class FrameMemo {
    /// What a catalog row is drawn from, besides its course: a sync or a purchase loads a new
    /// library, so the library's identity stands for its courses and the learner's ownership.
    struct CatalogContext: Equatable {
        var library: CourseLibrary?
        var query: String
        var theme: Theme
        var unicode: Bool
        var monochrome: Bool

        static func == (lhs: CatalogContext, rhs: CatalogContext) -> Bool {
            lhs.library === rhs.library && lhs.query == rhs.query && lhs.unicode == rhs.unicode
                && lhs.monochrome == rhs.monochrome && lhs.theme == rhs.theme
        }
    }

    /// The crumbs come from the stack of screens, with the titles of courses and lessons from
    /// loaded data; the name and role from the library.
    struct HeaderKey: Equatable {
        var stack: [Route]
        var loadedTitles: [String]
        var library: CourseLibrary?
        var unicode: Bool
        var theme: Theme

        static func == (lhs: HeaderKey, rhs: HeaderKey) -> Bool {
            lhs.library === rhs.library && lhs.unicode == rhs.unicode && lhs.stack == rhs.stack
                && lhs.loadedTitles == rhs.loadedTitles && lhs.theme == rhs.theme
        }
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
