import Foundation
import LMSClient
import LMSKit
import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp

/// The filter's matches are kept in the state and narrowed as the query grows; after every key
/// they must be what searching the whole catalog afresh gives.
@Suite("Catalog search kept in the state")
struct CatalogSearchTests {
    static func expected(_ state: AppState) -> [String] {
        let query = (state.filter?.value ?? state.filterText).lowercased()
        let all = state.library?.listedCourses ?? []
        return (query.isEmpty ? all : all.filter { $0.title.lowercased().contains(query) }).map(\.slug)
    }

    @Test("Typing, deleting and retyping", arguments: ["swift", "TER", "日本語", "in", "zzz", "e m"])
    func narrowingMatchesAFreshSearch(_ text: String) {
        var state = DemoFixture.state()
        press(&state, .character("c"), .character("/"))
        for character in text {
            type(&state, String(character))
            #expect(CatalogModel.courses(state).map(\.slug) == Self.expected(state), "after typing \(state.filter?.value ?? "")")
            #expect(state.catalogSearch != nil)
        }
        for _ in text {
            press(&state, .backspace)
            #expect(CatalogModel.courses(state).map(\.slug) == Self.expected(state), "after deleting to \(state.filter?.value ?? "")")
        }
        #expect(CatalogModel.courses(state).count == DemoFixture.state().library?.listedCourses.count)
    }

    @Test func aNewLibraryIsSearchedAgain() throws {
        var state = DemoFixture.state()
        press(&state, .character("c"), .character("/"))
        type(&state, "mastery")
        #expect(CatalogModel.courses(state).map(\.slug) == ["terminal-mastery"])
        // A sync renames the course while the filter is open.
        var library = try #require(state.library)
        var index = library.index
        let position = try #require(index.courses.firstIndex { $0.slug == "terminal-mastery" })
        index.courses[position].title = "Shell Basics"
        library = CourseLibrary(index: index, snapshot: library.snapshot, store: library.store, userID: try #require(library.me?.id))
        _ = App.update(&state, .libraryLoaded(library, notices: []))
        #expect(CatalogModel.courses(state).isEmpty)
        press(&state, .escape)
        #expect(CatalogModel.courses(state).count == 4)
    }
}
