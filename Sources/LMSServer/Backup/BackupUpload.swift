import Crypto
import Foundation

/// Bytes to back up: pg_dump's output, or the copy of a SQLite file.
protocol BackupSource: AnyObject, Sendable {
    /// Up to `buffer.count` bytes; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// After the last byte: throws when the producer failed (pg_dump exiting non-zero).
    func finish() throws
    /// The upload failed: stop producing.
    func cancel()
}

/// A backup stored and verified: its key, size and SHA-256.
public struct StoredBackup: Sendable, Equatable {
    public var key: BackupKey
    public var bytes: Int64
    public var sha256: String
}

/// Streams a source to the bucket without holding it whole in memory or on disk: a reader
/// thread cuts it into parts (hashing as it goes) while this thread uploads the previous one.
/// A backup that fits in one part is one PUT carrying its checksum. A larger one goes as a
/// multipart upload to `incoming/`, whose checksum is only known at the end, then is copied to
/// its key with the checksum attached: a backup key never names an unfinished or unverified
/// object, and a failed upload is aborted.
struct BackupUploader {
    let client: S3Client
    /// S3 allows 10,000 parts of at least 5 MB; R2 wants all but the last of one size.
    var partSize = 5 << 20
    /// Larger objects are copied part by part (S3 copies at most 5 GB at once).
    var singleCopyLimit: Int64 = 5 << 30
    var copyPartSize: Int64 = 1 << 30

    /// The smallest part size (two parts are in memory) that still fits a backup of about
    /// `estimatedBytes` (the database's size on disk, which a compressed dump stays below) in
    /// 10,000 parts: 5 MB up to 45 GB.
    static func partSize(forEstimatedBytes estimatedBytes: Int64) -> Int {
        let megabyte: Int64 = 1 << 20
        let needed = (estimatedBytes / 9000 + megabyte - 1) / megabyte * megabyte
        return Int(max(5 * megabyte, needed))
    }

    func upload(_ source: any BackupSource, as key: BackupKey) throws -> StoredBackup {
        let parts = PartQueue(partSize: partSize)
        let reader = Thread { Self.readParts(from: source, into: parts) }
        reader.start()
        do {
            let stored = try store(parts, as: key)
            parts.waitForReader()
            return stored
        } catch {
            parts.cancel()
            source.cancel()
            parts.waitForReader()
            throw error
        }
    }

    private func store(_ parts: PartQueue, as key: BackupKey) throws -> StoredBackup {
        guard case .part(let first) = try parts.next() else { throw BackupFailure("the dump was empty") }
        if first.count < partSize {
            // All of it in one part: one PUT, once the producer has succeeded and the checksum is known.
            guard case .end(let bytes, let sha256) = try parts.next() else { throw BackupFailure("the dump ended unexpectedly") }
            try client.putObject(key.description, body: parts.bytes(of: first), metadata: ["sha256": sha256])
            parts.release(first)
            return try verify(key, bytes: bytes, sha256: sha256)
        }
        let uploadID = try client.createMultipartUpload(key.incoming)
        var etags: [String] = []
        var completed = false
        do {
            var message = PartQueue.Message.part(first)
            while case .part(let part) = message {
                guard etags.count < 10_000 else { throw BackupFailure("the dump is larger than 10,000 parts of \(partSize >> 20) MB, the most one upload may have") }
                etags.append(try client.uploadPart(key.incoming, uploadID: uploadID, number: etags.count + 1, body: parts.bytes(of: part)))
                parts.release(part)
                message = try parts.next()
            }
            guard case .end(let bytes, let sha256) = message else { throw BackupFailure("the dump ended unexpectedly") }
            try client.completeMultipartUpload(key.incoming, uploadID: uploadID, etags: etags)
            completed = true
            try copy(key.incoming, to: key.description, bytes: bytes, metadata: ["sha256": sha256])
            try? client.delete(key.incoming)
            return try verify(key, bytes: bytes, sha256: sha256)
        } catch {
            // A signal stops the client's transfers; the clean-up still has to reach the bucket.
            let cleanup = S3Client(settings: client.settings)
            if completed {
                try? cleanup.delete(key.incoming)
            } else {
                try? cleanup.abortMultipartUpload(key.incoming, uploadID: uploadID)
            }
            throw error
        }
    }

