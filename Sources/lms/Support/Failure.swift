import ArgumentParser
import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// The documented exit codes (see `lms --help`).
enum Exit {
    static let unexpected: Int32 = 1
    static let notSignedIn: Int32 = 3
    static let offline: Int32 = 4
    static let refused: Int32 = 5
    static let storage: Int32 = 6
}

/// Runs a command body, turning every failure into one clear line on stderr and its exit code;
/// with `json`, also `{"error": {"code": …, "message": …}}` on stdout, for scripts.
func runReporting(json: Bool = false, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let failure = Failure(error)
        failure.report(json: json)
        throw ExitCode(failure.exitCode)
    }
}

/// A failure as a person and a script see it.
struct Failure: Encodable {
    let code: String
    let message: String
    let exitCode: Int32

    init(code: String, message: String, exitCode: Int32) {
        self.code = code
        self.message = message
        self.exitCode = exitCode
    }

    init(_ error: any Error) {
        switch error {
        case let error as ClientError:
            self.init(code: Self.name(of: error), message: error.description, exitCode: Self.exitCode(for: error))
        case let error as StorageError:
            self.init(code: "local_files", message: error.description, exitCode: Exit.storage)
        case let error as CommandFailure:
            self.init(code: error.name, message: error.message, exitCode: error.code)
        case is CancellationError:
            self.init(code: "cancelled", message: "Cancelled", exitCode: Exit.unexpected)
        default:
            self.init(code: "unexpected", message: "\(error)", exitCode: Exit.unexpected)
        }
    }

    func report(json: Bool) {
        printError(message)
        // Encoding two strings cannot fail; there is nothing better to do if writing stdout does.
        if json { do { try Output.printJSON(["error": self]) } catch {} }
    }

    /// The server's own code where it gave one, else the kind of failure.
    static func name(of error: ClientError) -> String {
        switch error {
        case .unreachable: "unreachable"
        case .offline: "connection_broken"
        case .timeout: "timeout"
        case .tls: "tls"
        case .unauthorized: "session_ended"
        case .forbidden(let body), .conflict(let body), .rejected(_, let body): body.code.rawValue
        case .notFound: "not_found"
        case .gone: "cursor_expired"
        case .rateLimited: "rate_limited"
        case .server: "server_error"
        case .invalidResponse: "invalid_response"
        case .cancelled: "cancelled"
        case .notSignedIn: "not_signed_in"
        }
    }

    static func exitCode(for error: ClientError) -> Int32 {
        switch error {
        case .notSignedIn, .unauthorized: Exit.notSignedIn
        case .unreachable, .offline, .timeout, .tls, .rateLimited, .server, .cancelled: Exit.offline
        case .forbidden, .notFound, .conflict, .rejected, .gone: Exit.refused
        case .invalidResponse: Exit.unexpected
        }
    }

    enum CodingKeys: String, CodingKey { case code, message }
}

struct CommandFailure: Error {
    let message: String
    let code: Int32
    /// For `--json`: what kind of failure, in a word.
    var name: String {
        switch code {
        case Exit.notSignedIn: "not_signed_in"
        case Exit.offline: "unreachable"
        case Exit.refused: "refused"
        case Exit.storage: "local_files"
        default: "failed"
        }
    }
}

func printError(_ message: String) {
    let line = "lms: \(message)\n"
    FileHandle.standardError.write(Data((Output.current.utf8 ? line : ASCIIFallback.text(line)).utf8))
}

