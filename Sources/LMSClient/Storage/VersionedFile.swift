import Foundation
import LMSKit

/// A JSON file that carries its format version: `{"schema": N, "data": …}`.
///
/// Reading tells apart a missing file, a good one, one written by a newer lms (kept, opened
/// read-only), and a damaged one (moved aside so the data can be fetched again).
public struct VersionedFile<Value: Codable & Sendable>: Sendable {
    public let url: URL
    public let schema: Int

    public init(url: URL, schema: Int) {
        self.url = url
        self.schema = schema
    }

    public enum Loaded: Sendable {
        case missing
        case current(Value)
        /// Written by a newer version: never overwrite it. The value is there when it still decodes.
        case newer(Value?, version: Int)
        /// Unreadable; the damaged bytes were moved to `movedTo`.
        case corrupt(movedTo: String?, reason: String)
    }

    private struct Header: Decodable { let schema: Int }
    private struct Envelope: Codable {
        let schema: Int
        let data: Value
    }

    public func load() throws(StorageError) -> Loaded {
        guard let bytes = try AtomicFile.read(url) else { return .missing }
        let decoder = LMSJSON.makeDecoder()
        guard let header = try? decoder.decode(Header.self, from: bytes) else {
            return .corrupt(movedTo: moveAside(), reason: bytes.isEmpty ? "empty file" : "not a versioned lms file")
        }
        if header.schema > schema {
            return .newer(try? decoder.decode(Envelope.self, from: bytes).data, version: header.schema)
        }
        do {
            return .current(try decoder.decode(Envelope.self, from: bytes).data)
        } catch let error as DecodingError {
            return .corrupt(movedTo: moveAside(), reason: LMSDecodingError(type: url.lastPathComponent, underlying: error).reason)
        } catch {
            return .corrupt(movedTo: moveAside(), reason: "\(error)")
        }
    }

    public func save(_ value: Value, permissions: mode_t = 0o644) throws(StorageError) {
        try AtomicFile.write(try encoded(value), to: url, permissions: permissions)
    }

    /// Saves only when the file does not exist; false when it does (and was left alone).
    public func saveIfAbsent(_ value: Value, permissions: mode_t = 0o644) throws(StorageError) -> Bool {
        try AtomicFile.create(try encoded(value), at: url, permissions: permissions)
    }

    private func encoded(_ value: Value) throws(StorageError) -> Data {
        do {
            return try LMSJSON.makeEncoder().encode(Envelope(schema: schema, data: value))
        } catch {
            throw .io(path: url.path, reason: "could not encode: \(error)")
        }
    }

    /// Renames a damaged file out of the way (never deletes it) and returns the new path.
    private func moveAside() -> String? {
        let target = url.path + ".corrupt-\(Int(Date().timeIntervalSince1970))"
        return rename(url.path, target) == 0 ? target : nil
    }
}
