import Foundation

/// A pull reader over JSON bytes for the hottest files and responses (course files, the index,
/// sync pages): one pass, each field straight into its Swift value, unknown keys skipped, errors
/// naming the byte offset. `@Record` generates each model's `read(from:)` on top of it.
public struct JSONReader: ~Copyable {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    public private(set) var offset = 0
    /// Nesting so far: beyond `maximumDepth` the text is refused rather than the stack exhausted.
    private var depth = 0
    public static let maximumDepth = 512

    /// Reads `data` with `body`; the reader is only valid inside it.
    public static func read<T>(_ data: Data, _ body: (inout JSONReader) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else {
                throw JSONReaderError(offset: 0, expected: "a JSON value", found: "an empty file")
            }
            var reader = JSONReader(base: base, count: raw.count)
            let value = try body(&reader)
            reader.skipWhitespace()
            guard reader.offset == reader.end else { throw reader.failure("the end of the JSON text") }
            return value
        }
    }

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
    }

    // MARK: Structure

    /// A key of the object being read; compare it with string literals.
    public struct Key {
        fileprivate let start: UnsafePointer<UInt8>
        fileprivate let count: Int

        public static func == (key: Key, literal: StaticString) -> Bool {
            key.count == literal.utf8CodeUnitCount && memcmp(key.start, literal.utf8Start, key.count) == 0
        }

        public var text: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

        /// The key as a UUID, for objects keyed by id.
        public var uuid: UUID? { count == 36 ? JSONReader.parseUUID(start) : nil }
    }

    /// Calls `body` for each key of an object, positioned on its value; `body` must read or skip it.
    public mutating func object(_ body: (inout JSONReader, Key) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "an object")
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw failure("at most \(Self.maximumDepth) levels of nesting") }
        skipWhitespace()
        if peek == UInt8(ascii: "}") { offset += 1; return }
        while true {
            skipWhitespace()
            let key = try keyBytes()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a key")
            skipWhitespace()
            try body(&self, key)
            skipWhitespace()
            guard offset < end else { throw failure("',' or '}'") }
            let byte = base[offset]
            offset += 1
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { offset -= 1; throw failure("',' or '}'") }
        }
    }

    /// Calls `body` for each element of an array, positioned on it.
    public mutating func array(_ body: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "an array")
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw failure("at most \(Self.maximumDepth) levels of nesting") }
        skipWhitespace()
        if peek == UInt8(ascii: "]") { offset += 1; return }
        while true {
            skipWhitespace()
            try body(&self)
            skipWhitespace()
            guard offset < end else { throw failure("',' or ']'") }
            let byte = base[offset]
            offset += 1
            if byte == UInt8(ascii: "]") { return }
            guard byte == UInt8(ascii: ",") else { offset -= 1; throw failure("',' or ']'") }
        }
    }

    public mutating func array<Element>(of read: (inout JSONReader) throws -> Element) throws -> [Element] {
        var elements: [Element] = []
        try array { reader in elements.append(try read(&reader)) }
        return elements
    }

    /// True (and consumed) when the next value is `null`.
    public mutating func null() -> Bool {
        skipWhitespace()
        guard offset + 4 <= end, base[offset] == UInt8(ascii: "n"), base[offset + 1] == UInt8(ascii: "u"),
              base[offset + 2] == UInt8(ascii: "l"), base[offset + 3] == UInt8(ascii: "l") else { return false }
        offset += 4
        return true
    }

    /// The next value's bytes, unparsed but checked, for the rare parts left to `JSONDecoder`.
    public mutating func rawValue() throws -> Data {
        skipWhitespace()
        let start = offset
        try skipValue()
        return Data(bytes: base + start, count: offset - start)
    }

    /// The next value decoded by `JSONDecoder`: for small, rarely read parts of a hot file.
    public mutating func decode<T: Decodable>(_ type: T.Type, with decoder: JSONDecoder) throws -> T {
        let start = offset
        let raw = try rawValue()
        do {
            return try decoder.decode(type, from: raw)
        } catch {
            throw JSONReaderError(offset: start, expected: "\(type)", found: "\(error)")
        }
    }

    /// Where the next value lies, skipped for now: for a field whose meaning depends on a
    /// field that may come after it.
    public mutating func mark() throws -> Range<Int> {
        skipWhitespace()
        let start = offset
        try skipValue()
        return start..<offset
    }

    /// Reads a value marked earlier, then carries on where the reader was.
    public mutating func read<T>(at mark: Range<Int>, _ body: (inout JSONReader) throws -> T) throws -> T {
        let resume = offset
        offset = mark.lowerBound
        defer { offset = resume }
        let value = try body(&self)
        skipWhitespace()
        guard offset == mark.upperBound else { throw failure("the end of the value") }
        return value
    }

    public mutating func skipValue() throws {
        skipWhitespace()
        guard offset < end else { throw failure("a value") }
        switch base[offset] {
        case UInt8(ascii: "{"): try object { reader, _ in try reader.skipValue() }
        case UInt8(ascii: "["): try array { reader in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try stringBytes()
        case UInt8(ascii: "t"): _ = try bool()
        case UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): guard null() else { throw failure("a value") }
        default: _ = try double()
        }
    }

    // MARK: Scalars

    public mutating func string() throws -> String {
        let (start, count, escaped) = try stringBytes()
        let bytes = UnsafeBufferPointer(start: start, count: count)
        guard escaped else {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                offset -= count + 2
                throw failure("a string of valid UTF-8")
            }
            return text
        }
        return try unescape(bytes, at: offset - count - 1)
    }

    public mutating func optionalString() throws -> String? {
        null() ? nil : try string()
    }

    public mutating func int() throws -> Int {
        skipWhitespace()
        let start = offset
        let negative = offset < end && base[offset] == UInt8(ascii: "-")
        if negative { offset += 1 }
        var magnitude: UInt64 = 0
        let digitsStart = offset
        while offset < end {
            let digit = UInt64(base[offset]) &- 48
            guard digit <= 9 else { break }
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            guard !overflow1 && !overflow2 else { offset = start; throw failure("an integer that fits in 64 bits") }
            magnitude = sum
            offset += 1
        }
        let digits = offset - digitsStart
        // JSON has no leading zeros ("007"), and an integer field takes no fraction or exponent.
        guard digits > 0, digits == 1 || base[digitsStart] != UInt8(ascii: "0") else { offset = start; throw failure("an integer") }
        if offset < end, base[offset] == UInt8(ascii: ".") || base[offset] | 0x20 == UInt8(ascii: "e") {
            offset = start
            throw failure("an integer")
        }
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { offset = start; throw failure("an integer that fits in 64 bits") }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int.max) else { offset = start; throw failure("an integer that fits in 64 bits") }
        return Int(magnitude)
    }

    public mutating func optionalInt() throws -> Int? {
        null() ? nil : try int()
    }

    public mutating func double() throws -> Double {
        let start = offset
        let text = try numberText()
        guard let value = Double(text), value.isFinite else { offset = start; throw failure("a number") }
        return value
    }

    /// The next number's text, checked against JSON's grammar (no "+1", ".5", "01" or "1."),
    /// which Swift's number parsers are more lenient than.
    public mutating func numberText() throws -> String {
        skipWhitespace()
        let start = offset
        func digits() -> Int {
            let from = offset
            while offset < end, base[offset] >= UInt8(ascii: "0"), base[offset] <= UInt8(ascii: "9") { offset += 1 }
            return offset - from
        }
        if offset < end, base[offset] == UInt8(ascii: "-") { offset += 1 }
        let integerStart = offset
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || base[integerStart] != UInt8(ascii: "0") else { offset = start; throw failure("a number") }
        if offset < end, base[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { offset = start; throw failure("a number") }
        }
        if offset < end, base[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < end, base[offset] == UInt8(ascii: "+") || base[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { offset = start; throw failure("a number") }
        }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: offset - start), as: UTF8.self)
    }

    public mutating func bool() throws -> Bool {
        skipWhitespace()
        if offset + 4 <= end, memcmp(base + offset, "true", 4) == 0 { offset += 4; return true }
        if offset + 5 <= end, memcmp(base + offset, "false", 5) == 0 { offset += 5; return false }
        throw failure("true or false")
    }

    public mutating func uuid() throws -> UUID {
        let start = offset
        let (bytes, count, _) = try stringBytes()
        guard count == 36, let uuid = Self.parseUUID(bytes) else { offset = start; throw failure("a UUID") }
        return uuid
    }

    public mutating func optionalUUID() throws -> UUID? {
        null() ? nil : try uuid()
    }

    public mutating func date() throws -> Date {
        let start = offset
        let (bytes, count, _) = try stringBytes()
        guard let date = ISO8601.parse(utf8: UnsafeBufferPointer(start: bytes, count: count)) else {
            offset = start
            throw failure("an ISO-8601 date")
        }
        return date
    }

    public mutating func optionalDate() throws -> Date? {
        null() ? nil : try date()
    }

    // MARK: Bytes

    public var peek: UInt8? {
        mutating get {
            skipWhitespace()
            return offset < end ? base[offset] : nil
        }
    }

    private mutating func skipWhitespace() {
        while offset < end {
            switch base[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard offset < end, base[offset] == byte else { throw failure(what) }
        offset += 1
    }

    private mutating func keyBytes() throws -> Key {
        let (start, count, escaped) = try stringBytes()
        guard !escaped else {
            // Our keys never need escapes: a key that has them (valid ones, checked here)
            // matches none of ours.
            _ = try unescape(UnsafeBufferPointer(start: start, count: count), at: offset - count - 1)
            return Key(start: start, count: 0)
        }
        return Key(start: start, count: count)
    }

    /// The bytes between the quotes of the next string, and whether they hold escapes.
    private mutating func stringBytes() throws -> (UnsafePointer<UInt8>, Int, Bool) {
        skipWhitespace()
        guard offset < end, base[offset] == UInt8(ascii: "\"") else { throw failure("a string") }
        let start = offset + 1
        var index = start
        var escaped = false
        // Eight bytes at a time while none is a quote, a backslash or a control character.
        while index + 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let quote = word ^ 0x2222_2222_2222_2222, backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- 0x2020_2020_2020_2020) & ~word)
            if special & highs != 0 { break }
            index += 8
        }
        while index < end {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                offset = index + 1
                return (base + start, index - start, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            if byte < 0x20 {
                offset = index
                throw failure("no raw control character inside a string")
            }
            index += 1
        }
        throw failure("the end of a string")
    }

    private func unescape(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        func bad() -> JSONReaderError { JSONReaderError(offset: position + index, expected: "a valid escape", found: "something else") }
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= bytes.count else { throw bad() }
            var value: UInt32 = 0
            for i in at..<(at + 4) {
                let byte = bytes[i]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 55)
                default: throw bad()
                }
                value = value << 4 | digit
            }
            return value
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else { out.append(byte); index += 1; continue }
            guard index + 1 < bytes.count else { throw bad() }
            let code = bytes[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(code)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by a low one, as JSONDecoder requires.
                    guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { throw bad() }
                    let low = try hex4(index + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw bad() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw bad() }
                out.append(contentsOf: String(Character(unicode)).utf8)
            default:
                throw bad()
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw JSONReaderError(offset: position, expected: "a string of valid UTF-8", found: "invalid bytes")
        }
        return text
    }

    fileprivate static func parseUUID(_ p: UnsafePointer<UInt8>) -> UUID? {
        guard p[8] == UInt8(ascii: "-"), p[13] == UInt8(ascii: "-"), p[18] == UInt8(ascii: "-"), p[23] == UInt8(ascii: "-") else {
            return nil
        }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var ok = true
        withUnsafeMutableBytes(of: &bytes) { out in
            var source = 0
            for index in 0..<16 {
                if source == 8 || source == 13 || source == 18 || source == 23 { source += 1 }
                let high = hexValue(p[source]), low = hexValue(p[source + 1])
                if high > 15 || low > 15 { ok = false; return }
                out[index] = high << 4 | low
                source += 2
            }
        }
        return ok ? UUID(uuid: bytes) : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- 55
        default: 0xFF
        }
    }

    private func failure(_ expected: String) -> JSONReaderError {
        let found: String
        if offset >= end {
            found = "the end of the data"
        } else {
            let sample = UnsafeBufferPointer(start: base + offset, count: min(16, end - offset))
            found = "'" + String(decoding: sample, as: UTF8.self) + "'"
        }
        return JSONReaderError(offset: offset, expected: expected, found: found)
    }
}

