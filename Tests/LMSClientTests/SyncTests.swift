import Foundation
import LMSTestSupport
import LMSClient
import LMSKit
import Synchronization
import Testing

@testable import LMSServer

/// The sync engine against the real server: full pull, offline work pushed exactly once, lost
/// responses, replayed pages and tokens that expire in the middle.
@Suite("Sync engine")
struct SyncTests {
    static let publishedSlugs: Set = ["swift-fundamentals", "terminal-mastery", "databases-in-depth", "japanese-for-beginners"]

    @Test("a full sync from an empty cache fills the index, course files and learner records")
    func fullSync() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            let report = try await session.engine().run()
            #expect(report.pulledChanges > 0)
            #expect(report.pushed == 0 && report.newlyRejected.isEmpty && !report.fullResync)

            // The index: the four published courses (not the draft), sorted by title, and who we are.
            let index = try session.index()
            #expect(Set(index.courses.map(\.slug)) == Self.publishedSlugs)
            #expect(index.courses.map { $0.title.lowercased() } == index.courses.map { $0.title.lowercased() }.sorted())
            #expect(index.cursor != nil && index.lastSync != nil)
            #expect(index.me?.user.id == server.learnerID)

            // The index stays small: one line per course, no outlines, no lesson content.
            let indexBytes = try Data(contentsOf: session.file("index.json"))
            let indexText = String(decoding: indexBytes, as: UTF8.self)
            #expect(indexBytes.count < 16_384, "index.json is \(indexBytes.count) bytes")
            for needle in ["\"lessons\"", "\"chapters\"", "\"contents\"", "Installing the toolchain", "Getting started"] {
                #expect(!indexText.contains(needle), "index.json contains \(needle)")
            }

            // Course files: chapters and lessons in the server's order.
            for course in index.courses {
                let file = try #require(try session.courseFile(course.id), "no file for \(course.slug)")
                #expect(file.course == course)
                let expectedChapters = try await server.sql.raw("""
                    SELECT id FROM chapters WHERE course_id = \(bind: course.id) ORDER BY position
                    """).all().map { try $0.decode(column: "id", as: UUID.self) }
                #expect(file.chapters.map(\.id) == expectedChapters)
                let expectedLessons = try await server.sql.raw("""
                    SELECT l.id FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id
                    WHERE ch.course_id = \(bind: course.id) ORDER BY ch.position, l.position
                    """).all().map { try $0.decode(column: "id", as: UUID.self) }
                #expect(file.outline.orderedLessons.map(\.id) == expectedLessons)
                #expect(file.lessons.count == course.lessonsCount)
                #expect(Set(file.lessons.map(\.id)).count == file.lessons.count)
            }

            // Content only where the learner is entitled: free and owned courses in full, a paid
            // course only its free preview.
            for slug in ["swift-fundamentals", "terminal-mastery", "japanese-for-beginners"] {
                let file = try session.courseFile(slug: slug)
                #expect(Set(file.contents.map(\.lesson.id)) == Set(file.lessons.map(\.id)), "\(slug) should be cached in full")
            }
            let databases = try session.courseFile(slug: "databases-in-depth")
            #expect(databases.contents.map(\.lesson.title) == ["Why relational?"])
            #expect(databases.lessons.count == 3)
            // Quiz content carries the questions, without the answer key.
            let swift = try session.courseFile(slug: "swift-fundamentals")
            let quiz = try #require(swift.contents.first { $0.lesson.type == .quiz })
            #expect(quiz.questions?.count == 4)
            let quizJSON = String(decoding: try LMSJSON.encode(quiz), as: UTF8.self)
            #expect(!quizJSON.contains("is_correct"))
            #expect(swift.contents.first { $0.lesson.title == "Hello, world" }?.body?.contains("print(\"Hello, world!\")") == true)

            // The learner's records.
            let learner = try session.learnerRecords()
            #expect(learner.progress.count == 2)
            #expect(learner.progress.filter(\.completed).count == 1)
            #expect(learner.purchases.count == 1)
            #expect(learner.purchases.first?.courseID == index.courses.first { $0.slug == "terminal-mastery" }?.id)
            #expect(learner.badges.count == 6)
            #expect(learner.earned.count == 1)
            #expect(learner.quizResults.isEmpty)

