import Foundation
import LMSKit

/// What a sync made on the side of something else came to.
public enum SideSync: Sendable {
    case done(SyncReport)
    /// Not reached: the work stays queued for the next try. Why, in words.
    case offline(String)
}

/// The one offline policy of the app and every `lms` command:
///
/// - Work is saved first, in the outbox, and the action succeeds whatever the network does.
/// - Every sync, asked for or on the side, tells the next one what it found
///   (`ReachabilityMemory`): a server that took seconds to fail is not tried again for a while
///   on the side of other work; one that failed at once is simply tried again.
/// - A server that does not answer costs the request's `Patience` (seconds), never minutes, and
///   is retried later in the background (the app) or by the next command (the CLI).
extension ClientSession {
    /// Pushes the outbox and pulls the feed, always trying, and records what it found.
    public func sync(dryRun: Bool = false, progress: @escaping @Sendable (SyncPhase) -> Void = { _ in }) async throws -> SyncReport {
        let memory = ReachabilityMemory(paths: paths)
        let started = ContinuousClock.now
        do {
            let report = try await syncEngine().run(dryRun: dryRun, progress: progress)
            memory.record(credentials.server, reachable: true)
            return report
        } catch let error as ClientError where error.isUnavailable {
            let elapsed = ContinuousClock.now - started
            memory.record(credentials.server, reachable: false, cost: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            throw error
        }
    }

    /// Syncs on the side of another command, unless the server was found unavailable moments
    /// ago at a cost (see `ReachabilityMemory`). A server that cannot be had leaves the work
    /// queued and says why; other failures (a refused session, damaged files) are thrown.
    public func syncIfReachable() async throws -> SideSync {
        if let age = ReachabilityMemory(paths: paths).recentlyUnreachable(credentials.server) {
            return .offline("the server did not answer \(Int(age)) s ago")
        }
        do {
            return .done(try await sync())
        } catch let error as ClientError where error.isTransient {
            return .offline(error.description)
        }
    }

    /// Sends work saved offline earlier, if there is any, before a command reads the cache.
    /// Returns the sync's report, or nil when nothing was waiting or the server was away.
    public func sendPendingWork() async throws -> SyncReport? {
        var notices = AccountStore.Notices()
        guard try store.outbox(notices: &notices).contains(where: { $0.state == .pending }) else { return nil }
        if case .done(let report) = try await syncIfReachable() { return report }
        return nil
    }
}
