import Foundation

/// When the server was last found unreachable or not answering, and what finding that out cost,
/// kept between runs. A failure that cost seconds (a connection that timed out, a server that
/// never answered) is believed for a while, so the next command works from the cache at once;
/// one that cost next to nothing (a refused connection) is simply tried again, so work saved
/// offline leaves with the first command after the server is back.
public struct ReachabilityMemory: Sendable {
    let file: URL
    /// How long an expensive failure is believed without trying again.
    public static let window: TimeInterval = 30
    /// A failure found out faster than this is cheaper to check again than to remember.
    public static let expensive: TimeInterval = 1

    public init(paths: Paths) {
        file = paths.stateDirectory.appendingPathComponent("unreachable")
    }

    /// Seconds since `server` was last found unavailable, when that is within the window and
    /// finding it out again would cost the learner a wait.
    public func recentlyUnreachable(_ server: String, now: Date = Date()) -> TimeInterval? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard parts.count >= 2, parts[0] == server, let since = Double(parts[1]) else { return nil }
        // A file from before costs were written: believe it, as lms did then.
        let cost = parts.count >= 3 ? Double(parts[2]) ?? Self.expensive : Self.expensive
        let age = now.timeIntervalSince1970 - since
        return age >= 0 && age < Self.window && cost >= Self.expensive ? age : nil
    }

    /// Remembers the outcome of talking to `server`; `cost` is how long the failed attempt took.
    /// Only a hint: failing to write it changes nothing else, so the failure is not reported.
    public func record(_ server: String, reachable: Bool, cost: TimeInterval = ReachabilityMemory.expensive, now: Date = Date()) {
        guard !reachable else {
            try? FileManager.default.removeItem(at: file)
            return
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(Data("\(server)\n\(now.timeIntervalSince1970)\n\(cost)\n".utf8), to: file)
        } catch {}
    }
}
