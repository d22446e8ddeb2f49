import ArgumentParser
import Foundation
import LMSClient
import LMSKit

/// `lms demo`: a throw-away server with demo data, signed in as the demo learner, in the app.
/// The server is a separate process (`lms-server`), so the client never links the server stack.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Try lms on a live demo: starts lms-server with demo data, signs in, opens the app.")

    @Option(help: "Colour theme.")
    var theme: String?

    enum Role: String, ExpressibleByArgument, CaseIterable {
        case learner, instructor, admin
    }

    @Option(help: "Sign in as this demo account.")
    var role: Role = .learner

    @Option(help: "Keep the demo's files here (default: a new temporary folder).")
    var directory: String?

    func run() async throws {
        try await runReporting {
            let server = try locateServer()
            print("Starting a demo server with sample courses…")
            let root = URL(fileURLWithPath: directory ?? NSTemporaryDirectory() + "lms-demo-\(getpid())")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let database = root.appendingPathComponent("demo.sqlite").path
            let port = try freeLoopbackPort()
            let log = root.appendingPathComponent("server.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)

            // A development server: demo accounts, a random token key, the local test checkout.
            var environment = ProcessInfo.processInfo.environment
            environment["LMS_ENV"] = "development"
            environment["LOG_LEVEL"] = "warning"
            if !FileManager.default.fileExists(atPath: database) {
                try runToEnd(server, ["seed", "--demo", "--sqlite", database], environment: environment, log: log)
            }
            let process = Process()
            process.executableURL = server
            process.arguments = ["serve", "--sqlite", database, "--hostname", "127.0.0.1", "--port", String(port)]
            process.environment = environment
            let logHandle = try FileHandle(forWritingTo: log)
            process.standardOutput = logHandle
            process.standardError = logHandle
            try process.run()
            defer {
                process.terminate()
                process.waitUntilExit()
            }
            let url = "http://127.0.0.1:\(port)"
            try await waitUntilHealthy(url, process: process, log: log)

            // The demo's session and cache live in the demo folder, not in the user's own (a
            // signed-in learner stays signed in): another terminal reaches them by these variables.
            let folders = [
                ("XDG_CONFIG_HOME", root.appendingPathComponent("config").path), ("XDG_DATA_HOME", root.appendingPathComponent("data").path),
                ("XDG_STATE_HOME", root.appendingPathComponent("state").path),
            ]
            let paths = Paths(environment: Dictionary(uniqueKeysWithValues: folders + [("HOME", root.path)]))
            let email = switch role {
            case .learner: DemoLogin.learner
            case .instructor: DemoLogin.instructor
            case .admin: DemoLogin.admin
            }
            let api = APIClient(server: url, credentials: nil, credentialStore: CredentialStore(paths: paths))
            _ = try await api.login(email: email, password: DemoLogin.password)
            let session = try ClientSession.open(paths: paths)
            // The courses first, so the app's first frame shows them rather than an empty Home.
            print("Downloading the demo courses…")
            _ = try await session.sync()
            print("The demo account's files are in \(root.path). To use it from another terminal while the demo runs:")
            print("  " + folders.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + " lms status")
            try await runApp(session: session, theme: theme, syncOnStart: true)
            print("Demo server stopped. Its files are in \(root.path).")
        }
    }

    /// `lms-server` next to this binary, else on PATH.
    func locateServer() throws -> URL {
        let sibling = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("lms-server")
        if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("lms-server")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw CommandFailure(message: "lms-server was not found next to lms or on PATH: build it with 'swift build --product lms-server'", code: Exit.unexpected)
    }

    func runToEnd(_ executable: URL, _ arguments: [String], environment: [String: String], log: URL) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(message: "lms-server \(arguments.joined(separator: " ")) failed; see \(log.path)", code: Exit.unexpected)
        }
    }

    func waitUntilHealthy(_ url: String, process: Process, log: URL) async throws {
        let http = HTTPSession(patience: Patience(connectSeconds: 1, stallSeconds: 2, minimumBytesPerSecond: 1))
        for _ in 0..<200 {
            guard process.isRunning else { throw CommandFailure(message: "The demo server stopped; see \(log.path)", code: Exit.unexpected) }
            if let response = try? await http.send(HTTPRequest(method: .get, url: url + "/healthz")), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandFailure(message: "The demo server did not start within 20 seconds; see \(log.path)", code: Exit.unexpected)
    }
}

/// The demo accounts seeded by `lms-server seed --demo` (documented in the README).
enum DemoLogin {
    static let learner = "learner@demo.lms"
    static let instructor = "instructor@demo.lms"
    static let admin = "admin@demo.lms"
    static let password = "demo-password"
}

/// Asks the kernel for a free loopback port (bind to port 0, read it back, release it).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CommandFailure(message: "Could not open a socket", code: Exit.unexpected) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw CommandFailure(message: "Could not find a free port", code: Exit.unexpected) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
