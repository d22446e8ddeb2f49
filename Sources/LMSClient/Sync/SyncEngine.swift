import Foundation
import LMSKit

/// What a sync did, for the status line and `lms sync`.
public struct SyncReport: Sendable, Equatable {
    public var pushed = 0
    public var duplicates = 0
    public var newlyRejected: [OutboxEntry] = []
    public var pulledChanges = 0
    public var pages = 0
    public var fullResync = false
    public var awardedBadges: [UserBadge] = []
    public var notices: [String] = []

    public init() {}
}

public enum SyncPhase: Sendable, Hashable {
    case pushing(sent: Int, total: Int)
    case pulling(changes: Int, pages: Int)
    case done
}

/// Pushes the outbox, then pulls the changes feed.
///
/// - Push: pending mutations in order, in batches. Applied and duplicate ones leave the outbox;
///   rejected ones stay, marked with the server's reason, and do not block the others.
/// - Pull: page by page from the saved cursor; each page's files are written before its cursor,
///   so a crash re-applies at most one page (idempotently). 410 starts a full re-pull that keeps
///   the outbox.
/// Files are locked only around each read-modify-write, never across network calls, so the UI
/// can keep adding work while a sync runs.
public actor SyncEngine {
    public static let pushBatchSize = 200
    public static let pageSize = 1000

    private let api: APIClient
    private let store: AccountStore
    private let clientID: UUID
    private let backoff: Backoff
    private let now: @Sendable () -> Date
    private let pageLimit: Int

    public init(
        api: APIClient, store: AccountStore, clientID: UUID, backoff: Backoff = Backoff(), pageSize: Int = SyncEngine.pageSize,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.pageLimit = pageSize
        self.api = api
        self.store = store
        self.clientID = clientID
        self.backoff = backoff
        self.now = now
    }

    public func run(dryRun: Bool = false, progress: @escaping @Sendable (SyncPhase) -> Void = { _ in }) async throws -> SyncReport {
        var report = SyncReport()
        var notices = AccountStore.Notices()
        // Any file from a newer lms stops the sync before anything is sent or written.
        try store.requireWritable(notices: &notices)
        if dryRun { return try await preview() }
        report.notices += notices.messages
        try await push(&report, progress: progress)
        working = nil
        defer { working = nil }
        try await pull(&report, progress: progress)
        progress(.done)
        return report
    }

    private static func requireWritable(_ notices: AccountStore.Notices) throws {
        guard !notices.readOnly else { throw StorageError.locked(notices.messages.joined(separator: "; ")) }
    }

    /// `lms sync --dry-run`: what would be sent, without sending or changing anything.
    private func preview() async throws -> SyncReport {
        var notices = AccountStore.Notices()
        var report = SyncReport()
        let pending = try store.outbox(notices: &notices).filter { $0.state == .pending }
        report.pushed = pending.count
        // Titles of the lessons the work is for, from the cached course files.
        let structure = try store.structure(notices: &notices)
        var courseIDs: Set<UUID> = []
        for entry in pending {
            if let lessonID = entry.mutation.lessonID, let courseID = structure.course(ofLesson: lessonID) { courseIDs.insert(courseID) }
        }
        var titles: [UUID: String] = [:]
        for courseID in courseIDs {
            guard let file = try store.course(courseID, notices: &notices) else { continue }
            for lesson in file.lessons { titles[lesson.id] = lesson.title }
        }
        var described: [String] = []
        for entry in pending { described.append("would send: " + Self.describe(entry.mutation, titles: titles)) }
        report.notices = notices.messages + described
        return report
    }

    /// A piece of offline work in words: what the learner did, to which lesson.
    static func describe(_ mutation: SyncMutation, titles: [UUID: String]) -> String {
        func lessonTitle(_ id: UUID) -> String { titles[id].map { "'\($0)'" } ?? "a lesson no longer cached" }
        return switch mutation.kind {
        case .progressUpsert(let upsert) where upsert.completed: "\(lessonTitle(upsert.lessonID)) completed"
        case .progressUpsert(let upsert): "\(DurationText.format(seconds: upsert.progressSeconds)) watched of \(lessonTitle(upsert.lessonID))"
        case .quizSubmit(let lessonID, let submission): "answers to \(lessonTitle(lessonID)) (\(Words.count(submission.answers.count, "answer")))"
        case .unknown(let type, _): "\(type) (from a newer lms)"
        }
    }

    private func push(_ report: inout SyncReport, progress: @Sendable (SyncPhase) -> Void) async throws {
        var notices = AccountStore.Notices()
        let pending = try store.outbox(notices: &notices).filter { $0.state == .pending }
        report.notices += notices.messages
        guard !pending.isEmpty else { return }
        var sent = 0
        progress(.pushing(sent: 0, total: pending.count))
        for start in stride(from: 0, to: pending.count, by: Self.pushBatchSize) {
            try Task.checkCancellation()
            let batch = Array(pending[start..<min(start + Self.pushBatchSize, pending.count)])
            let request = SyncPushRequest(clientID: clientID, mutations: batch.map(\.mutation))
            let api = self.api
            let response = try await backoff.run { () async throws(ClientError) -> SyncPushResponse in try await api.push(request) }
            try settle(response.results, report: &report)
            sent += batch.count
            progress(.pushing(sent: sent, total: pending.count))
        }
    }

    /// Records the server's answers: accepted work leaves the outbox and its result goes into
    /// the learner's records; refused work stays, marked.
    private func settle(_ results: [MutationResult], report: inout SyncReport) throws {
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        var notices = AccountStore.Notices()
        var outbox = try store.outbox(notices: &notices)
        var learner = try store.learner(notices: &notices)
        try Self.requireWritable(notices)
        let byID = Dictionary(results.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        outbox = outbox.compactMap { entry in
            guard let result = byID[entry.id] else { return entry }
            switch result.status {
            case .applied, .duplicate:
                if result.status == .duplicate { report.duplicates += 1 } else { report.pushed += 1 }
                if let row = result.progress {
                    learner.progress.removeAll { $0.id == row.id || $0.lessonID == row.lessonID }
                    learner.progress.append(row)
                }
                if let quiz = result.quizResult {
                    learner.quizResults.removeAll { $0.id == quiz.id }
                    learner.quizResults.append(quiz)
                }
                for award in result.awardedBadges where !learner.earned.contains(where: { $0.id == award.id }) {
                    learner.earned.append(award)
                    report.awardedBadges.append(award)
                }
                return nil
            case .rejected:
                var rejected = entry
                rejected.state = .rejected
                rejected.rejection = result.error
                rejected.attempts += 1
                report.newlyRejected.append(rejected)
                return rejected
            case .other:
                var kept = entry
                kept.attempts += 1
                return kept
            }
        }
        try store.save(learner: learner)
        try store.save(outbox: outbox)
    }

    private func pull(_ report: inout SyncReport, progress: @Sendable (SyncPhase) -> Void) async throws {
        var notices = AccountStore.Notices()
        let index = try store.index(notices: &notices)
        var cursor = index.cursor
        report.notices += notices.messages
        if cursor != nil, !store.hasCompleteCache(for: index) {
            // A cached file was lost or moved aside as damaged: the feed after our cursor would
            // never bring it back, so start from the beginning (the outbox is not touched).
            cursor = nil
            report.notices.append("Some cached files were missing or damaged; downloading everything again")
        }
        let api = self.api
        let me = try await backoff.run { () async throws(ClientError) -> MeResponse in try await api.me() }
        while true {
            try Task.checkCancellation()
            let page: SyncChangesPage
            do {
                let requested = cursor
                let limit = pageLimit
                page = try await backoff.run { () async throws(ClientError) -> SyncChangesPage in
                    try await api.changes(cursor: requested, limit: limit) { _, _ in !Task.isCancelled }
                }
            } catch ClientError.gone {
                guard cursor != nil else { throw ClientError.gone }
                try resetForFullPull()
                report.fullResync = true
                cursor = nil
                continue
            }
            try apply(page, me: me)
            cursor = page.cursor
            report.pulledChanges += page.changes.count
            report.pages += 1
            progress(.pulling(changes: report.pulledChanges, pages: report.pages))
            if !page.hasMore { break }
        }
        try saveStructure()
    }

    /// The account's files as the pull left them after the last page, so the next page does not
    /// read them again; `indexIdentity` tells whether anyone else wrote the index meanwhile.
    private struct WorkingSet {
        var index: CacheIndex
        var structure: StructureMap
        var learner: LearnerRecords
        /// Course files the previous page changed: a course's records often span two pages.
        var recentCourses: [UUID: CourseFile]
        var indexIdentity: FileIdentity?
        var structureChanged: Bool
    }

    private var working: WorkingSet?

    /// Writes the page's files, then the index with the new cursor, under the lock. The large
    /// structure map is saved once the pull ends (`saveStructure`), or rebuilt if it never is.
    private func apply(_ page: SyncChangesPage, me: MeResponse) throws {
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        var notices = AccountStore.Notices()
        if working == nil || working?.indexIdentity != FileIdentity(store.indexURL) {
            var index = try store.index(notices: &notices)
            var structure = try store.structure(matching: index, notices: &notices)
            if index.waiting.isEmpty, !structure.waiting.isEmpty { index.waiting = structure.waiting }
            structure.waiting = []
            let learner = try store.learner(notices: &notices)
            try Self.requireWritable(notices)
            working = WorkingSet(
                index: index, structure: structure, learner: learner, recentCourses: [:], indexIdentity: nil, structureChanged: false)
        }
        guard var working else { return }
        let store = self.store
        let recent = working.recentCourses
        var applier = ChangeApplier(
            index: working.index, structure: working.structure, learner: working.learner,
            loadCourse: { id in
                if let file = recent[id] { return file }
                var ignored = AccountStore.Notices()
                return try? store.course(id, notices: &ignored)
            })
        applier.apply(page.changes)
        for course in applier.courses.values { try store.save(course: course) }
        for id in applier.deletedCourses { store.deleteCourse(id) }
        if applier.learnerChanged { try store.save(learner: applier.learner) }
        applier.index.me = me
        applier.index.cursor = page.cursor
        applier.index.lastSync = now()
        try store.save(index: applier.index)
        working.structureChanged = working.structureChanged || applier.structureChanged
        working.index = applier.index
        working.structure = applier.structure
        working.learner = applier.learner
        working.recentCourses = applier.courses
        working.indexIdentity = FileIdentity(store.indexURL)
        self.working = working
    }

    /// Saves the structure map stamped with the cursor it is complete for, once per pull.
    private func saveStructure() throws {
        guard var working, working.structureChanged || working.structure.cursor != working.index.cursor else { return }
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        guard working.indexIdentity == FileIdentity(store.indexURL) else { return }
        working.structure.cursor = working.index.cursor
        try store.save(structure: working.structure)
        working.structureChanged = false
        self.working = working
    }

    /// The server forgot our position: start from nothing, but never touch the outbox.
    private func resetForFullPull() throws {
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        var notices = AccountStore.Notices()
        let old = try store.index(notices: &notices)
        try Self.requireWritable(notices)
        for course in old.courses { store.deleteCourse(course.id) }
        working = nil
        try store.save(structure: StructureMap())
        try store.save(learner: LearnerRecords())
        try store.save(index: CacheIndex(me: old.me))
    }
}

/// Adds offline work to the outbox (under the account lock), where the next sync picks it up.
public struct OutboxWriter: Sendable {
    public let store: AccountStore

    public init(store: AccountStore) { self.store = store }

    @discardableResult
    public func enqueue(_ kind: SyncMutation.Kind, at now: Date = Date()) throws -> SyncMutation {
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        var notices = AccountStore.Notices()
        var outbox = try store.outbox(notices: &notices)
        guard !notices.readOnly else { throw StorageError.locked(notices.messages.joined(separator: "; ")) }
        let mutation = SyncMutation(id: UUID(), createdAt: now, kind: kind)
        outbox.append(OutboxEntry(mutation: mutation))
        try store.save(outbox: outbox)
        return mutation
    }

    /// Adds many pieces of work in one write, in order.
    @discardableResult
    public func enqueue(contentsOf kinds: [SyncMutation.Kind], at now: Date = Date()) throws -> [SyncMutation] {
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        var notices = AccountStore.Notices()
        var outbox = try store.outbox(notices: &notices)
        guard !notices.readOnly else { throw StorageError.locked(notices.messages.joined(separator: "; ")) }
        let mutations = kinds.map { SyncMutation(id: UUID(), createdAt: now, kind: $0) }
        outbox += mutations.map { OutboxEntry(mutation: $0) }
        try store.save(outbox: outbox)
        return mutations
    }

    /// Drops refused entries the learner has seen and dismissed.
    public func dismissRejected() throws -> Int {
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        var notices = AccountStore.Notices()
        let outbox = try store.outbox(notices: &notices)
        let kept = outbox.filter { $0.state != .rejected }
        try store.save(outbox: kept)
        return outbox.count - kept.count
    }
}
