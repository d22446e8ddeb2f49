import Foundation

/// A server's log, kept in memory (and so off the test output) for checks that read it.
package final class LogCapture: @unchecked Sendable {
    // @unchecked: every access goes through the lock.
    private let lock = NSLock()
    private var lines: [String] = []

    package init() {}

    package func append(_ line: String) { lock.withLock { lines.append(line.hasSuffix("\n") ? String(line.dropLast()) : line) } }
    package var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
