import Foundation
import LMSTestSupport
import Testing

/// The `lms` executable built next to the test bundle.
enum CLI {
    static let executable: URL? = {
        var candidates: [URL] = []
        if let argument = CommandLine.arguments.first {
            let runner = URL(fileURLWithPath: argument).resolvingSymlinksInPath()
            candidates.append(runner.deletingLastPathComponent().appendingPathComponent("lms"))
            // Inside a bundle (…/lmsPackageTests.xctest/Contents/MacOS/…): climb out of it.
            var directory = runner.deletingLastPathComponent()
            for _ in 0..<4 {
                directory.deleteLastPathComponent()
                candidates.append(directory.appendingPathComponent("lms"))
            }
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("lms"))
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            candidates.append(directory.appendingPathComponent(".build/debug/lms"))
            directory.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
    }()

    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
        let stdoutData: Data
        /// Killed by a signal rather than exiting.
        let signalled: Bool

        var all: String { stdout + stderr }
    }

    /// A started `lms` process whose output goes to temporary files.
    final class Running: @unchecked Sendable {
        let process: Process
        let outURL: URL
        let errURL: URL
        private let finished: Task<Void, Never>

        init(_ arguments: [String], home: TestHome, stdin: String?, extraEnvironment: [String: String]) throws {
            guard let executable = CLI.executable else { throw TestFailure("the lms executable was not found next to the tests") }
            process = Process()
            process.executableURL = executable
            process.arguments = arguments
            var environment = home.environment
            environment["NO_COLOR"] = "1"
            environment["PATH"] = "/usr/bin:/bin"
            environment["LANG"] = "C.UTF-8"
            for (key, value) in extraEnvironment { environment[key] = value }
            process.environment = environment
            let id = UUID().uuidString
            outURL = home.root.appendingPathComponent("stdout-\(id)")
            errURL = home.root.appendingPathComponent("stderr-\(id)")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            if let stdin {
                let inURL = home.root.appendingPathComponent("stdin-\(id)")
                try Data(stdin.utf8).write(to: inURL)
                process.standardInput = try FileHandle(forReadingFrom: inURL)
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            let process = self.process
            let (stream, continuation) = AsyncStream<Void>.makeStream()
            process.terminationHandler = { _ in continuation.finish() }
            try process.run()
            finished = Task { for await _ in stream {} }
        }

        var pid: Int32 { process.processIdentifier }

        func kill() { _ = Glibc.kill(process.processIdentifier, SIGKILL) }

        func wait() async -> Result {
            await finished.value
            let out = (try? Data(contentsOf: outURL)) ?? Data()
            let err = (try? Data(contentsOf: errURL)) ?? Data()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                stdoutData: out, signalled: process.terminationReason == .uncaughtSignal)
        }
    }

    static func start(_ arguments: [String], home: TestHome, stdin: String? = nil, environment: [String: String] = [:]) throws -> Running {
        try Running(arguments, home: home, stdin: stdin, extraEnvironment: environment)
    }

    /// Runs `lms ARGUMENTS` with its standard output on a pseudo-terminal (so it may use colour)
    /// and returns what it wrote there.
    static func runInTerminal(_ arguments: [String], home: TestHome, environment extra: [String: String]) async throws -> (Int32, Data) {
        guard let executable = CLI.executable else { throw TestFailure("the lms executable was not found next to the tests") }
        let master = PTY.openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, PTY.grantpt(master) == 0, PTY.unlockpt(master) == 0, let name = PTY.ptsname(master) else {
            throw TestFailure("no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        defer { close(master) }
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw TestFailure("cannot open \(String(cString: name))") }
        defer { close(slave) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = home.environment
        environment["PATH"] = "/usr/bin:/bin"
        environment["LANG"] = "C.UTF-8"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        // Foundation owns (and closes) its own copy of the descriptor; ours is closed above.
        process.standardOutput = FileHandle(fileDescriptor: dup(slave), closeOnDealloc: true)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in continuation.finish() }
        try process.run()
        for await _ in stream {}
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[..<count])
        }
        return (process.terminationStatus, output)
    }

    /// Runs `lms ARGUMENTS` to the end.
    static func run(_ arguments: [String], home: TestHome, stdin: String? = nil, environment: [String: String] = [:]) async throws -> Result {
        try await start(arguments, home: home, stdin: stdin, environment: environment).wait()
    }
}

/// glibc's pseudo-terminal calls, which its Swift module map hides behind _XOPEN_SOURCE.
private enum PTY {
    typealias IntFunction = @convention(c) (Int32) -> Int32
    typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    private static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("libc has no \(name)") }
        return unsafeBitCast(address, to: type)
    }

    static let openpt = symbol("posix_openpt", as: IntFunction.self)
    static let grantpt = symbol("grantpt", as: IntFunction.self)
    static let unlockpt = symbol("unlockpt", as: IntFunction.self)
    static let ptsname = symbol("ptsname", as: NameFunction.self)
}
