import Foundation
import LMSTestSupport
import LMSClient
import LMSKit
import Testing

@testable import LMSServer

/// Damaged cache files are moved aside and downloaded again; the outbox falls back to its last
/// good copy; files from a newer lms are never written over.
@Suite("Cache files")
struct CacheFileTests {
    enum Damaged: String, CaseIterable, Sendable {
        case index, learner, structure, course
    }

    static func relativePath(_ file: Damaged, _ session: ClientSession) throws -> String {
        switch file {
        case .index: "index.json"
        case .learner: "learner.json"
        case .structure: "structure.json"
        case .course: "courses/\(try session.courseFile(slug: "swift-fundamentals").course.id.uuidString.lowercased()).json"
        }
    }

    @Test("a truncated cache file is moved aside, reported, and everything is downloaded again", arguments: Damaged.allCases)
    func truncatedCacheFile(_ damaged: Damaged) async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            let first = try await session.engine().run()
            let synced = try cacheState(session)
            let relative = try Self.relativePath(damaged, session)
            let url = session.file(relative)
            let bytes = try Data(contentsOf: url)
            try bytes.prefix(bytes.count / 2).write(to: url)

            let report = try await session.engine().run()
            // Moved aside (never deleted), and said so.
            let directory = url.deletingLastPathComponent()
            let aside = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasPrefix(url.lastPathComponent + ".corrupt-") }
            #expect(aside.count == 1, "\(aside)")
            if let name = aside.first {
                #expect(try Data(contentsOf: directory.appendingPathComponent(name)) == bytes.prefix(bytes.count / 2))
            }
            #expect(report.notices.contains { $0.contains("was damaged") }, "\(report.notices)")
            // Everything came again (the structure map is rebuilt from the course files
            // instead), and the cache is as it was.
            #expect(report.pulledChanges == (damaged == .structure ? 0 : first.pulledChanges))
            #expect(try cacheState(session) == synced)
            #expect(try session.index().cursor != nil)
            try await expectConsistent(session, server)
        }
    }

    @Test("a course file damaged under the CLI is downloaded again by the next lms sync")
    func damagedCourseFileThroughTheCLI() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let synced = try cacheState(session)
            let url = session.file(try Self.relativePath(.course, session))
            try Data("{\"schema\": 1, \"data\": {\"course\": {\"id\"".utf8).write(to: url)

            // The CLI trips over it first: moved aside, the outline is gone until a sync.
            let course = try await CLI.run(["course", "swift-fundamentals"], home: home)
            #expect(course.status == 5, "\(course.all)")
            #expect(course.stderr.contains("not cached yet"), "\(course.stderr)")
            #expect(!FileManager.default.fileExists(atPath: url.path))

            let sync = try await CLI.run(["sync"], home: home)
            #expect(sync.status == 0, "\(sync.all)")
            #expect(sync.stdout.contains("downloading everything again"), "\(sync.stdout)")
            #expect(try cacheState(session) == synced)
            let again = try await CLI.run(["course", "swift-fundamentals"], home: home)
            #expect(again.status == 0 && again.stdout.contains("Welcome to Swift"), "\(again.all)")
            try await expectConsistent(session, server)
        }
    }

    @Test("a truncated outbox is restored from its backup with a notice, and nothing in the backup is lost")
    func truncatedOutbox() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let install = try await server.lessonID("Installing the toolchain")
            let aiueo = try await server.lessonID("あいうえお")
            let hello = try await server.lessonID("Hello, world")
            try session.outboxWriter.enqueue(completion(install, seconds: 420, at: wholeSecondsAgo(300)))
            try session.outboxWriter.enqueue(watching(aiueo, seconds: 30))
            // The backup holds the outbox as it was before the last write: these two.
            try session.outboxWriter.enqueue(watching(hello, seconds: 60))
            let url = session.file("outbox.json")
            let bytes = try Data(contentsOf: url)
            try bytes.prefix(bytes.count - 40).write(to: url)

            // lms status tells the learner, and (asking the server) sends the restored work.
            let status = try await CLI.run(["status"], home: home)
            #expect(status.status == 0, "\(status.all)")
            #expect(status.stdout.contains("The outbox was damaged"), "\(status.stdout)")
            #expect(status.stdout.contains("restored 2 changes from its last good copy"), "\(status.stdout)")
            #expect(status.stdout.contains("Pending:    0 changes"), "\(status.stdout)")
            let aside = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
                .filter { $0.hasPrefix("outbox.json.corrupt-") }
            #expect(aside.count == 1)
            #expect(try session.outbox().isEmpty)
            #expect(try await server.progressRows(lesson: install) == 1)
            #expect(try await server.progressRows(lesson: aiueo) == 1)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == 2)
            try await expectConsistent(session, server)
        }
    }

    enum Newer: String, CaseIterable, Sendable {
        case index, learner, structure, outbox, course, learnerUnreadable
    }

    @Test("a file from a newer lms makes the store read-only: sync refuses and the file is untouched", arguments: Newer.allCases)
    func newerFormat(_ newer: Newer) async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            try session.outboxWriter.enqueue(completion(try await server.lessonID("Installing the toolchain"), seconds: 420, at: wholeSecondsAgo(10)))

            let relative = switch newer {
            case .index: "index.json"
            case .learner, .learnerUnreadable: "learner.json"
            case .structure: "structure.json"
            case .outbox: "outbox.json"
            case .course: try Self.relativePath(.course, session)
            }
            let url = session.file(relative)
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            object["schema"] = 999
            if newer == .learnerUnreadable { object["data"] = ["records_v999": [1, 2, 3]] }
            try JSONSerialization.data(withJSONObject: object).write(to: url)
            let before = snapshotFiles(session.store.directory)

            // Reading says read-only, and why.
            var notices = AccountStore.Notices()
            switch newer {
            case .index: _ = try session.store.index(notices: &notices)
            case .learner, .learnerUnreadable: _ = try session.store.learner(notices: &notices)
            case .structure: _ = try session.store.structure(notices: &notices)
            case .outbox: _ = try session.store.outbox(notices: &notices)
            case .course: _ = try session.store.course(try #require(try session.index().courses.first { $0.slug == "swift-fundamentals" }).id, notices: &notices)
            }
            #expect(notices.readOnly)
            #expect(notices.messages.contains { $0.contains("newer lms (format 999") }, "\(notices.messages)")

            await #expect {
                try await session.engine().run()
            } throws: { error in
                guard case StorageError.locked(let message) = error else { return false }
                return message.contains("newer lms")
            }
            // Nothing sent, nothing written.
            #expect(snapshotFiles(session.store.directory) == before)
            #expect(try await server.count("applied_mutations", where: "1 = 1") == 0)
            if newer == .outbox {
                #expect(throws: StorageError.self) { try session.outboxWriter.enqueue(watching(UUID(), seconds: 1)) }
                #expect(snapshotFiles(session.store.directory) == before)
            }
            if newer == .learner {
                let sync = try await CLI.run(["sync"], home: home)
                #expect(sync.status == 6, "\(sync.all)")
                #expect(sync.stderr.contains("written by a newer lms"), "\(sync.stderr)")
                #expect(snapshotFiles(session.store.directory) == before)
            }
        }
    }
}