    private func copy(_ source: String, to key: String, bytes: Int64, metadata: [String: String]) throws {
        if bytes <= singleCopyLimit {
            try client.copy(from: source, to: key, metadata: metadata)
            return
        }
        let uploadID = try client.createMultipartUpload(key, metadata: metadata)
        do {
            var etags: [String] = []
            var start: Int64 = 0
            while start < bytes {
                let end = min(start + copyPartSize, bytes) - 1
                etags.append(try client.uploadPartCopy(key, uploadID: uploadID, number: etags.count + 1, source: source, range: start...end))
                start = end + 1
            }
            try client.completeMultipartUpload(key, uploadID: uploadID, etags: etags)
        } catch {
            try? client.abortMultipartUpload(key, uploadID: uploadID)
            throw error
        }
    }

    /// The stored object must have the size and checksum just computed; otherwise it is removed.
    private func verify(_ key: BackupKey, bytes: Int64, sha256: String) throws -> StoredBackup {
        let head = try client.head(key.description)
        guard let head, head.bytes == bytes, head.metadata["sha256"] == sha256 else {
            try? client.delete(key.description)
            throw BackupFailure("the stored object \(key) does not match what was uploaded (\(head.map { "\($0.bytes) bytes" } ?? "missing") instead of \(bytes) bytes): removed it")
        }
        return StoredBackup(key: key, bytes: bytes, sha256: sha256)
    }

    /// The reader thread: full parts, then the end with the total and the checksum, which is
    /// sent only once the producer has succeeded.
    private static func readParts(from source: any BackupSource, into parts: PartQueue) {
        var hash = SHA256()
        var total: Int64 = 0
        do {
            while true {
                let index = try parts.freeBuffer()
                let buffer = parts.buffer(index)
                var filled = 0
                while filled < buffer.count {
                    let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                    if count == 0 { break }
                    filled += count
                }
                hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
                total += Int64(filled)
                if filled > 0 {
                    try parts.put(.part(PartQueue.Part(buffer: index, count: filled)))
                } else {
                    parts.release(PartQueue.Part(buffer: index, count: 0))
                }
                if filled < buffer.count { break }
            }
            try source.finish()
            try parts.put(.end(bytes: total, sha256: S3Client.hex(hash.finalize())))
        } catch {
            parts.fail(error)
        }
        parts.readerDone()
    }
}

/// The hand-over between the reader thread and the uploader, through two buffers allocated once:
/// the reader fills one while the other uploads, so memory stays at two parts whatever the
/// database's size (buffers allocated per part were kept by malloc: 77 MB peak instead of 50).
final class PartQueue: @unchecked Sendable {
    struct Part {
        var buffer: Int
        var count: Int
    }

    enum Message {
        case part(Part)
        case end(bytes: Int64, sha256: String)
    }

    private let buffers: [UnsafeMutableRawBufferPointer]
    private let condition = NSCondition()
    private var free: [Int]
    private var waiting: Message?
    private var failure: (any Error)?
    private var cancelled = false
    private var finished = false

    init(partSize: Int) {
        buffers = (0..<2).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: partSize, alignment: 64) }
        free = [0, 1]
    }

    deinit { for buffer in buffers { buffer.deallocate() } }

    func buffer(_ index: Int) -> UnsafeMutableRawBufferPointer { buffers[index] }

    func bytes(of part: Part) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffers[part.buffer][0..<part.count])
    }

    /// The reader's next empty buffer, once the uploader has given one back.
    func freeBuffer() throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty, !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        return free.removeLast()
    }

    func release(_ part: Part) {
        condition.lock()
        free.append(part.buffer)
        condition.broadcast()
        condition.unlock()
    }

    func put(_ message: Message) throws {
        condition.lock()
        defer { condition.unlock() }
        while waiting != nil, !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        waiting = message
        condition.broadcast()
    }

    func next() throws -> Message {
        condition.lock()
        defer { condition.unlock() }
        while waiting == nil, failure == nil { condition.wait() }
        if let message = waiting {
            waiting = nil
            condition.broadcast()
            return message
        }
        throw failure!
    }

    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        waiting = nil
        condition.broadcast()
        condition.unlock()
    }

    func readerDone() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func waitForReader() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