/// Where a JSON text stopped making sense, and what was expected there.
public struct JSONReaderError: Error, CustomStringConvertible, Equatable {
    public let offset: Int
    public let expected: String
    public let found: String

    public init(offset: Int, expected: String, found: String) {
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    public var description: String { "at byte \(offset): expected \(expected), found \(found)" }
}

/// A type that reads itself from `JSONReader`, accepting what its `Decodable` conformance does.
public protocol FastJSONReadable {
    static func read(from reader: inout JSONReader) throws -> Self
}

/// A type that reads itself from `JSONReader` and writes itself to `JSONWriter` (the body of an
/// object, between its braces), producing and accepting what its `Codable` conformance does.
public protocol FastJSONCodable: FastJSONValue {
    func write(to writer: inout JSONWriter)
}

/// A whole JSON value read and written by hand: a `FastJSONCodable` object, or an array of them
/// (files such as the outbox hold a bare array).
public protocol FastJSONValue: FastJSONReadable {
    func writeValue(to writer: inout JSONWriter)
}

extension FastJSONCodable {
    public func writeValue(to writer: inout JSONWriter) {
        writer.beginObject()
        write(to: &writer)
        writer.endObject()
    }
}

extension Array: FastJSONReadable where Element: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> [Element] {
        try reader.array(of: Element.read)
    }
}

extension Array: FastJSONValue where Element: FastJSONCodable {
    public func writeValue(to writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.writeValue(to: &writer) }
        writer.endArray()
    }
}
