import Foundation

/// When the server was last found unreachable, kept between runs: a command run again soon after
/// does not wait for another connection attempt (up to the 10-second connect limit to a remote
/// server) before working from the cache, and keeps the work for later.
public struct ReachabilityMemory: Sendable {
    let file: URL
    /// How long "unreachable" is believed without trying again.
    public static let window: TimeInterval = 30

    public init(paths: Paths) {
        file = paths.stateDirectory.appendingPathComponent("unreachable")
    }

    /// Seconds since `server` was found unreachable, when that is within the window.
    public func recentlyUnreachable(_ server: String, now: Date = Date()) -> TimeInterval? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard parts.count == 2, parts[0] == server, let since = Double(parts[1]) else { return nil }
        let age = now.timeIntervalSince1970 - since
        return age >= 0 && age < Self.window ? age : nil
    }

    /// Remembers the outcome of talking to `server`. Only a hint: failing to write it changes
    /// nothing else, so the failure is not reported.
    public func record(_ server: String, reachable: Bool, now: Date = Date()) {
        guard !reachable else {
            try? FileManager.default.removeItem(at: file)
            return
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(Data("\(server)\n\(now.timeIntervalSince1970)\n".utf8), to: file)
        } catch {}
    }
}
