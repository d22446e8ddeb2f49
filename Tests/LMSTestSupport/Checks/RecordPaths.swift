import Foundation
import LMSKit
import Testing

/// The checks that every field a `@Record` declares goes through every path its declaration
/// generates; see `RecordRoundTripTests`.
package enum RecordPaths {
    package static func check<Value: Record & Codable & Equatable & FastJSONCodable & Sendable>(_ value: Value) throws {
        let encoded = try LMSJSON.encode(value)
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        // Every declared field is set in the sample and written by Codable under its key.
        let keys = Value.recordFields.map(\.key)
        #expect(Set(object.keys) == Set(keys), "\(Value.self): sample or Codable misses \(Set(keys).symmetricDifference(object.keys))")
        #expect(Set(keys).count == keys.count, "\(Value.self) declares a key twice")

        #expect(try LMSJSON.makeDecoder().decode(Value.self, from: encoded) == value, "\(Value.self): Codable")

        var writer = JSONWriter()
        value.writeValue(to: &writer)
        #expect(writer.data == encoded, "\(Value.self): JSONWriter wrote \(String(decoding: writer.data, as: UTF8.self))")
        #expect(try JSONReader.read(encoded) { try Value.read(from: &$0) } == value, "\(Value.self): JSONReader")

        var source = StoredFields(object: object)
        #expect(try Value(fields: &source) == value, "\(Value.self): init(fields:)")
        #expect(source.read == keys, "\(Value.self): init(fields:) reads the fields in declaration order")
    }
}

/// A row as a database holds it, made from the API's JSON: ids, dates, numbers and flags as
/// such, money and enums as text, nested documents as JSON text.
package struct StoredFields: FieldSource {
    let object: [String: Any]
    package private(set) var read: [String] = []

    package init(object: [String: Any]) { self.object = object }

    private mutating func value(_ key: String) -> Any? {
        read.append(key)
        guard let value = object[key], !(value is NSNull) else { return nil }
        return value
    }

    package mutating func uuid(_ key: String) throws -> UUID? { (value(key) as? String).flatMap(UUID.init(uuidString:)) }
    package mutating func int(_ key: String) throws -> Int? { value(key) as? Int }
    package mutating func bool(_ key: String) throws -> Bool? { value(key) as? Bool }
    package mutating func date(_ key: String) throws -> Date? {
        guard let text = value(key) as? String else { return nil }
        return try LMSJSON.makeDecoder().decode(Date.self, from: Data("\"\(text)\"".utf8))
    }
    package mutating func string(_ key: String) throws -> String? {
        switch value(key) {
        case let text as String: return text
        case nil: return nil
        case let document?: return String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        }
    }
}
