import Foundation
import LMSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in HTTP server on 127.0.0.1 that answers every request with the same canned bytes,
/// for responses the real server never produces (garbage, truncated, huge). It reads the request
/// head (and its body, by Content-Length), writes the bytes, and closes the connection.
final class CannedServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let response: Data
    private let lock = NSLock()
    private var requestCount = 0
    private var stopped = false

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: Int { lock.withLock { requestCount } }

    init(response: Data) throws {
        self.response = response
        let (listener, port) = try LoopbackSocket.listen(backlog: 16)
        self.port = port
        self.listener = listener
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Convenience: a status line, headers and a body (Content-Length set from the body unless given).
    convenience init(status: String, headers: [(String, String)] = [], body: Data, contentLength: Int? = nil) throws {
        var head = "HTTP/1.1 \(status)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(contentLength ?? body.count)\r\nConnection: close\r\n\r\n"
        try self.init(response: Data(head.utf8) + body)
    }

    /// Stops accepting. Idempotent, and the descriptor is closed by the accept thread only after
    /// it has seen the stop, so it never closes or accepts on a number another test reuses.
    func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
        }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if lock.withLock({ stopped }) {
                if connection >= 0 { close(connection) }
                break
            }
            if connection < 0 {
                usleep(1000)
                continue
            }
            lock.withLock { requestCount += 1 }
            serve(connection)
        }
        lock.withLock { _ = close(listener) }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        // Read the head, then as much body as it announces.
        while true {
            if let end = received.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count - end.upperBound >= length { break }
            }
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return }
            received.append(contentsOf: buffer[..<count])
        }
        response.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
        Glibc.shutdown(connection, Int32(SHUT_WR))
    }
}
