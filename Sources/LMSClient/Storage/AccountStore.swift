import Foundation
import LMSKit

/// The files of one account on one server, under `$XDG_DATA_HOME/lms/<server>/<user>/`:
///
/// | file | holds |
/// | --- | --- |
/// | `index.json` | me, sync cursor, last sync, the course list (read at start-up) |
/// | `courses/<id>.json` | one course's outline and lesson content |
/// | `structure.json` | chapter → course and lesson → chapter, for applying sync changes |
/// | `learner.json` | progress, quiz results, badges, purchases |
/// | `outbox.json` (+ `outbox.json.bak`) | offline work not yet accepted by the server |
/// | `quiz-drafts.json` | quizzes left half-way, with their answers so far |
///
/// Every file is versioned and written atomically. Damaged cache files are moved aside and
/// re-pulled; the outbox falls back to its last good copy. Files from a newer lms make the whole
/// store read-only rather than risk overwriting what that version wrote.
public struct AccountStore: Sendable {
    public static let schema = 1
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public init(paths: Paths, server: String, userID: UUID) {
        self.init(directory: paths.accountDirectory(server: server, userID: userID))
    }

    var indexFile: VersionedFile<CacheIndex> { file("index.json") }
    public var indexURL: URL { indexFile.url }
    var structureFile: VersionedFile<StructureMap> { file("structure.json") }
    var learnerFile: VersionedFile<LearnerRecords> { file("learner.json") }
    var outboxFile: VersionedFile<[OutboxEntry]> { file("outbox.json") }
    var outboxBackupFile: VersionedFile<[OutboxEntry]> { file("outbox.json.bak") }
    var quizDraftsFile: VersionedFile<[QuizDraft]> { file("quiz-drafts.json") }
    func courseFile(_ id: UUID) -> VersionedFile<CourseFile> { file("courses/\(id.uuidString.lowercased()).json") }

    private func file<T>(_ name: String) -> VersionedFile<T> {
        VersionedFile(url: directory.appendingPathComponent(name), schema: Self.schema)
    }

    /// Takes the account's write lock; hold the returned value for the whole read-modify-write.
    public func lock(timeout: TimeInterval = 5) throws(StorageError) -> DirectoryLock {
        try DirectoryLock(directory: directory, timeout: timeout)
    }

    // MARK: Reading

    /// Problems met while reading, for the status line; reading itself never fails on bad files.
    public struct Notices: Sendable, Equatable {
        public var messages: [String] = []
        /// A file from a newer lms was found: writes are refused.
        public var readOnly = false

        public init() {}
    }

    func read<T>(_ file: VersionedFile<T>, default value: @autoclosure () -> T, notices: inout Notices) throws(StorageError) -> T {
        switch try file.load() {
        case .missing:
            return value()
        case .current(let loaded):
            return loaded
        case .newer(let loaded, let version):
            notices.readOnly = true
            notices.messages.append(StorageError.newerVersion(path: file.url.path, found: version, supported: Self.schema).description)
            return loaded ?? value()
        case .corrupt(let movedTo, let reason):
            notices.messages.append(StorageError.corrupt(path: file.url.lastPathComponent, movedTo: movedTo, reason: reason).description
                + "; it will be downloaded again")
            return value()
        }
    }

    public func index(notices: inout Notices) throws(StorageError) -> CacheIndex {
        let index = try read(indexFile, default: CacheIndex(), notices: &notices)
        return index
    }

    public func course(_ id: UUID, notices: inout Notices) throws(StorageError) -> CourseFile? {
        switch try courseFile(id).load() {
        case .current(let file): return file
        case .newer(let file, let version):
            notices.readOnly = true
            notices.messages.append(StorageError.newerVersion(path: courseFile(id).url.path, found: version, supported: Self.schema).description)
            return file
        case .missing: return nil
        case .corrupt(let movedTo, let reason):
            notices.messages.append(StorageError.corrupt(path: "the course file", movedTo: movedTo, reason: reason).description + "; sync to download it again")
            return nil
        }
    }

    public func learner(notices: inout Notices) throws(StorageError) -> LearnerRecords {
        try read(learnerFile, default: LearnerRecords(), notices: &notices)
    }

    public func structure(notices: inout Notices) throws(StorageError) -> StructureMap {
        var local = Notices()
        let map = try read(structureFile, default: StructureMap(), notices: &local)
        // Rebuilt from the course files, not downloaded: say so.
        notices.messages += local.messages.map { $0.replacingOccurrences(of: "it will be downloaded again", with: "it will be rebuilt from the course files") }
        notices.readOnly = notices.readOnly || local.readOnly
        return map
    }

