import Foundation
import LMSKit
import SQLKit
import Testing
import Vapor

@testable import LMSServer

/// The real lms-server, in this process, on a loopback port, over a temporary SQLite file with the
/// demo data. It can be stopped and started again on the same port and database, to play a
/// server that goes away and comes back.
///
///     try await withLiveServer { server in
///         let home = try ClientHome()
///         let session = try await home.login(server)
///     }
final class LiveServer: @unchecked Sendable {
    // @unchecked: `app` and `port` change only in start/stop, which a test calls sequentially.
    private(set) var app: Application?
    private(set) var port = 0
    private(set) var demo: DemoSeeder.Result!
    let settings: ServerSettings
    let directory: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var learnerID: UUID { demo.learnerID }

    private init(settings: ServerSettings, directory: URL) {
        self.settings = settings
        self.directory = directory
    }

    /// A new server with the demo data; `adjust` changes the settings first.
    static func start(_ adjust: (inout ServerSettings) -> Void = { _ in }) async throws -> LiveServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lms-client-tests-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var settings = ServerSettings(
            mode: .development, database: .sqlite(path: directory.appendingPathComponent("lms.sqlite").path), autoMigrate: true, logLevel: .warning)
        settings.bcryptCost = 4
        // Fixed for the server's life: a restart keeps access tokens valid.
        settings.signingKey = TokenSigningKey(id: "test", secret: ServerSettings.randomSecret())
        adjust(&settings)
        let server = LiveServer(settings: settings, directory: directory)
        try await server.boot(seed: true)
        return server
    }

    private func boot(seed: Bool) async throws {
        let app = try await Application.make(.testing)
        app.logger = Logger(label: "lms.client-tests.server") { _ in SwiftLogNoOpLogHandler() }
        do {
            try await configure(app, settings: settings)
            try await app.prepareDatabase(migrate: settings.autoMigrate)
            if seed {
                let hash = try await app.password.async.hash(DemoAccounts.password)
                demo = try await app.db.transaction { db in
                    try await DemoSeeder(db: db as! any SQLDatabase, passwordHash: hash, now: Date()).seed()
                }
            }
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            guard let bound = app.http.server.shared.localAddress?.port else { throw HarnessError("the server did not report its port") }
            port = bound
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
        self.app = app
    }

    /// Stops answering: connections to the port are refused until `restart()`.
    func stop() async {
        guard let app else { return }
        self.app = nil
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    /// Starts again on the same port and database (same signing key: access tokens stay valid).
    func restart() async throws {
        precondition(app == nil, "stop() the server before restarting it")
        try await boot(seed: false)
    }

    /// Stops for good and removes the database.
    func shutdown() async {
        await stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Looking into the database

    var sql: any SQLDatabase {
        get throws {
            guard let app else { throw HarnessError("the server is stopped") }
            return app.db as! any SQLDatabase
        }
    }

    func count(_ table: String, where condition: SQLQueryString = "1 = 1") async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(condition)").first()
        return try row?.decode(column: "n", as: Int.self) ?? -1
    }

    /// Progress rows of the demo learner for one lesson (must never exceed 1).
    func progressRows(lesson: UUID, user: UUID? = nil) async throws -> Int {
        try await count("user_progress", where: "user_id = \(bind: user ?? learnerID) AND lesson_id = \(bind: lesson)")
    }

    func lessonID(_ title: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> UUID {
        let row = try await sql.raw("SELECT id FROM lessons WHERE title = \(bind: title)").first()
        return try #require(try row?.decode(column: "id", as: UUID.self), "no lesson titled '\(title)'", sourceLocation: sourceLocation)
    }

    func courseID(_ slug: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> UUID {
        let row = try await sql.raw("SELECT id FROM courses WHERE slug = \(bind: slug)").first()
        return try #require(try row?.decode(column: "id", as: UUID.self), "no course '\(slug)'", sourceLocation: sourceLocation)
    }

    /// The right answers to a quiz, from the instructor's view of the questions.
    func correctAnswers(quiz lessonID: UUID) async throws -> [QuizAnswer] {
        let questions = try await CourseStore(db: try sql).questions(lessonID: lessonID)
        return questions.sorted { $0.position < $1.position }.map { question in
            question.type == .shortAnswer
                ? QuizAnswer(questionID: question.id, text: question.options.first?.text)
                : QuizAnswer(questionID: question.id, selectedOptionIDs: question.options.filter(\.isCorrect).map(\.id))
        }
    }
}

/// Runs `body` with a fresh server and always shuts it down.
func withLiveServer<T>(
    _ adjust: (inout ServerSettings) -> Void = { _ in }, _ body: (LiveServer) async throws -> T
) async throws -> T {
    await ServerSlots.shared.acquire()
    let server: LiveServer
    do {
        server = try await LiveServer.start(adjust)
    } catch {
        await ServerSlots.shared.release()
        throw error
    }
    let result: Result<T, any Error>
    do {
        result = .success(try await body(server))
    } catch {
        result = .failure(error)
    }
    await server.shutdown()
    await ServerSlots.shared.release()
    return try result.get()
}

/// At most a few servers at once, to keep two cores from thrashing.
actor ServerSlots {
    static let shared = ServerSlots(limit: 3)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
