import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    case io(path: String, reason: String)
    case locked(String)
    case newerVersion(path: String, found: Int, supported: Int)
    case corrupt(path: String, movedTo: String?, reason: String)

    public var description: String {
        switch self {
        case .io(let path, let reason): "Cannot write \(path): \(reason)"
        case .locked(let message): message
        case .newerVersion(let path, let found, let supported):
            "\(path) was written by a newer lms (format \(found), this one reads up to \(supported)); it is opened read-only"
        case .corrupt(let path, let movedTo, let reason):
            "\(path) was damaged (\(reason))" + (movedTo.map { "; kept as \($0)" } ?? "")
        }
    }
}

/// Writes a file so that a crash or power cut leaves either the old or the new content, never a
/// mix: temp file in the same directory, fsync, rename over the old one, fsync the directory.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL, permissions: mode_t = 0o644) throws(StorageError) {
        _ = try write(data, to: url, permissions: permissions, replacing: true)
    }

    /// Like `write`, but only when no file is there: returns false (and changes nothing) when one is.
    public static func create(_ data: Data, at url: URL, permissions: mode_t = 0o644) throws(StorageError) -> Bool {
        try write(data, to: url, permissions: permissions, replacing: false)
    }

    private static func write(_ data: Data, to url: URL, permissions: mode_t, replacing: Bool) throws(StorageError) -> Bool {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory.path, reason: "\(error.localizedDescription)")
        }
        let temp = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: .min ... .max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw .io(path: temp.path, reason: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        // open() applied the umask; set the exact mode (credentials must be 0600).
        if failure == nil, fchmod(fd, permissions) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        var created = true
        if failure == nil {
            if replacing {
                if rename(temp.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
            } else {
                // link() never replaces an existing file: the new content appears whole or not at all.
                if link(temp.path, url.path) != 0 {
                    if errno == EEXIST { created = false } else { failure = String(cString: strerror(errno)) }
                }
                unlink(temp.path)
            }
        }
        if let failure {
            unlink(temp.path)
            throw .io(path: url.path, reason: failure)
        }
        let dirFD = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
        return created
    }

    /// Removes the temporary files of writes whose process died before renaming them (killed,
    /// power cut), in `directory` and its subdirectories one level down. A file whose writer may
    /// still be running is left alone.
    static func removeAbandonedTemporaryFiles(in directory: URL) {
        let manager = FileManager.default
        var directories = [directory]
        for name in (try? manager.contentsOfDirectory(atPath: directory.path)) ?? [] where !name.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            let url = directory.appendingPathComponent(name)
            if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue { directories.append(url) }
        }
        for folder in directories {
            for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                // .<name>.<pid>.<random>.tmp
                let parts = name.split(separator: ".")
                guard parts.count >= 4, let pid = pid_t(parts[parts.count - 3]), pid != getpid() else { continue }
                if kill(pid, 0) != 0, errno == ESRCH { unlink(folder.appendingPathComponent(name).path) }
            }
        }
    }

    /// The file's bytes, or nil when it does not exist.
    public static func read(_ url: URL) throws(StorageError) -> Data? {
        do {
            return try Data(contentsOf: url)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return nil
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return nil }
            throw .io(path: url.path, reason: error.localizedDescription)
        }
    }
}

/// An advisory lock (flock) on a directory, so two lms processes never write the same account's
/// files at once. The holder's pid is written into the lock file for the other one's message.
public final class DirectoryLock {
    private let fd: Int32

    /// Waits up to `timeout` seconds, then fails with a message naming the other process.
    public init(directory: URL, timeout: TimeInterval = 5) throws(StorageError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory.path, reason: error.localizedDescription)
        }
        let path = directory.appendingPathComponent(".lock").path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                var buffer = [UInt8](repeating: 0, count: 32)
                let count = pread(fd, &buffer, 31, 0)
                let holder = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
                close(fd)
                throw .locked("Another lms process (pid \(holder)) is writing to \(directory.path); wait for it to finish and try again")
            }
            usleep(50_000)
        }
        let pid = "\(getpid())\n"
        ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        AtomicFile.removeAbandonedTemporaryFiles(in: directory)
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Which version of a file is on disk: every atomic write renames a new inode into place, so a
/// changed identity means someone wrote the file.
public struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: Int

    public init?(_ url: URL) {
        var status = stat()
        guard stat(url.path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modified = status.st_mtim.tv_sec * 1_000_000_000 + status.st_mtim.tv_nsec
    }
}
