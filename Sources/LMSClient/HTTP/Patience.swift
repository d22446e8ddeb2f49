import Foundation

/// How long a request may make no headway before the server counts as not answering. A server
/// that accepts and then says nothing (a captive portal, a stuck proxy, a half-open connection)
/// must cost the person waiting a few seconds, not libcurl's minutes.
public struct Patience: Sendable, Equatable {
    /// Seconds to open a connection to another machine (one on this machine: 1.5 at most).
    public var connectSeconds: Int
    /// A transfer that moves fewer than `minimumBytesPerSecond` for this long is given up.
    public var stallSeconds: Int
    public var minimumBytesPerSecond: Int

    public init(connectSeconds: Int, stallSeconds: Int, minimumBytesPerSecond: Int) {
        self.connectSeconds = connectSeconds
        self.stallSeconds = stallSeconds
        self.minimumBytesPerSecond = minimumBytesPerSecond
    }

    /// Someone waits for the answer: a sync, a sign-in, a purchase, the app's own requests.
    public static let interactive = Patience(connectSeconds: 6, stallSeconds: 5, minimumBytesPerSecond: 64)
    /// Sending pending work on the side of a command that reads the cache: it must not hold the
    /// read up for long, and the work stays queued if the server is slow.
    public static let onTheSide = Patience(connectSeconds: 3, stallSeconds: 3, minimumBytesPerSecond: 64)
    /// Large files: they may take long, but not while nothing arrives.
    public static let download = Patience(connectSeconds: 10, stallSeconds: 20, minimumBytesPerSecond: 1)
}
