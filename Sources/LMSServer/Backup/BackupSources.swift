import Foundation
import LMSKit

/// `pg_dump --format=custom` of the whole database, read as it is written.
final class PostgresDumpSource: BackupSource, @unchecked Sendable {
    private let tool: ToolProcess
    private var bytes: Int64 = 0

    init(tools: PostgresTools) throws {
        tool = try ToolProcess(
            executable: tools.pgDump, arguments: ["--format=custom", "--no-password", "--dbname=\(tools.connection)"],
            environment: tools.environment, readOutput: true, writeInput: false)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try tool.read(into: buffer)
        bytes += Int64(count)
        return count
    }

    func finish() throws {
        guard tool.wait() == 0 else {
            throw BackupFailure("pg_dump failed after \(Words.bytes(bytes)) (\(tool.ending))\(tool.lastError.map { ": \($0)" } ?? "")")
        }
    }

    func cancel() { tool.kill() }
}

/// A file read from start to end (the consistent copy of a SQLite database).
final class FileSource: BackupSource, @unchecked Sendable {
    private let handle: FileHandle

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupFailure("cannot read \(path)") }
        self.handle = handle
    }

    deinit { try? handle.close() }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(handle.fileDescriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw BackupFailure("reading the database copy failed: \(String(cString: strerror(errno)))") }
        }
    }

    func finish() throws {}
    func cancel() {}
}
