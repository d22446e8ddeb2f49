import Foundation

// One declaration per shape. A model's stored properties, marked `@Record`, are all that is
// written of its fields; the macro (Sources/LMSMacros) makes from them the memberwise init, the
// `Codable` conformance, `JSONReader`/`JSONWriter` support, `recordFields` (the columns, in
// declaration order) and `init(fields:)`, which the server's SQL rows read through. What a field
// means in each of those is decided here, by its Swift type, once.

@attached(member, names: named(init), named(CodingKeys), named(encode), named(read), named(write), named(recordFields))
@attached(extension, conformances: Record, Codable, FastJSONCodable)
public macro Record() = #externalMacro(module: "LMSMacros", type: "RecordMacro")

/// A `@Record` property that may be absent or null (JSON, database), meaning its default value.
@attached(peer)
public macro Lenient() = #externalMacro(module: "LMSMacros", type: "LenientMacro")

/// The JSON key and column of a `@Record` property whose name in snake_case is not it.
@attached(peer)
public macro Field(_ key: String) = #externalMacro(module: "LMSMacros", type: "FieldMacro")

/// A type whose fields are declared once with `@Record`.
public protocol Record {
    /// Every field in declaration order: the order `init(fields:)` reads them in.
    static var recordFields: [RecordField] { get }
    init<Source: FieldSource>(fields source: inout Source) throws
}

/// One field of a `Record`: its key, and whether a database stores it as text (money, JSON).
public struct RecordField: Sendable {
    public let key: String
    public let storedAsText: Bool

    public init<Value: FieldValue>(_ key: String, _ type: Value.Type) {
        self.key = key
        storedAsText = Value.Stored.self == String.self && Value.self != String.self && !(Value.self is any OpenEnum.Type)
    }
}

extension Record {
    /// The record's columns for a SELECT from a table aliased `alias`, in declaration order; text
    /// forms are cast so both databases return the same shapes.
    public static func columns(alias: String) -> String {
        recordFields.map { field in
            field.storedAsText ? "CAST(\(alias).\(field.key) AS TEXT) AS \(field.key)" : "\(alias).\(field.key)"
        }.joined(separator: ", ")
    }
}

// MARK: Reading stored fields

/// Where `init(fields:)` reads a record from, one field after another in declaration order
/// (a database row, by column name or by position). nil means NULL.
public protocol FieldSource {
    mutating func uuid(_ key: String) throws -> UUID?
    mutating func string(_ key: String) throws -> String?
    mutating func int(_ key: String) throws -> Int?
    mutating func bool(_ key: String) throws -> Bool?
    mutating func date(_ key: String) throws -> Date?
}

/// A field that is missing (NULL where a value is required) or does not parse.
public struct FieldError: Error, CustomStringConvertible {
    public let key: String
    public let problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "field '\(key)': \(problem)" }
}

extension FieldSource {
    @inlinable
    public mutating func required<Value: FieldValue>(_ key: String, _ type: Value.Type) throws -> Value {
        guard let stored = try Value.Stored.read(key, from: &self) else { throw FieldError(key: key, problem: "missing") }
        return try Value(stored: stored, key: key)
    }

    @inlinable
    public mutating func optional<Value: FieldValue>(_ key: String, _ type: Value.Type) throws -> Value? {
        try Value.Stored.read(key, from: &self).map { try Value(stored: $0, key: key) }
    }
}

/// What a database stores a field as.
public protocol StoredPrimitive {
    static func read<Source: FieldSource>(_ key: String, from source: inout Source) throws -> Self?
}

extension UUID: StoredPrimitive {
    @inlinable public static func read<Source: FieldSource>(_ key: String, from source: inout Source) throws -> UUID? { try source.uuid(key) }
}
extension String: StoredPrimitive {
    @inlinable public static func read<Source: FieldSource>(_ key: String, from source: inout Source) throws -> String? { try source.string(key) }
}
extension Int: StoredPrimitive {
    @inlinable public static func read<Source: FieldSource>(_ key: String, from source: inout Source) throws -> Int? { try source.int(key) }
}
extension Bool: StoredPrimitive {
    @inlinable public static func read<Source: FieldSource>(_ key: String, from source: inout Source) throws -> Bool? { try source.bool(key) }
}
extension Date: StoredPrimitive {
    @inlinable public static func read<Source: FieldSource>(_ key: String, from source: inout Source) throws -> Date? { try source.date(key) }
}

