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
        if let fast = Value.self as? any FastJSONValue.Type, let value = Self.readFast(fast, from: bytes, schema: schema) {
            return .current(value)
        }
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

    /// The hand-written reader's result for a current file that it reads without error; nil sends
    /// anything else (older layouts, newer versions, damage) through `Codable`, which decides.
    private static func readFast<Fast: FastJSONValue>(_ type: Fast.Type, from bytes: Data, schema: Int) -> Value? {
        try? JSONReader.read(bytes) { reader -> Value? in
            var version: Int?
            var value: Fast?
            var data: Range<Int>?
            try reader.object { reader, key in
                if key == "schema" {
                    version = try reader.int()
                } else if key == "data" {
                    // Our writer puts the schema first; older files have the data first, and
                    // are read once the schema is known.
                    if let version, version <= schema { value = try Fast.read(from: &reader) } else { data = try reader.mark() }
                } else {
                    try reader.skipValue()
                }
            }
            guard let version, version <= schema else { return nil }
            if value == nil, let data { value = try reader.read(at: data) { try Fast.read(from: &$0) } }
            return value as? Value
        } ?? nil
    }

    public func save(_ value: Value, permissions: mode_t = 0o644) throws(StorageError) {
        try AtomicFile.write(try encoded(value), to: url, permissions: permissions)
    }

    /// Saves only when the file does not exist; false when it does (and was left alone).
    public func saveIfAbsent(_ value: Value, permissions: mode_t = 0o644) throws(StorageError) -> Bool {
        try AtomicFile.create(try encoded(value), at: url, permissions: permissions)
    }

    private func encoded(_ value: Value) throws(StorageError) -> Data {
        if let fast = value as? any FastJSONValue {
            // The schema first, so a reader knows the layout before it meets the data.
            var writer = JSONWriter(capacity: 64 * 1024)
            writer.beginObject()
            writer.field("schema", schema)
            writer.key("data")
            fast.writeValue(to: &writer)
            writer.endObject()
            return writer.data
        }
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