            // A second sync finds nothing new and changes no record.
            let courseFilesBefore = snapshotFiles(session.store.directory.appendingPathComponent("courses"))
            let again = try await session.engine().run()
            #expect(again.pulledChanges == 0)
            #expect(try session.learnerRecords() == learner)
            #expect(snapshotFiles(session.store.directory.appendingPathComponent("courses")) == courseFilesBefore)
            try await expectConsistent(session, server)
        }
    }

    @Test("work done offline shows at once, and is sent exactly once when the server is back")
    func offlineWorkThenSync() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let aiueo = try await server.lessonID("あいうえお")
            let quizID = try await server.lessonID("Hiragana quiz 🈁")
            let quizContent = try #require(try session.courseFile(slug: "japanese-for-beginners").content(of: quizID))
            let question = try #require(quizContent.questions?.first)

            await server.stop()
            let completedAt = wholeSecondsAgo(600)
            try session.outboxWriter.enqueue(completion(aiueo, seconds: 360, at: completedAt), at: completedAt)
            let attempt = QuizSubmission(
                clientAttemptID: UUID(), answers: [QuizAnswer(questionID: question.id, text: "a")], completedAt: wholeSecondsAgo(300))
            try session.outboxWriter.enqueue(.quizSubmit(lessonID: quizID, attempt))

            // The learner sees the completion at once, and the attempt as waiting for a grade.
            let snapshot = try session.snapshot()
            #expect(snapshot.completedLessonIDs.contains(aiueo))
            #expect(snapshot.progress.first { $0.lessonID == aiueo }?.completedAt == completedAt)
            #expect(snapshot.pendingAttempts.map(\.lessonID) == [quizID])
            #expect(snapshot.pendingAttempts.first?.submission == attempt)
            #expect(snapshot.pendingCount == 2)
            #expect(snapshot.quizResults.isEmpty)

            // A sync while the server is down fails as unreachable at once (no retries that
            // could only fail the same way) and leaves every file as it was.
            let before = snapshotFiles(session.store.directory)
            let started = Date()
            await #expect {
                try await session.engine().run()
            } throws: { error in
                guard case .unreachable = error as? ClientError else { return false }
                return true
            }
            // One connection attempt within the loopback limit (1.5 s), no retries.
            #expect(Date().timeIntervalSince(started) < 3, "an unreachable server is known at once")
            #expect(snapshotFiles(session.store.directory) == before)

            try await server.restart()
            let report = try await session.engine().run()
            #expect(report.pushed == 2)
            #expect(report.duplicates == 0 && report.newlyRejected.isEmpty)
            #expect(try session.outbox().isEmpty)

            // On the server: one progress row for the lesson, one graded result for the quiz (which
            // also completed the quiz lesson), each mutation applied once.
            #expect(try await server.progressRows(lesson: aiueo) == 1)
            #expect(try await server.progressRows(lesson: quizID) == 1)
            #expect(try await server.count("quiz_results", where: "user_id = \(bind: server.learnerID)") == 1)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == 2)
            let results = try await session.api.progress()
            let row = try #require(results.first { $0.lessonID == aiueo })
            #expect(row.completed && row.progressSeconds == 360 && row.completedAt == completedAt)

            let learner = try session.learnerRecords()
            let graded = try #require(learner.quizResults.first)
            #expect(learner.quizResults.count == 1)
            #expect(graded.lessonID == quizID && graded.clientAttemptID == attempt.clientAttemptID)
            #expect(graded.passed && graded.score == graded.maxScore && graded.maxScore > 0)
            #expect(graded.answers.allSatisfy { $0.isCorrect })
            // A perfect first quiz earns "Quiz Whiz" and "Perfectionist", each once.
            #expect(Set(report.awardedBadges.map(\.badgeID)).count == 2)
            #expect(learner.earned.count == 3)
            #expect(try session.snapshot().pendingAttempts.isEmpty)
            try await expectConsistent(session, server)
        }
    }

    @Test("the server applied a push but the answer was lost: the next sync settles duplicates")
    func responseLostAfterCommit() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let install = try await server.lessonID("Installing the toolchain")
            let hello = try await server.lessonID("Hello, world")
            try session.outboxWriter.enqueue(completion(install, seconds: 420, at: wholeSecondsAgo(60)))
            try session.outboxWriter.enqueue(watching(hello, seconds: 90))
            let pending = try session.outbox()

            // The server commits; the client never hears back (nothing settled locally).
            let direct = try await session.api.push(SyncPushRequest(clientID: session.deviceID, mutations: pending.map(\.mutation)))
            #expect(direct.results.map(\.status) == [.applied, .applied])
            #expect(try session.outbox() == pending)

            let report = try await session.engine().run()
            #expect(report.duplicates == 2)
            #expect(report.pushed == 0)
            #expect(try session.outbox().isEmpty)
            #expect(try await server.progressRows(lesson: install) == 1)
            #expect(try await server.progressRows(lesson: hello) == 1)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == 2)
            let rows = try await session.api.progress()
            #expect(rows.first { $0.lessonID == hello }?.progressSeconds == 90)
            #expect(rows.first { $0.lessonID == install }?.completed == true)
            try await expectConsistent(session, server)
        }
    }

    @Test("a page applied again after a crash before its cursor was saved changes nothing")
    func crashBetweenPageAndCursor() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let olderIndex = try Data(contentsOf: session.file("index.json"))

            // New things on the server: a purchase (new course content), progress, a quiz result.
            try await buyDatabasesCourse(server, session)
            let install = try await server.lessonID("Installing the toolchain")
            let aiueo = try await server.lessonID("あいうえお")
            let quizID = try await server.lessonID("Hiragana quiz 🈁")
            _ = try await session.api.upsertProgress(ProgressUpsert(lessonID: install, progressSeconds: 420, completed: true))
            _ = try await session.api.upsertProgress(ProgressUpsert(lessonID: aiueo, progressSeconds: 360, completed: true))
            _ = try await session.api.submitQuiz(
                lessonID: quizID, QuizSubmission(clientAttemptID: UUID(), answers: try await server.correctAnswers(quiz: quizID)))

            let second = try await session.engine().run()
            #expect(second.pulledChanges > 0)
            let afterSync = try cacheState(session)
            #expect(try session.courseFile(slug: "databases-in-depth").contents.count == 3)

            // The crash: the page's files were written, the index (and its cursor) was not.
            try olderIndex.write(to: session.file("index.json"))
            let replay = try await session.engine().run()
            #expect(replay.pulledChanges == second.pulledChanges)
            let afterReplay = try cacheState(session)
            #expect(afterReplay == afterSync)

            // The same as a device that never crashed.
            let other = try TestHome()
            let fresh = try await other.login(server)
            _ = try await fresh.engine().run()
            #expect(try cacheState(fresh) == afterReplay)
            try await expectConsistent(session, server)
        }
    }

    /// The pull keeps the account's files in memory between pages; when another writer (a second
    /// lms) saves the index meanwhile, the next page starts from what is on disk, not from memory.
    @Test("a pull picks up an index written by someone else between its pages")
    func indexWrittenBetweenPages() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            let store = session.store
            let engine = SyncEngine(api: session.api, store: store, clientID: session.deviceID, backoff: fastBackoff, pageSize: 5)
            let marker = Course(id: UUID(), title: "Written by another lms", slug: "elsewhere", instructorID: UUID(), createdAt: Date(), updatedAt: Date())
            let wrote = Mutex(false)
            let report = try await engine.run { phase in
                guard case .pulling(_, let pages) = phase, pages == 1 else { return }
                wrote.withLock { done in
                    guard !done else { return }
                    done = true
                    var notices = AccountStore.Notices()
                    guard var index = try? store.index(notices: &notices) else { return }
                    index.courses.append(marker)
                    try? store.save(index: index)
                }
            }
            #expect(report.pages > 2)
            #expect(wrote.withLock { $0 })
            #expect(try session.index().courses.contains { $0.id == marker.id })
            // Everything the feed brought is there too.
            #expect(try session.index().courses.filter { $0.id != marker.id }.count == 4)
        }
    }

    /// The feed is ordered by when records last changed, so a course edited (or restored with
    /// `lms-server restore`) after its chapters and lessons comes after them.
    @Test("a course that changed after its lessons still arrives whole, on one page or many", arguments: [SyncEngine.pageSize, 5])
    func parentAfterChildren(pageSize: Int) async throws {
        try await withLiveServer { server in
            let swiftID = try await server.courseID("swift-fundamentals")
            try await server.sql.raw("""
                UPDATE courses SET title = 'Swift Fundamentals, 2nd edition', updated_at = \(bind: Date()) WHERE id = \(bind: swiftID)
                """).run()
            try await ChangeLog(db: try server.sql).record(.course, id: swiftID, userID: nil)

            let home = try TestHome()
            let session = try await home.login(server)
            let engine = SyncEngine(api: session.api, store: session.store, clientID: session.deviceID, backoff: fastBackoff, pageSize: pageSize)
            let report = try await engine.run()
            #expect(report.pages == max(1, (report.pulledChanges + pageSize - 1) / pageSize))
            let file = try session.courseFile(slug: "swift-fundamentals")
            #expect(file.course.title == "Swift Fundamentals, 2nd edition")
            #expect(file.chapters.count == 2)
            #expect(file.lessons.count == 6)
            #expect(file.contents.count == 6)
            var notices = AccountStore.Notices()
            #expect(try session.index().waiting.isEmpty)
            // The structure map is saved once, at the end, stamped with the cursor it matches;
            // lost or stale, it is rebuilt from the course files to the same map.
            let saved = try session.store.structure(notices: &notices)
            #expect(saved.cursor == (try session.index().cursor))
            let lessonCount = try session.index().courses.reduce(0) { $0 + (try session.courseFile($1.id)?.lessons.count ?? 0) }
            #expect(lessonCount > 6 && saved.lessonChapter.count == lessonCount)
            try FileManager.default.removeItem(at: session.file("structure.json"))
            let rebuilt = try session.store.structure(matching: try session.index(), notices: &notices)
            #expect(rebuilt.chapterCourse == saved.chapterCourse)
            #expect(rebuilt.lessonChapter == saved.lessonChapter)
            #expect(rebuilt.cursor == saved.cursor)
            // Page by page or all at once, the same cache.
            let other = try TestHome()
            let whole = try await other.login(server)
            _ = try await whole.engine().run()
            #expect(try cacheState(session) == cacheState(whole))
            try await expectConsistent(session, server)
        }
    }

    @Test("an access token expiring between push batches is refreshed; every mutation lands once")
    func tokenExpiresMidBatch() async throws {
        try await withLiveServer({ $0.accessTokenLifetime = 1 }) { server in
            let home = try TestHome()
            let session = try await home.login(server)
            let welcome = try await server.lessonID("Welcome to Swift")
            let count = SyncEngine.pushBatchSize + 30
            // Written in one go (the writer would take the lock 230 times).
            let entries = (1...count).map { seconds in
                OutboxEntry(mutation: SyncMutation(id: UUID(), createdAt: Date(), kind: watching(welcome, seconds: 300 + seconds)))
            }
            try session.store.save(outbox: entries)

            // A client that trusts its token for an hour: only the server's 401 tells it otherwise.
            var optimistic = session.credentials
            optimistic.accessExpiresAt = Date().addingTimeInterval(3600)
            let api = APIClient(server: server.baseURL, credentials: optimistic, credentialStore: CredentialStore(paths: home.paths))
            let engine = SyncEngine(api: api, store: session.store, clientID: session.deviceID, backoff: fastBackoff)
            let report = try await engine.run { phase in
                // Between the two batches, let the access token expire.
                if case .pushing(let sent, _) = phase, sent == SyncEngine.pushBatchSize { usleep(1_200_000) }
            }
            #expect(report.pushed == count)
            #expect(report.duplicates == 0 && report.newlyRejected.isEmpty)
            #expect(try session.outbox().isEmpty)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == count)
            #expect(try await server.progressRows(lesson: welcome) == 1)
            let row = try #require(try await api.progress().first { $0.lessonID == welcome })
            #expect(row.progressSeconds == 300 + count && row.completed)
            #expect(try CredentialStore(paths: home.paths).load()?.refreshToken == (await api.credentials)?.refreshToken)
            #expect(try await liveRefreshTokens(server) == 1)
            let synced = try session.learnerRecords().progress.first { $0.lessonID == welcome }
            #expect(synced?.progressSeconds == 300 + count)
        }
    }
}

