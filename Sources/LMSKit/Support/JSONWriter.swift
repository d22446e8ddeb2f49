import Foundation

/// A small, fast JSON writer for the hottest responses (catalog pages, course outlines).
///
/// Foundation's `JSONEncoder` goes through `Encodable`'s containers and costs several times more
/// than the database query behind a catalog page. These writers produce exactly what the
/// `Codable` conformances produce (same keys, money as text, ISO-8601 dates, nil optionals
/// omitted); a test decodes their output with `Codable` and compares.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    public var data: Data { Data(bytes) }

    public mutating func beginObject() {
        comma()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Starts an array that is a value, not a field (a file's top level, an array's element).
    public mutating func beginArray() {
        comma()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func beginArray(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Starts a nested object under `key`.
    public mutating func beginObject(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    private mutating func comma() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// A key whose value the next call writes (an object or array value).
    public mutating func key(_ key: String) {
        comma()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func field(_ key: String, _ value: String) {
        self.key(key)
        string(value)
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: String?) {
        if let value { field(key, value) }
    }

    public mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        integer(value)
        needsComma = true
    }

    /// Decimal digits straight into the buffer, without making a String.
    private mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    public mutating func field(_ key: String, _ value: Int?) {
        if let value { field(key, value) }
    }

    public mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    /// A field keyed by an id, for objects that map ids to ids.
    public mutating func field(_ key: UUID, _ value: UUID) {
        comma()
        uuid(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
        uuid(value)
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: UUID) {
        self.key(key)
        uuid(value)
        needsComma = true
    }

    private mutating func uuid(_ value: UUID) {
        bytes.append(UInt8(ascii: "\""))
        // Upper-case hex in 8-4-4-4-12 groups, as `uuidString`, without making a String.
        let hex: StaticString = "0123456789ABCDEF"
        withUnsafeBytes(of: value.uuid) { raw in
            hex.withUTF8Buffer { digits in
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                    bytes.append(digits[Int(byte >> 4)])
                    bytes.append(digits[Int(byte & 0x0F)])
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: UUID?) {
        if let value { field(key, value) }
    }

    public mutating func field(_ key: String, _ value: Date) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        ISO8601.write(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func field(_ key: String, _ value: Date?) {
        if let value { field(key, value) }
    }

    /// JSON already encoded (by `JSONEncoder`, for the rare parts without a hand-written writer).
    public mutating func raw(_ key: String, _ json: Data) {
        self.key(key)
        bytes.append(contentsOf: json)
        needsComma = true
    }

    public mutating func money(_ key: String, _ value: Decimal) {
        field(key, MoneyText.format(value))
    }

    /// A JSON string with the escapes JSON requires (quotes, backslash, control characters).
    /// A string field from UTF-8 bytes as they came (a database cell), without making a String.
    public mutating func field(_ key: String, utf8 value: UnsafeRawBufferPointer) {
        self.key(key)
        string(utf8: value)
        needsComma = true
    }

    private mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { string(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Text without anything to escape (nearly all of it) is copied in one go.
    private mutating func string(utf8 value: UnsafeRawBufferPointer) {
        guard value.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: value)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        escaped(value)
    }

    private mutating func escaped(_ value: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONWriter {
    /// A record's fields, between braces the caller writes.
    public mutating func write<Value: FastJSONCodable>(_ value: Value) {
        value.write(to: &self)
    }

    /// `CatalogPage` as `JSONEncoder` would write it.
    public static func encode(_ page: CatalogPage) -> Data {
        var writer = JSONWriter(capacity: 512 * max(1, page.items.count))
        writer.beginObject()
        writer.beginArray("items")
        for entry in page.items {
            writer.beginObject()
            writer.beginObject("course")
            writer.write(entry.course)
            writer.endObject()
            writer.field("instructor_name", entry.instructorName)
            writer.field("owned", entry.owned)
            writer.endObject()
        }
        writer.endArray()
        writer.field("next_cursor", page.nextCursor)
        writer.endObject()
        return writer.data
    }

    /// `CourseOutlineResponse` as `JSONEncoder` would write it.
    public static func encode(_ response: CourseOutlineResponse) -> Data {
        encode(response.outline.course, chapters: encode(response.outline.chapters), owned: response.owned)
    }

    /// The same, around an outline's `chapters` array already written by `encode(_: [ChapterOutline])`
    /// (the server caches that part).
    public static func encode(_ course: Course, chapters: Data, owned: Bool) -> Data {
        var writer = JSONWriter(capacity: chapters.count + 2048)
        writer.beginObject()
        writer.beginObject("outline")
        writer.raw("chapters", chapters)
        writer.beginObject("course")
        writer.write(course)
        writer.endObject()
        writer.endObject()
        writer.field("owned", owned)
        writer.endObject()
        return writer.data
    }

    /// An outline's `chapters` array, each chapter with its `lessons`.
    public static func encode(_ chapters: [ChapterOutline]) -> Data {
        var writer = JSONWriter(capacity: 1024 + 400 * chapters.reduce(0) { $0 + $1.lessons.count })
        writer.beginArray()
        for chapter in chapters {
            writer.beginObject()
            writer.write(chapter.chapter)
            writer.beginArray("lessons")
            for lesson in chapter.lessons {
                writer.beginObject()
                writer.write(lesson)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        return writer.data
    }

    /// `SyncChangesPage` as `JSONEncoder` would write it: the catalog's records (most of a full
    /// pull) by hand, a learner's own few records and quiz questions through `JSONEncoder`.
    public static func encode(_ page: SyncChangesPage) throws -> Data {
        try encode(page, changes: [encodeChanges(page.changes[...])])
    }

    /// The page around changes already written by `encodeChanges`, in parts (written at once on
    /// several threads for a big page); the parts are joined in order.
    public static func encode(_ page: SyncChangesPage, changes parts: [[UInt8]]) -> Data {
        var writer = JSONWriter(capacity: 64 + parts.reduce(0) { $0 + $1.count + 1 })
        writer.beginObject()
        writer.beginArray("changes")
        var first = true
        for part in parts where !part.isEmpty {
            if !first { writer.bytes.append(UInt8(ascii: ",")) }
            writer.bytes.append(contentsOf: part)
            first = false
        }
        writer.needsComma = !first
        writer.endArray()
        writer.field("cursor", page.cursor)
        writer.field("has_more", page.hasMore)
        writer.endObject()
        return writer.data
    }

    /// Changes as the comma-separated elements of the page's `changes` array.
    public static func encodeChanges(_ changes: ArraySlice<SyncChange>) throws -> [UInt8] {
        var writer = JSONWriter(capacity: 480 * changes.count)
        for change in changes {
            writer.beginObject()
            if let data = change.data { try writer.write(data) }
            writer.field("entity", change.entity.rawValue)
            writer.field("id", change.id)
            writer.field("op", change.op.rawValue)
            writer.endObject()
        }
        return writer.bytes
    }

    /// One pushed mutation's result: progress by hand, the rarer parts through `JSONEncoder`.
    public mutating func write(_ result: MutationResult) throws {
        if result.awardedBadges.isEmpty {
            beginArray("awarded_badges")
            endArray()
        } else {
            raw("awarded_badges", try LMSJSON.encode(result.awardedBadges))
        }
        if let error = result.error { raw("error", try LMSJSON.encode(error)) }
        field("id", result.id)
        if let progress = result.progress {
            beginObject("progress")
            write(progress)
            endObject()
        }
        if let quizResult = result.quizResult { raw("quiz_result", try LMSJSON.encode(quizResult)) }
        field("status", result.status.rawValue)
    }

    /// `MutationResult` as `JSONEncoder` would write it.
    public static func encode(_ result: MutationResult) throws -> Data {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        try writer.write(result)
        writer.endObject()
        return writer.data
    }

    /// `SyncPushResponse` as `JSONEncoder` would write it.
    public static func encode(_ response: SyncPushResponse) throws -> Data {
        var writer = JSONWriter(capacity: 64 + 512 * response.results.count)
        writer.beginObject()
        writer.beginArray("results")
        for result in response.results {
            writer.beginObject()
            try writer.write(result)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.data
    }

    /// A change's record as its `@Record` writer writes it (an unknown entity's JSON as it came).
    private mutating func write(_ payload: SyncPayload) throws {
        switch payload {
        case .course(let value): recordField("data", value)
        case .chapter(let value): recordField("data", value)
        case .lesson(let value): recordField("data", value)
        case .lessonContent(let value): recordField("data", value)
        case .progress(let value): recordField("data", value)
        case .quizResult(let value): recordField("data", value)
        case .badge(let value): recordField("data", value)
        case .userBadge(let value): recordField("data", value)
        case .purchase(let value): recordField("data", value)
        case .unknown(let value): raw("data", try LMSJSON.encode(value))
        }
    }
}
