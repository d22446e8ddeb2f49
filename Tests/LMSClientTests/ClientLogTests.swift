import Foundation
import LMSTestSupport
import Logging
import Testing

@testable import LMSClient

@Suite("Client log")
struct ClientLogTests {
    @Test("Tokens are masked on the way in, whatever carries them")
    func redaction() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
        #expect(ClientLog.redact("Authorization: Bearer \(jwt)") == "Authorization: Bearer [redacted]")
        #expect(ClientLog.redact("refresh failed for \(jwt) at 3") == "refresh failed for [redacted] at 3")
        #expect(ClientLog.redact("GET /api/v1/me 200") == "GET /api/v1/me 200")
    }

    @Test("The file is rotated at its limit, one older file kept")
    func rotation() throws {
        let home = try TestHome()
        let file = home.root.appendingPathComponent("state/lms.log")
        let log = ClientLog(file: file, limit: 1000)
        var logger = Logger(label: "test") { log.handler(label: $0, level: .debug) }
        logger.logLevel = .debug
        for index in 0..<100 { logger.info("line \(index) of the log, long enough to fill it") }
        let current = try String(contentsOf: file, encoding: .utf8)
        let older = try String(contentsOf: file.appendingPathExtension("1"), encoding: .utf8)
        #expect(current.utf8.count < 1100 && older.utf8.count >= 1000)
        #expect(current.contains("line 99 of the log"))
        var info = stat()
        #expect(stat(file.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }
}
