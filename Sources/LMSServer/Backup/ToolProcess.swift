import Foundation

/// A program the backup runs (pg_dump, pg_restore): its output read as a stream, its error
/// output kept for the failure sentence.
final class ToolProcess: @unchecked Sendable {
    let name: String
    private let process = Process()
    private let output: Pipe?
    private let input: Pipe?
    private let errors = Pipe()
    private let errorText = LockedText()
    private let errorsDone = DispatchSemaphore(value: 0)

    init(executable: String, arguments: [String], environment: [String: String], readOutput: Bool, writeInput: Bool) throws {
        name = URL(fileURLWithPath: executable).lastPathComponent
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        output = readOutput ? Pipe() : nil
        input = writeInput ? Pipe() : nil
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardInput = input ?? FileHandle.nullDevice
        process.standardError = errors
        // A tool that dies mid-input must give an error on write, not kill the server.
        if writeInput { signal(SIGPIPE, SIG_IGN) }
        try process.run()
        // Error output is drained as it comes, so a chatty tool never blocks on a full pipe.
        let handle = errors.fileHandleForReading
        let text = errorText
        let done = errorsDone
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text.append(chunk)
            }
            done.signal()
        }
    }

    /// Reads what the tool wrote to its standard output; 0 at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let fd = output!.fileHandleForReading.fileDescriptor
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw BackupFailure("reading \(name)'s output failed: \(String(cString: strerror(errno)))") }
        }
    }

    /// Writes all of `bytes` to the tool's standard input.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        let fd = input!.fileHandleForWriting.fileDescriptor
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw ToolStoppedReading()
            }
            offset += count
        }
    }

    func closeInput() {
        try? input?.fileHandleForWriting.close()
    }

    /// Waits for the tool to end; its exit status.
    func wait() -> Int32 {
        process.waitUntilExit()
        errorsDone.wait()
        errorsDone.signal()
        return process.terminationStatus
    }

    /// How the tool ended, for a sentence: "exit status 1" or "killed by signal 11".
    var ending: String {
        process.terminationReason == .uncaughtSignal ? "killed by signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)"
    }

    /// Stops the tool at once; what it was doing is abandoned (pg_restore's transaction rolls back).
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        closeInput()
    }

    /// The last line the tool wrote to its error output, if any.
    var lastError: String? {
        errorText.text.split(separator: "\n").last.map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    /// Runs a tool to its end and returns its standard output (short outputs: `--version`).
    static func outputOf(_ executable: String, _ arguments: [String]) throws -> String {
        let tool = try ToolProcess(executable: executable, arguments: arguments, environment: [:], readOutput: true, writeInput: false)
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try tool.read(into: $0) }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        guard tool.wait() == 0 else { throw BackupFailure("\(executable) \(arguments.joined(separator: " ")) failed\(tool.lastError.map { ": \($0)" } ?? "")") }
        return String(decoding: data, as: UTF8.self)
    }
}

private final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.withLock {
            // The end is what explains a failure; keep the last 16 KB.
            data.append(chunk)
            if data.count > 16384 { data = data.suffix(16384) }
        }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

/// The PostgreSQL client tools a backup needs, found and checked against the server's version.
struct PostgresTools: Sendable {
    var pgDump: String
    var pgRestore: String
    /// The connection string without its password, safe for a command line.
    var connection: String
    /// The password and the application name, passed through the environment.
    var environment: [String: String]

    /// Finds pg_dump (`LMS_PG_DUMP`, then the PATH) and the pg_restore beside it, and refuses
    /// tools of another major version than the server's.
    static func locate(databaseURL: String, serverMajorVersion: Int, pgDumpPath: String?, path: String?) throws -> PostgresTools {
        let pgDump: String
        if let configured = pgDumpPath {
            guard FileManager.default.isExecutableFile(atPath: configured) else {
                throw BackupFailure("LMS_PG_DUMP names \(configured), which is not an executable file")
            }
            pgDump = configured
        } else {
            guard let found = search("pg_dump", path: path) else {
                throw BackupFailure("pg_dump is not on the PATH: install PostgreSQL \(serverMajorVersion)'s client tools or set LMS_PG_DUMP to its pg_dump")
            }
            pgDump = found
        }
        let besideDump = URL(fileURLWithPath: pgDump).deletingLastPathComponent().appendingPathComponent("pg_restore").path
        let pgRestore = FileManager.default.isExecutableFile(atPath: besideDump) ? besideDump : search("pg_restore", path: path)
        guard let pgRestore else {
            throw BackupFailure("pg_restore is not beside \(pgDump) nor on the PATH: install PostgreSQL \(serverMajorVersion)'s client tools")
        }
        for tool in [pgDump, pgRestore] {
            let version = try majorVersion(of: tool)
            guard version == serverMajorVersion else {
                throw BackupFailure("\(tool) is PostgreSQL \(version) but the database server runs PostgreSQL \(serverMajorVersion): set LMS_PG_DUMP to a pg_dump \(serverMajorVersion)")
            }
        }
        let (connection, password) = try withoutPassword(databaseURL)
        var environment = ["PGAPPNAME": "lms-server-backup"]
        if let password { environment["PGPASSWORD"] = password }
        return PostgresTools(pgDump: pgDump, pgRestore: pgRestore, connection: connection, environment: environment)
    }

    static func majorVersion(of tool: String) throws -> Int {
        let text = try ToolProcess.outputOf(tool, ["--version"])
        // "pg_dump (PostgreSQL) 16.4" or "pg_dump (PostgreSQL) 16.4 (Debian 16.4-1)"
        guard let number = text.split(separator: ")").dropFirst().first?.split(separator: " ").first,
              let major = Int(number.split(separator: ".").first ?? "")
        else { throw BackupFailure("\(tool) --version said '\(text.trimmingCharacters(in: .whitespacesAndNewlines))', which names no PostgreSQL version") }
        return major
    }

    static func search(_ name: String, path: String?) -> String? {
        for directory in (path ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The URL without its password (which would show in `ps`), and the password.
    static func withoutPassword(_ url: String) throws -> (String, String?) {
        guard var components = URLComponents(string: url) else { throw BackupFailure("DATABASE_URL is not a URL") }
        let password = components.password
        components.password = nil
        guard let clean = components.string else { throw BackupFailure("DATABASE_URL is not a URL") }
        return (clean, password)
    }
}

/// The tool closed its input (it exited): its exit status and error output say why.
struct ToolStoppedReading: Error {}

/// A backup that could not be made or restored, in one sentence for the operator.
public struct BackupFailure: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
