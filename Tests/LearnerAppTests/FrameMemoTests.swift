import LMSClient
import LMSKit
import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp

/// Frames keep their header, status line and catalog rows as cells; a frame drawn with the memo
/// must always be the frame drawn without it, whatever changed in between.
@Suite("Frame memo")
struct FrameMemoTests {
    static func frame(_ state: AppState, memo: FrameMemo?) -> Buffer {
        var buffer = Buffer(area: Rect(x: 0, y: 0, width: state.width, height: state.height))
        Screen.render(state, into: &buffer, memo: memo)
        // As the app does once a frame is out: rows about to come into view are laid out.
        memo?.prepareNextFrame()
        return buffer
    }

    /// Whether the memo's frame is the memo-less one (a Bool, so a failure reads as one line).
    static func drawnAlike(_ state: AppState, _ memo: FrameMemo) -> Bool {
        frame(state, memo: memo) == frame(state, memo: nil)
    }

    static func catalog(records: LearnerRecords, width: Int = 100, theme: Theme = DemoFixture.defaultTheme) -> AppState {
        var state = DemoFixture.state(width: width, height: 30, library: DemoFixture.library(records: records), theme: theme)
        state.stack.append(.catalog)
        return state
    }

    @Test func ownershipCourseLayoutAndThemeChangesAreDrawnAtOnce() throws {
        let memo = FrameMemo()
        var unpaid = DemoFixture.records
        unpaid.purchases = []
        let before = Self.catalog(records: unpaid)
        #expect(Self.drawnAlike(before, memo))
        #expect(memo.catalogRowCount > 0)
        #expect(Self.drawnAlike(before, memo), "drawn again from the memo")
        let terminalRow = try #require(Self.frame(before, memo: memo).lines.first { $0.contains("Terminal Mastery") })
        #expect(terminalRow.contains("€29.00"))

        // The learner buys a course: its row says so in the very next frame.
        let bought = Self.catalog(records: DemoFixture.records)
        let boughtFrame = Self.frame(bought, memo: memo)
        #expect(boughtFrame == Self.frame(bought, memo: nil) ? true : false)
        #expect(try #require(boughtFrame.lines.first { $0.contains("Terminal Mastery") }).contains("owned"))

        // A course renamed by a sync, a narrower terminal, another theme.
        var renamed = bought
        var index = try #require(renamed.library?.index)
        let position = try #require(index.courses.firstIndex { $0.title == "Terminal Mastery" })
        index.courses[position].title = "Terminal Mastery, second edition"
        renamed.library = CourseLibrary(index: index, snapshot: bought.library!.snapshot, store: bought.library!.store, userID: bought.library!.me!.id)
        #expect(Self.drawnAlike(renamed, memo))
        let narrow = Self.catalog(records: DemoFixture.records, width: 60)
        #expect(Self.drawnAlike(narrow, memo))
        let mono = Self.catalog(records: DemoFixture.records, theme: Theme.load("mono", directories: [DemoFixture.themesDirectory]))
        #expect(Self.drawnAlike(mono, memo))
    }

    @Test func theMemoStaysWithinItsCapacity() {
        let memo = FrameMemo(catalogRows: 2)
        let state = Self.catalog(records: DemoFixture.records)
        #expect(Self.drawnAlike(state, memo))
        #expect(memo.catalogRowCount <= 2)
    }

    /// Scrolling, then everything the header and the status line show changing under the same
    /// memo, each change drawn at once.
    @Test func barsAndRowsFollowEveryChange() throws {
        let memo = FrameMemo()
        var state = Self.catalog(records: DemoFixture.records)
        for _ in 0..<6 {
            _ = App.update(&state, .key(.down))
            #expect(Self.drawnAlike(state, memo))
        }
        _ = App.update(&state, .key(.up))
        #expect(Self.drawnAlike(state, memo))
        state.status = StatusMessage(text: "Synced: 2 sent, 5 received", isError: false)
        #expect(Self.drawnAlike(state, memo))
        #expect(Self.frame(state, memo: memo).lines.last?.contains("Synced: 2 sent") == true)
        state.status = StatusMessage(text: "Connection refused", isError: true)
        #expect(Self.drawnAlike(state, memo))
        state.sync.running = true
        state.sync.phase = .pushing(sent: 1, total: 3)
        #expect(Self.drawnAlike(state, memo))
        #expect(Self.frame(state, memo: memo).lines.last?.contains("sending 1/3") == true)
        state.sync = SyncStatus(running: false, phase: nil, online: false, lastError: nil)
        #expect(Self.drawnAlike(state, memo))
        state.unicode = false
        #expect(Self.drawnAlike(state, memo))
        state.unicode = true
        // The filter: typed (not kept), then kept and shown in the catalog's summary line.
        for key in [Key.character("/"), .character("s"), .character("w"), .enter] {
            _ = App.update(&state, .key(key))
            #expect(Self.drawnAlike(state, memo))
        }
        #expect(Self.frame(state, memo: memo).lines.contains { $0.contains("filter: \"sw\"") })
        // Another screen: the header's crumbs.
        _ = App.update(&state, .key(.enter))
        #expect(Self.drawnAlike(state, memo))
        _ = App.update(&state, .key(.escape))
        #expect(Self.drawnAlike(state, memo))
        state.width = 90
        #expect(Self.drawnAlike(state, memo))
    }
}