/// A field's Swift type and how it is stored.
public protocol FieldValue {
    associatedtype Stored: StoredPrimitive
    init(stored: Stored, key: String) throws
}

extension FieldValue where Stored == Self {
    @inlinable public init(stored: Self, key: String) { self = stored }
}

extension UUID: FieldValue { public typealias Stored = UUID }
extension String: FieldValue { public typealias Stored = String }
extension Int: FieldValue { public typealias Stored = Int }
extension Bool: FieldValue { public typealias Stored = Bool }
extension Date: FieldValue { public typealias Stored = Date }

/// Money is exact text ("49.00") in storage and in JSON.
extension Decimal: FieldValue {
    public init(stored: String, key: String) throws {
        guard let value = MoneyText.parse(stored) else { throw FieldError(key: key, problem: "'\(stored)' is not an amount") }
        self = value
    }
}

extension OpenEnum {
    public init(stored: String, key: String) { self = .value(stored) }
}

/// A field stored as a JSON document (a JSONB column: badge criteria, graded answers) and
/// nested as a JSON value in the API.
public protocol JSONField: FieldValue, Codable where Stored == String {}

extension JSONField {
    public init(stored: String, key: String) throws {
        do {
            self = try LMSJSON.makeDecoder().decode(Self.self, from: Data(stored.utf8))
        } catch {
            throw FieldError(key: key, problem: "the JSON does not fit: \(error)")
        }
    }
}

extension BadgeCriteria: JSONField {}
extension Dictionary: FieldValue, JSONField where Key == String, Value: Codable {
    public typealias Stored = String
}
// A record nested in another (a lesson in its content, a course in its file) is a JSON document there.
extension Lesson: JSONField {}
extension Course: JSONField {}
extension MeResponse: JSONField {}
extension SyncChange: JSONField {}
extension SyncMutation: JSONField {}
extension APIErrorBody: JSONField {}
extension UserProgress: JSONField {}
extension QuizResult: JSONField {}
extension Array: FieldValue, JSONField where Element: Codable {
    public typealias Stored = String
}

// MARK: Codable

extension KeyedDecodingContainer {
    public func recordField<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
        try decode(Value.self, forKey: key)
    }

    public func recordField<Value: Decodable>(_ type: Value?.Type, forKey key: Key) throws -> Value? {
        try decodeIfPresent(Value.self, forKey: key)
    }

    public func recordField(_ type: Decimal.Type, forKey key: Key) throws -> Decimal {
        try decodeMoney(forKey: key)
    }

    public func recordField(_ type: Decimal?.Type, forKey key: Key) throws -> Decimal? {
        try decodeNil(forKey: key) || !contains(key) ? nil : decodeMoney(forKey: key)
    }
}

extension KeyedEncodingContainer {
    public mutating func encodeRecordField<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        try encode(value, forKey: key)
    }

    public mutating func encodeRecordField<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        try encodeIfPresent(value, forKey: key)
    }

    public mutating func encodeRecordField(_ value: Decimal, forKey key: Key) throws {
        try encodeMoney(value, forKey: key)
    }

    public mutating func encodeRecordField(_ value: Decimal?, forKey key: Key) throws {
        if let value { try encodeMoney(value, forKey: key) }
    }
}

// MARK: JSONReader and JSONWriter

