import Foundation

/// The one way the client and the server turn API values into JSON and back.
///
/// Keys are spelled out in each type's `CodingKeys` (snake_case on the wire) rather than using
/// `.convertFromSnakeCase`, which costs a third of decoding time on large catalogs. Dates are
/// ISO-8601 UTC through our own parser.
public enum LMSJSON {
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "Expected an ISO-8601 timestamp such as 2026-01-14T09:30:00Z, got \"\(text)\"")
            }
            return date
        }
        return decoder
    }

    public static func makeEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        // Sorted keys make output stable for scripts, caches and golden files.
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(LMSDecodingError) -> T {
        // The hand-written reader when the type has one; on any doubt `JSONDecoder` decides, and
        // explains what is wrong.
        if let fast = T.self as? any FastJSONReadable.Type, let value = readFast(fast, from: data) as? T {
            return value
        }
        do {
            return try makeDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw LMSDecodingError(type: String(describing: type), underlying: error)
        } catch {
            throw LMSDecodingError(type: String(describing: type), message: "\(error)")
        }
    }

    private static func readFast<Fast: FastJSONReadable>(_ type: Fast.Type, from data: Data) -> Fast? {
        try? JSONReader.read(data) { try Fast.read(from: &$0) }
    }

    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        try makeEncoder(pretty: pretty).encode(value)
    }
}

/// A decoding failure phrased for a person: which type, where in the document, and what was wrong.
public struct LMSDecodingError: Error, CustomStringConvertible, Sendable {
    public let type: String
    public let path: String
    public let reason: String

    public init(type: String, message: String) {
        self.type = type
        self.path = ""
        self.reason = message
    }

    public init(type: String, underlying: DecodingError) {
        self.type = type
        func render(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch underlying {
        case .dataCorrupted(let context):
            path = render(context.codingPath)
            if context.codingPath.isEmpty {
                reason = "the data is not valid JSON"
            } else {
                reason = context.debugDescription
            }
        case .keyNotFound(let key, let context):
            path = render(context.codingPath)
            reason = "missing required field \"\(key.stringValue)\""
        case .typeMismatch(let expected, let context):
            path = render(context.codingPath)
            reason = "expected \(Self.describe(expected)): \(context.debugDescription)"
        case .valueNotFound(let expected, let context):
            path = render(context.codingPath)
            reason = "expected \(Self.describe(expected)) but found null"
        @unknown default:
            path = ""
            reason = "\(underlying)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Decimal.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }

    public var description: String {
        path.isEmpty ? "Could not read \(type): \(reason)" : "Could not read \(type) at \(path): \(reason)"
    }
}
