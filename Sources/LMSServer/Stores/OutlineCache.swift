import Foundation
import NIOConcurrencyHelpers

/// The encoded chapter lists of recently served outlines, each stamped with its course's
/// structure version (see `CreateCourseStructureVersions`).
///
/// Only the chapters and lessons are kept: the course row, whether the viewer may open it and
/// whether they own it are read afresh on every request, in the same query that reads the
/// version. An entry is served only when its version equals the one just read; since the
/// version is raised in the transaction that changes the rows, an entry can be older than its
/// stamp (a change committed between the two reads of a miss, served once and then replaced),
/// never newer, and never served after a change.
final class OutlineCache: Sendable {
    /// A course's outline comes in two forms: with every lesson's links, and with only the free
    /// lessons' (for viewers who do not own it).
    struct Key: Hashable, Sendable {
        let courseID: UUID
        let withPaidLinks: Bool
    }

    struct Entry: Sendable {
        let version: Int64
        let chapters: Data
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    /// The most encoded JSON kept; 0 turns the cache off.
    let byteBudget: Int
    private let state = NIOLockedValueBox(State())

    init(byteBudget: Int) {
        self.byteBudget = byteBudget
    }

    func chapters(of key: Key, version: Int64) -> Data? {
        guard byteBudget > 0 else { return nil }
        return state.withLockedValue { state in
            guard let entry = state.entries[key], entry.version == version else { return nil }
            return entry.chapters
        }
    }

    func store(_ chapters: Data, of key: Key, version: Int64) {
        guard chapters.count <= byteBudget else { return }
        state.withLockedValue { state in
            if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.chapters.count }
            // Over budget, arbitrary entries go: a miss costs one query, and the courses being
            // read come back at once, so no recency bookkeeping on the hot path.
            while state.bytes + chapters.count > byteBudget, let victim = state.entries.first {
                state.entries.remove(at: state.entries.startIndex)
                state.bytes -= victim.value.chapters.count
            }
            state.entries[key] = Entry(version: version, chapters: chapters)
            state.bytes += chapters.count
        }
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}
