import Foundation
import LMSClient
import LMSKit
import LMSTestSupport
import Testing

@testable import LMSServer

/// Retries that give up at once, so offline tests stay fast.
let fastBackoff = Backoff(base: 0.01, cap: 0.05, maxAttempts: 2)

extension ClientSession {
    func engine(backoff: Backoff = fastBackoff) -> SyncEngine {
        SyncEngine(api: api, store: store, clientID: deviceID, backoff: backoff)
    }

    var outboxWriter: OutboxWriter { OutboxWriter(store: store) }

    /// The outbox as stored, failing the test on any notice.
    func outbox(sourceLocation: SourceLocation = #_sourceLocation) throws -> [OutboxEntry] {
        var notices = AccountStore.Notices()
        let entries = try store.outbox(notices: &notices)
        #expect(notices.messages.isEmpty, "\(notices.messages)", sourceLocation: sourceLocation)
        return entries
    }

    func learnerRecords() throws -> LearnerRecords {
        var notices = AccountStore.Notices()
        return try store.learner(notices: &notices)
    }

    func index() throws -> CacheIndex {
        var notices = AccountStore.Notices()
        return try store.index(notices: &notices)
    }

    func courseFile(_ id: UUID) throws -> CourseFile? {
        var notices = AccountStore.Notices()
        return try store.course(id, notices: &notices)
    }

    func courseFile(slug: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CourseFile {
        let course = try #require(try index().courses.first { $0.slug == slug }, "no course \(slug) in the index", sourceLocation: sourceLocation)
        return try #require(try courseFile(course.id), "no course file for \(slug)", sourceLocation: sourceLocation)
    }

    func snapshot() throws -> LearnerSnapshot {
        var notices = AccountStore.Notices()
        return try snapshot(notices: &notices).1
    }

    func file(_ name: String) -> URL { store.directory.appendingPathComponent(name) }
}

/// `ProgressUpsert` that completes a lesson at `at` (whole seconds, so dates survive any store).
func completion(_ lesson: UUID, seconds: Int, at date: Date) -> SyncMutation.Kind {
    .progressUpsert(ProgressUpsert(lessonID: lesson, progressSeconds: seconds, completed: true, completedAt: date))
}

func watching(_ lesson: UUID, seconds: Int) -> SyncMutation.Kind {
    .progressUpsert(ProgressUpsert(lessonID: lesson, progressSeconds: seconds, completed: false))
}

/// Now, rounded down to a whole second.
func wholeSecondsAgo(_ seconds: TimeInterval) -> Date {
    Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - seconds).rounded(.down))
}

/// Bytes of every file in a directory tree, by relative path.
func snapshotFiles(_ directory: URL) -> [String: Data] {
    var files: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
    for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        let relative = String(url.path.dropFirst(directory.path.count))
        if relative.hasSuffix("/.lock") { continue }
        files[relative] = try? Data(contentsOf: url)
    }
    return files
}
