import ArgumentParser
import Foundation
import LMSClient

/// The documented exit codes (see `lms --help`).
enum Exit {
    static let unexpected: Int32 = 1
    static let notSignedIn: Int32 = 3
    static let offline: Int32 = 4
    static let refused: Int32 = 5
    static let storage: Int32 = 6
}

/// Runs a command body, turning every failure into one clear line on stderr and its exit code.
func runReporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ClientError {
        printError(error.description)
        throw ExitCode(code(for: error))
    } catch let error as StorageError {
        printError(error.description)
        throw ExitCode(Exit.storage)
    } catch let error as CommandFailure {
        printError(error.message)
        throw ExitCode(error.code)
    } catch is CancellationError {
        printError("Cancelled")
        throw ExitCode(Exit.unexpected)
    }
}

func code(for error: ClientError) -> Int32 {
    switch error {
    case .notSignedIn, .unauthorized: Exit.notSignedIn
    case .unreachable, .offline, .timeout, .tls, .rateLimited, .server, .cancelled: Exit.offline
    case .forbidden, .notFound, .conflict, .rejected, .gone: Exit.refused
    case .invalidResponse: Exit.unexpected
    }
}

struct CommandFailure: Error {
    let message: String
    let code: Int32
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("lms: \(message)\n".utf8))
}

/// The saved session and its cached courses, with any problems met while reading the files.
func openLibrary() throws -> (ClientSession, CourseLibrary, AccountStore.Notices) {
    let session = try ClientSession.open()
    var notices = AccountStore.Notices()
    let library = try CourseLibrary.load(session, notices: &notices)
    return (session, library, notices)
}