    /// The structure map complete for `index`'s cursor: the saved one, or one rebuilt from the
    /// course files when a pull stopped before saving it (see `StructureMap`).
    public func structure(matching index: CacheIndex, notices: inout Notices) throws(StorageError) -> StructureMap {
        let saved = try structure(notices: &notices)
        let stale = saved.cursor != index.cursor || (index.cursor == nil && !index.courses.isEmpty)
        guard stale else { return saved }
        var ignored = Notices()
        var files: [CourseFile] = []
        for course in index.courses {
            if let file = try self.course(course.id, notices: &ignored) { files.append(file) }
        }
        var rebuilt = StructureMap(rebuildingFrom: files, cursor: index.cursor)
        rebuilt.waiting = saved.waiting
        return rebuilt
    }

    /// The outbox. A damaged outbox is never dropped: it is moved aside and the last good copy
    /// (written before every change) is used instead, and the learner is told.
    public func outbox(notices: inout Notices) throws(StorageError) -> [OutboxEntry] {
        switch try outboxFile.load() {
        case .missing: return []
        case .current(let entries): return entries
        case .newer(let entries, let version):
            notices.readOnly = true
            notices.messages.append(StorageError.newerVersion(path: outboxFile.url.path, found: version, supported: Self.schema).description)
            return entries ?? []
        case .corrupt(let movedTo, let reason):
            var restored: [OutboxEntry] = []
            if case .current(let backup) = try outboxBackupFile.load() { restored = backup }
            // Put the last good copy back in place, or the next read would find no outbox at all
            // and the restored work would be forgotten. Never over a newer outbox a writer has
            // saved meanwhile (its content started from this same backup).
            if !restored.isEmpty { _ = try outboxFile.saveIfAbsent(restored) }
            notices.messages.append(
                "The outbox was damaged (\(reason)); restored \(Words.count(restored.count, "change")) from its last good copy"
                    + (movedTo.map { ". The damaged file is kept as \($0)" } ?? ""))
            return restored
        }
    }

    /// Reads every file of the account (moving damaged ones aside, see `Notices`) and fails when
    /// one was written by a newer lms: then nothing may be written, or its data would be lost.
    public func requireWritable(notices: inout Notices) throws(StorageError) {
        let index = try index(notices: &notices)
        _ = try structure(notices: &notices)
        _ = try learner(notices: &notices)
        _ = try outbox(notices: &notices)
        for course in index.courses { _ = try self.course(course.id, notices: &notices) }
        if notices.readOnly { throw .locked(notices.messages.joined(separator: "; ")) }
    }

    /// Whether every file the sync cursor vouches for is there: when one was lost (or moved
    /// aside as damaged), resuming from the cursor would never download it again.
    public func hasCompleteCache(for index: CacheIndex) -> Bool {
        // Not the structure map: it is rebuilt from the course files when missing.
        let files = [learnerFile.url] + index.courses.map { courseFile($0.id).url }
        return files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) }
    }

    // MARK: Writing (hold `lock()` around read-modify-write)

    public func save(index: CacheIndex) throws(StorageError) { try indexFile.save(index) }
    public func save(structure: StructureMap) throws(StorageError) { try structureFile.save(structure) }
    public func save(learner: LearnerRecords) throws(StorageError) { try learnerFile.save(learner) }
    public func save(course: CourseFile) throws(StorageError) { try courseFile(course.course.id).save(course) }

    public func deleteCourse(_ id: UUID) {
        unlink(courseFile(id).url.path)
    }

    /// Writes the outbox; the previous good version becomes the backup first.
    /// Quizzes left half-way. A damaged file is moved aside and reads as none: a draft is a
    /// convenience, the learner's submitted work lives in the outbox.
    public func quizDrafts(notices: inout Notices) throws(StorageError) -> [QuizDraft] {
        try read(quizDraftsFile, default: [], notices: &notices)
    }

    public func save(quizDrafts: [QuizDraft]) throws(StorageError) { try quizDraftsFile.save(quizDrafts) }

    public func save(outbox: [OutboxEntry]) throws(StorageError) {
        if case .current(let previous) = try outboxFile.load() {
            try outboxBackupFile.save(previous)
        }
        try outboxFile.save(outbox)
    }

    /// Size of everything in the account directory, for `lms status`.
    public func diskUsage() -> Int64 {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
        var total: Int64 = 0
        for case let url as URL in enumerator {
            total += Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
        return total
    }
}
