import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 in front of a real server, playing the networks that hurt most: one
/// that accepts a connection and then says nothing (a captive portal, a stuck proxy, a half-open
/// connection), one that answers a byte a second, and one that works. The mode can change at any
/// time, for open (kept-alive) connections too: the network goes bad under them.
package final class FlakyProxy: @unchecked Sendable {
    package enum Mode: Sendable {
        /// Bytes flow both ways, untouched.
        case pass
        /// The request is read and never answered; the connection stays open.
        case silent
        /// The answer is forwarded one byte a second.
        case trickle
    }

    package let port: Int
    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var currentMode: Mode
    private var stopped = false
    private var accepted = 0
    private var swallowed = 0
    private var open: [Int32] = []

    package var baseURL: String { "http://127.0.0.1:\(port)" }
    package var connections: Int { lock.withLock { accepted } }
    /// Requests that reached the proxy while silent and were never answered.
    package var unansweredRequests: Int { lock.withLock { swallowed } }
    package var mode: Mode {
        get { lock.withLock { currentMode } }
        set { lock.withLock { currentMode = newValue } }
    }

    package init(upstreamPort: Int, mode: Mode = .pass) throws {
        self.upstreamPort = upstreamPort
        currentMode = mode
        let (listener, port) = try LoopbackSocket.listen()
        self.port = port
        self.listener = listener
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    /// Stops accepting and drops every connection. Idempotent.
    package func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            let (isStopped, mode): (Bool, Mode) = lock.withLock {
                if client >= 0, !stopped {
                    accepted += 1
                    open.append(client)
                }
                return (stopped, currentMode)
            }
            if isStopped {
                if client >= 0 { close(client) }
                break
            }
            if client < 0 {
                usleep(1000)
                continue
            }
            Thread { [self] in
                serve(client, startingIn: mode)
                lock.withLock { open.removeAll { $0 == client } }
                close(client)
            }.start()
        }
        lock.withLock { _ = close(listener) }
    }

    private func serve(_ client: Int32, startingIn mode: Mode) {
        switch mode {
        case .silent:
            // Read whatever comes until the client gives up (or the proxy stops); answer nothing.
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = recv(client, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                countIfRequest(buffer[..<count])
            }
        case .pass, .trickle:
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(upstream) }
            var address = LoopbackSocket.address(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { return }
            pump(client, upstream)
        }
    }

    private func countIfRequest(_ bytes: ArraySlice<UInt8>) {
        let start = String(decoding: bytes.prefix(8), as: UTF8.self)
        if ["GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD "].contains(where: start.hasPrefix) { lock.withLock { swallowed += 1 } }
    }

    /// Copies bytes both ways until either side closes, as the mode of the moment says: silent
    /// swallows them, trickle sends the answer one byte a second.
    private func pump(_ client: Int32, _ upstream: Int32) {
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while lock.withLock({ !stopped }) {
            fds[0].revents = 0
            fds[1].revents = 0
            guard poll(&fds, 2, 200) >= 0 else { return }
            for (index, (from, to)) in [(client, upstream), (upstream, client)].enumerated() where fds[index].revents != 0 {
                let count = recv(from, &buffer, buffer.count, 0)
                guard count > 0 else { return }
                let mode = self.mode
                if mode == .silent {
                    if from == client { countIfRequest(buffer[..<count]) }
                    continue
                }
                if mode == .trickle, from == upstream {
                    for byte in buffer[..<count] {
                        var one = byte
                        guard send(to, &one, 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
                        sleep(1)
                        if lock.withLock({ stopped }) { return }
                    }
                } else {
                    var offset = 0
                    while offset < count {
                        let sent = buffer.withUnsafeBytes { send(to, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
                        guard sent > 0 else { return }
                        offset += sent
                    }
                }
            }
        }
    }
}