// MARK: - Shared checks

/// What the cache holds, in a form that compares equal when the content is the same.
struct CacheState: Equatable {
    var courses: [Course]
    var files: [UUID: CourseFile]
    var progress: [UserProgress]
    var quizResults: [QuizResult]
    var badges: [Badge]
    var earned: [UserBadge]
    var purchases: [Purchase]
}

func cacheState(_ session: ClientSession) throws -> CacheState {
    let index = try session.index()
    var files: [UUID: CourseFile] = [:]
    for course in index.courses {
        var file = try #require(try session.courseFile(course.id))
        file.contents.sort { $0.lesson.id.uuidString < $1.lesson.id.uuidString }
        files[course.id] = file
    }
    let learner = try session.learnerRecords()
    return CacheState(
        courses: index.courses, files: files,
        progress: learner.progress.sorted { $0.lessonID.uuidString < $1.lessonID.uuidString },
        quizResults: learner.quizResults.sorted { $0.id.uuidString < $1.id.uuidString },
        badges: learner.badges.sorted { $0.id.uuidString < $1.id.uuidString },
        earned: learner.earned.sorted { $0.id.uuidString < $1.id.uuidString },
        purchases: learner.purchases.sorted { $0.id.uuidString < $1.id.uuidString })
}

/// Nothing lost, nothing duplicated: the cache has no record twice, and after one more sync the
/// learner's records are exactly the server's.
func expectConsistent(_ session: ClientSession, _ server: LiveServer, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    _ = try await session.engine().run()
    let learner = try session.learnerRecords()
    func unique<T: Hashable>(_ values: [T], _ what: String) {
        #expect(Set(values).count == values.count, "duplicate \(what) in the cache", sourceLocation: sourceLocation)
    }
    unique(learner.progress.map(\.id), "progress ids")
    unique(learner.progress.map(\.lessonID), "progress lessons")
    unique(learner.quizResults.map(\.id), "quiz results")
    unique(learner.earned.map(\.id), "awards")
    unique(learner.earned.map(\.badgeID), "awarded badges")
    unique(learner.purchases.map(\.id), "purchases")
    unique(learner.badges.map(\.id), "badges")
    let index = try session.index()
    unique(index.courses.map(\.id), "courses")
    for course in index.courses {
        let file = try #require(try session.courseFile(course.id), sourceLocation: sourceLocation)
        unique(file.chapters.map(\.id), "chapters of \(course.slug)")
        unique(file.lessons.map(\.id), "lessons of \(course.slug)")
        unique(file.contents.map(\.lesson.id), "contents of \(course.slug)")
    }
    let serverProgress = try await session.api.progress()
    #expect(Set(learner.progress) == Set(serverProgress), "cached progress differs from the server's", sourceLocation: sourceLocation)
    #expect(
        try await server.count("user_progress", where: "user_id = \(bind: server.learnerID)") == serverProgress.count,
        sourceLocation: sourceLocation)
    let serverResults = try await server.count("quiz_results", where: "user_id = \(bind: server.learnerID)")
    #expect(learner.quizResults.count == serverResults, sourceLocation: sourceLocation)
    let serverAwards = try await server.count("user_badges", where: "user_id = \(bind: server.learnerID)")
    #expect(learner.earned.count == serverAwards, sourceLocation: sourceLocation)
    #expect(try session.outbox().allSatisfy { $0.state == .rejected }, "pending work left after a sync", sourceLocation: sourceLocation)
}

/// Buys "Databases in Depth" through the local test checkout, as the learner would in a browser.
func buyDatabasesCourse(_ server: LiveServer, _ session: ClientSession) async throws {
    let courseID = try await server.courseID("databases-in-depth")
    let http = HTTPSession()
    let token = try #require(await session.api.credentials?.accessToken)
    let created = try await http.send(HTTPRequest(
        method: .post, url: server.baseURL + "/api/v1/purchases",
        headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
        body: try LMSJSON.encode(CheckoutRequest(courseID: courseID))))
    try #require(created.status == 201, "checkout: \(created.status) \(String(decoding: created.body, as: UTF8.self))")
    let checkout = try LMSJSON.decode(CheckoutResponse.self, from: created.body)
    let sessionID = try #require(checkout.checkoutURL.flatMap { URL(string: $0)?.lastPathComponent })
    let paid = try await http.send(HTTPRequest(
        method: .post, url: server.baseURL + "/checkout/test/\(sessionID)/complete", headers: [("Authorization", "Bearer \(token)")]))
    try #require(paid.status == 200, "completing the checkout: \(paid.status)")
}