@Suite("Cache records round-trip every declared field")
struct CacheRecordTests {
    static let now = Date(timeIntervalSince1970: 1_772_443_800)

    @Test func courseFileAndIndex() throws {
        let course = Course(id: UUID(), title: "Swift", slug: "swift", description: "d", thumbnailURL: "t", instructorID: UUID(),
                            quizPassPercent: 70, createdAt: Self.now, updatedAt: Self.now, deletedAt: Self.now)
        let chapter = Chapter(id: UUID(), courseID: course.id, title: "One", description: "c", createdAt: Self.now, updatedAt: Self.now)
        let lesson = Lesson(id: UUID(), chapterID: chapter.id, title: "L", videoURL: "v", videoID: "i", createdAt: Self.now, updatedAt: Self.now)
        try RecordPaths.check(CourseFile(course: course, chapters: [chapter], lessons: [lesson],
                                         contents: [LessonContent(lesson: lesson, courseID: course.id, body: "b")]))
        let user = User(id: UUID(), email: "a@b.c", firstName: "A", lastName: "B", createdAt: Self.now, updatedAt: Self.now)
        try RecordPaths.check(CacheIndex(
            me: MeResponse(user: user, tenant: nil, groups: []), cursor: "c1", lastSync: Self.now, courses: [course],
            waiting: [.upsert(.chapter(chapter), id: chapter.id)]))
        try RecordPaths.check(OutboxEntry(
            mutation: SyncMutation(id: UUID(), createdAt: Self.now, kind: watching(lesson.id, seconds: 30)), state: .rejected,
            rejection: APIErrorBody(code: .validationFailed, message: "no"), attempts: 2))
        let progress = UserProgress(id: UUID(), userID: user.id, courseID: course.id, lessonID: lesson.id, completed: true,
                                    progressSeconds: 5, completedAt: Self.now, createdAt: Self.now, updatedAt: Self.now)
        let badge = Badge(id: UUID(), name: "B", description: "d", imageURL: "i", criteria: .rule(.streakDays(2)), createdAt: Self.now, updatedAt: Self.now)
        try RecordPaths.check(LearnerRecords(
            progress: [progress],
            quizResults: [QuizResult(id: UUID(), userID: user.id, lessonID: lesson.id, score: 1, maxScore: 1, passed: true, answers: [],
                                     attemptNumber: 1, clientAttemptID: UUID(), completedAt: Self.now, createdAt: Self.now)],
            badges: [badge], earned: [UserBadge(id: UUID(), userID: user.id, badgeID: badge.id, courseID: nil, earnedAt: Self.now)],
            purchases: [Purchase(id: UUID(), userID: user.id, courseID: course.id, amount: 9, currency: .usd, status: .completed,
                                 createdAt: Self.now, updatedAt: Self.now)]))
    }
}
