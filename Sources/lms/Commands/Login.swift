import ArgumentParser
import Foundation
import LMSClient
import LMSKit

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign in to an LMS server and keep the session.")

    @Argument(help: "The server, e.g. https://lms.example.com (default: the last one, or LMS_SERVER).")
    var server: String?

    @Option(help: "Email address (asked for when omitted).")
    var email: String?

    @Flag(help: "Read the password from standard input instead of asking.")
    var passwordStdin = false

    func run() async throws {
        try await runReporting {
            let paths = Paths()
            let address = normalizedServerURL(server ?? LastServer(paths: paths).address())
            guard let email = email ?? prompt("Email: "), !email.isEmpty else {
                throw CommandFailure(message: "An email address is needed", code: 2)
            }
            let password = passwordStdin ? readLine(strippingNewline: true) : readSecret("Password: ")
            guard let password, !password.isEmpty else { throw CommandFailure(message: "A password is needed", code: 2) }
            let api = APIClient(server: address, credentials: nil, credentialStore: CredentialStore(paths: paths))
            let tokens: TokenResponse
            do {
                tokens = try await api.login(email: email, password: password)
            } catch let error as ClientError {
                throw CommandFailure(message: error.atSignIn(server: address), code: Failure.exitCode(for: error))
            }
            print("Signed in to \(address) as \(tokens.user.fullName) <\(tokens.user.email)> (\(tokens.user.role.rawValue)).")
            print("Run 'lms sync' to download your courses.")
        }
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign out: revoke the session and forget the tokens. Unsynced work is kept.")

    func run() async throws {
        try await runReporting {
            let session = try ClientSession.open()
            var notices = AccountStore.Notices()
            let pending = (try? session.store.outbox(notices: &notices).filter { $0.state == .pending }.count) ?? 0
            if let failure = await session.api.logout() {
                printError("the server could not be told (\(failure.description)); the tokens are forgotten here anyway")
            }
            print("Signed out of \(session.credentials.server).")
            if pending > 0 {
                print("Warning: \(Words.count(pending, "change")) \(pending == 1 ? "is" : "are") not synced yet. They are kept and will be sent after 'lms login'.")
            }
        }
    }
}

func prompt(_ text: String) -> String? {
    FileHandle.standardError.write(Data(text.utf8))
    return readLine(strippingNewline: true)
}

/// Reads a line with echo off when standard input is a terminal.
func readSecret(_ text: String) -> String? {
    FileHandle.standardError.write(Data(text.utf8))
    guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
    var original = termios()
    tcgetattr(STDIN_FILENO, &original)
    var silent = original
    silent.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
    defer {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
        FileHandle.standardError.write(Data("\n".utf8))
    }
    return readLine(strippingNewline: true)
}