extension JSONReader {
    @inlinable public mutating func recordField(_ type: UUID.Type) throws -> UUID { try uuid() }
    @inlinable public mutating func recordField(_ type: UUID?.Type) throws -> UUID? { try optionalUUID() }
    @inlinable public mutating func recordField(_ type: String.Type) throws -> String { try string() }
    @inlinable public mutating func recordField(_ type: String?.Type) throws -> String? { try optionalString() }
    @inlinable public mutating func recordField(_ type: Int.Type) throws -> Int { try int() }
    @inlinable public mutating func recordField(_ type: Int?.Type) throws -> Int? { try optionalInt() }
    @inlinable public mutating func recordField(_ type: Bool.Type) throws -> Bool { try bool() }
    @inlinable public mutating func recordField(_ type: Bool?.Type) throws -> Bool? { null() ? nil : try bool() }
    @inlinable public mutating func recordField(_ type: Date.Type) throws -> Date { try date() }
    @inlinable public mutating func recordField(_ type: Date?.Type) throws -> Date? { try optionalDate() }
    @inlinable public mutating func recordField(_ type: Decimal.Type) throws -> Decimal { try money() }
    @inlinable public mutating func recordField(_ type: Decimal?.Type) throws -> Decimal? { null() ? nil : try money() }
    @inlinable public mutating func recordField<Value: OpenEnum>(_ type: Value.Type) throws -> Value { .value(try string()) }
    @inlinable public mutating func recordField<Value: OpenEnum>(_ type: Value?.Type) throws -> Value? { try optionalString().map(Value.value) }
    @inlinable public mutating func recordField<Value: FastJSONCodable & Decodable>(_ type: Value.Type) throws -> Value { try Value.read(from: &self) }
    @inlinable public mutating func recordField<Value: FastJSONCodable & Decodable>(_ type: Value?.Type) throws -> Value? {
        null() ? nil : try Value.read(from: &self)
    }
    @inlinable public mutating func recordField<Value: FastJSONCodable & Decodable>(_ type: [Value].Type) throws -> [Value] {
        try array(of: Value.read)
    }
    @inlinable public mutating func recordField<Value: FastJSONCodable & Decodable>(_ type: [Value]?.Type) throws -> [Value]? {
        null() ? nil : try array(of: Value.read)
    }
    /// Anything else (criteria, graded answers) through its `Codable` conformance.
    public mutating func recordField<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try LMSJSON.makeDecoder().decode(Value.self, from: rawValue())
    }
    public mutating func recordField<Value: Decodable>(_ type: Value?.Type) throws -> Value? {
        null() ? nil : try LMSJSON.makeDecoder().decode(Value.self, from: rawValue())
    }
}

extension JSONWriter {
    @inlinable public mutating func recordField(_ key: String, _ value: UUID) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: UUID?) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: String) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: String?) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: Int) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: Int?) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: Bool) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: Bool?) { if let value { field(key, value) } }
    @inlinable public mutating func recordField(_ key: String, _ value: Date) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: Date?) { field(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: Decimal) { money(key, value) }
    @inlinable public mutating func recordField(_ key: String, _ value: Decimal?) { if let value { money(key, value) } }
    @inlinable public mutating func recordField<Value: OpenEnum>(_ key: String, _ value: Value) { field(key, value.rawValue) }
    @inlinable public mutating func recordField<Value: OpenEnum>(_ key: String, _ value: Value?) { field(key, value?.rawValue) }
    @inlinable public mutating func recordField<Value: FastJSONCodable & Encodable>(_ key: String, _ value: Value) {
        self.key(key)
        value.writeValue(to: &self)
    }
    @inlinable public mutating func recordField<Value: FastJSONCodable & Encodable>(_ key: String, _ value: Value?) {
        if let value { recordField(key, value) }
    }
    @inlinable public mutating func recordField<Value: FastJSONCodable & Encodable>(_ key: String, _ value: [Value]) {
        self.key(key)
        value.writeValue(to: &self)
    }
    @inlinable public mutating func recordField<Value: FastJSONCodable & Encodable>(_ key: String, _ value: [Value]?) {
        if let value { recordField(key, value) }
    }
    /// Anything else through its `Codable` conformance. JSONEncoder fails only on non-finite
    /// floating-point numbers, which no model holds; were one to, stopping beats writing a
    /// record (an outbox entry, say) without its field.
    public mutating func recordField<Value: Encodable>(_ key: String, _ value: Value) {
        do {
            raw(key, try LMSJSON.encode(value))
        } catch {
            preconditionFailure("\(Value.self) did not encode: \(error)")
        }
    }
    public mutating func recordField<Value: Encodable>(_ key: String, _ value: Value?) {
        if let value { recordField(key, value) }
    }
}
