import ArgumentParser
import Foundation
import LMSClient
import LMSKit

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send offline work, then download what changed.")

    @Flag(help: "Show what would be sent without sending or changing anything.")
    var dryRun = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        try await runReporting(json: json) {
            let session = try ClientSession.open()
            let output = Output.current
            let interactive = isatty(STDERR_FILENO) == 1 && !json
            // `lms sync` always tries, and tells later commands what it found.
            let report = try await session.sync(dryRun: dryRun) { phase in
                guard interactive else { return }
                let line = switch phase {
                case .pushing(let sent, let total): "Sending \(sent)/\(Words.count(total, "change"))…"
                case .pulling(let changes, let pages): "Downloading: \(Words.count(changes, "change")), \(Words.count(pages, "page"))…"
                case .done: ""
                }
                FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            }
            if json {
                try Output.printJSON(SyncSummary(report))
                return
            }
            for notice in report.notices { print(notice) }
            if dryRun {
                print("\(Words.count(report.pushed, "change")) would be sent.")
                return
            }
            print("Synced: \(report.pushed) sent, \(report.duplicates) already on the server, \(Words.count(report.pulledChanges, "change")) downloaded"
                + (report.fullResync ? " (full download: the server had forgotten our position)" : "") + ".")
            for entry in report.newlyRejected {
                print(output.red("Refused: \(entry.mutation.typeName) — \(entry.rejection?.message ?? "no reason given")"))
            }
            let names = try badgeNames(report, session)
            if !names.isEmpty {
                print(output.green("New \(names.count == 1 ? "badge" : "badges"): \(names.joined(separator: ", ")). See 'lms badges'."))
            }
        }
    }
}

/// `lms sync --json`.
struct SyncSummary: Encodable {
    let pushed: Int
    let duplicates: Int
    let rejected: [String]
    let pulledChanges: Int
    let fullResync: Bool
    let awardedBadges: Int

    init(_ report: SyncReport) {
        pushed = report.pushed
        duplicates = report.duplicates
        rejected = report.newlyRejected.map { $0.rejection?.message ?? $0.mutation.typeName }
        pulledChanges = report.pulledChanges
        fullResync = report.fullResync
        awardedBadges = report.awardedBadges.count
    }

    enum CodingKeys: String, CodingKey {
        case pushed, duplicates, rejected
        case pulledChanges = "pulled_changes"
        case fullResync = "full_resync"
        case awardedBadges = "awarded_badges"
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Who is signed in, when the last sync was, and what is waiting.")

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await runReporting(json: json) {
            // Status answers "is the server there?" too: it always asks, briefly, and sends
            // pending work while it is at it.
            let session = try ClientSession.open(http: HTTPSession(patience: .onTheSide))
            var problem: String?
            var notices = AccountStore.Notices()
            do {
                notices.messages = try await session.sync().notices
            } catch let error as ClientError where error.isTransient {
                problem = error.description
            }
            let (index, snapshot) = try session.snapshot(notices: &notices)
            let status = StatusReport(
                server: session.credentials.server, serverAnswered: problem == nil, serverProblem: problem,
                email: session.credentials.email, userID: session.credentials.userID,
                lastSync: index.lastSync, pending: snapshot.pendingCount,
                rejected: snapshot.rejected.map { $0.rejection?.message ?? $0.mutation.typeName },
                courses: index.courses.count, cacheBytes: session.store.diskUsage(), notices: notices.messages,
                log: session.paths.logFile.path)
            if json { return try Output.printJSON(status) }
            let output = Output.current
            print("Server:     \(status.server) · " + (problem.map { output.red("not answering: \($0)") } ?? output.green("answered just now")))
            print("Signed in:  \(status.email)")
            print("Last sync:  \(status.lastSync.map { Words.moment($0, timeZone: .current, locale: .current) } ?? "never")")
            print("Pending:    \(Words.count(status.pending, "change")) waiting to be sent")
            print("Rejected:   \(status.rejected.count)")
            for reason in status.rejected { print("  - \(reason)") }
            print("Courses:    \(status.courses) cached, \(Words.bytes(status.cacheBytes)) on disk")
            for notice in status.notices { print("Note: \(notice)") }
            print("Log:        \(status.log) (attach it to a bug report; it holds no password or token)")
        }
    }
}

struct StatusReport: Encodable {
    let server: String
    let serverAnswered: Bool
    /// Why the server did not answer, when it did not.
    let serverProblem: String?
    let email: String
    let userID: UUID
    let lastSync: Date?
    let pending: Int
    let rejected: [String]
    let courses: Int
    let cacheBytes: Int64
    let notices: [String]
    let log: String

    enum CodingKeys: String, CodingKey {
        case server
        case serverAnswered = "server_answered"
        case serverProblem = "server_problem"
        case email
        case userID = "user_id"
        case lastSync = "last_sync"
        case pending, rejected, courses
        case cacheBytes = "cache_bytes"
        case notices, log
    }
}
