import Foundation

/// The kinds of record the sync feed carries.
public enum SyncEntity: OpenEnum {
    case course, chapter, lesson, lessonContent, progress, quizResult, badge, userBadge, purchase
    case other(String)

    public static let knownCases: [SyncEntity] = [
        .course, .chapter, .lesson, .lessonContent, .progress, .quizResult, .badge, .userBadge, .purchase,
    ]

    public var rawValue: String {
        switch self {
        case .course: "course"
        case .chapter: "chapter"
        case .lesson: "lesson"
        case .lessonContent: "lesson_content"
        case .progress: "progress"
        case .quizResult: "quiz_result"
        case .badge: "badge"
        case .userBadge: "user_badge"
        case .purchase: "purchase"
        case .other(let value): value
        }
    }
}

/// A record's new state, typed by entity.
public enum SyncPayload: Hashable, Sendable {
    case course(Course)
    case chapter(Chapter)
    case lesson(Lesson)
    case lessonContent(LessonContent)
    case progress(UserProgress)
    case quizResult(QuizResult)
    case badge(Badge)
    case userBadge(UserBadge)
    case purchase(Purchase)
    /// An entity this build does not know, kept as it came.
    case unknown(JSONValue)
}

/// One change in the feed: an upsert with the record's state, or a tombstone (`op: "delete"`),
/// e.g. for a soft-deleted course or a lesson that was removed.
public struct SyncChange: Codable, Hashable, Sendable {
    /// Open so that a newer server's operation does not make the whole page unreadable; a
    /// client skips changes whose operation it does not know.
    public enum Operation: OpenEnum {
        case upsert, delete
        case other(String)
        public static let knownCases: [Operation] = [.upsert, .delete]
        public var rawValue: String {
            switch self {
            case .upsert: "upsert"
            case .delete: "delete"
            case .other(let value): value
            }
        }
    }

    public var entity: SyncEntity
    public var id: UUID
    public var op: Operation
    /// Present for upserts, absent for deletes.
    public var data: SyncPayload?

    public init(entity: SyncEntity, id: UUID, op: Operation, data: SyncPayload?) {
        self.entity = entity
        self.id = id
        self.op = op
        self.data = data
    }

    public static func upsert(_ payload: SyncPayload, id: UUID) -> SyncChange {
        SyncChange(entity: payload.entity, id: id, op: .upsert, data: payload)
    }

    public static func tombstone(_ entity: SyncEntity, id: UUID) -> SyncChange {
        SyncChange(entity: entity, id: id, op: .delete, data: nil)
    }

    enum CodingKeys: String, CodingKey { case entity, id, op, data }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        entity = try c.decode(SyncEntity.self, forKey: .entity)
        id = try c.decode(UUID.self, forKey: .id)
        op = try c.decode(Operation.self, forKey: .op)
        guard op == .upsert, c.contains(.data) else {
            data = nil
            return
        }
        switch entity {
        case .course: data = .course(try c.decode(Course.self, forKey: .data))
        case .chapter: data = .chapter(try c.decode(Chapter.self, forKey: .data))
        case .lesson: data = .lesson(try c.decode(Lesson.self, forKey: .data))
        case .lessonContent: data = .lessonContent(try c.decode(LessonContent.self, forKey: .data))
        case .progress: data = .progress(try c.decode(UserProgress.self, forKey: .data))
        case .quizResult: data = .quizResult(try c.decode(QuizResult.self, forKey: .data))
        case .badge: data = .badge(try c.decode(Badge.self, forKey: .data))
        case .userBadge: data = .userBadge(try c.decode(UserBadge.self, forKey: .data))
        case .purchase: data = .purchase(try c.decode(Purchase.self, forKey: .data))
        case .other: data = .unknown(try c.decode(JSONValue.self, forKey: .data))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entity, forKey: .entity)
        try c.encode(id, forKey: .id)
        try c.encode(op, forKey: .op)
        switch data {
        case nil: break
        case .course(let value)?: try c.encode(value, forKey: .data)
        case .chapter(let value)?: try c.encode(value, forKey: .data)
        case .lesson(let value)?: try c.encode(value, forKey: .data)
        case .lessonContent(let value)?: try c.encode(value, forKey: .data)
        case .progress(let value)?: try c.encode(value, forKey: .data)
        case .quizResult(let value)?: try c.encode(value, forKey: .data)
        case .badge(let value)?: try c.encode(value, forKey: .data)
        case .userBadge(let value)?: try c.encode(value, forKey: .data)
        case .purchase(let value)?: try c.encode(value, forKey: .data)
        case .unknown(let value)?: try c.encode(value, forKey: .data)
        }
    }
}

extension SyncPayload {
    public var entity: SyncEntity {
        switch self {
        case .course: .course
        case .chapter: .chapter
        case .lesson: .lesson
        case .lessonContent: .lessonContent
        case .progress: .progress
        case .quizResult: .quizResult
        case .badge: .badge
        case .userBadge: .userBadge
        case .purchase: .purchase
        case .unknown: .other("unknown")
        }
    }
}

/// `GET /api/v1/sync/changes?cursor=`: everything the user may see that changed after `cursor`.
/// Save `cursor` together with the applied changes; ask again while `has_more`.
public struct SyncChangesPage: Codable, Hashable, Sendable {
    public var changes: [SyncChange]
    /// Opaque; pass it back unchanged. It is a server sequence position, not a time.
    public var cursor: String
    public var hasMore: Bool

    public init(changes: [SyncChange], cursor: String, hasMore: Bool) {
        self.changes = changes
        self.cursor = cursor
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case changes, cursor
        case hasMore = "has_more"
    }
}

/// One piece of offline work. Its `id` is chosen by the client once and never changes, so the
/// server can apply it exactly once however often it is sent.
public struct SyncMutation: Codable, Hashable, Sendable, Identifiable {
    public enum Kind: Hashable, Sendable {
        case progressUpsert(ProgressUpsert)
        case quizSubmit(lessonID: UUID, QuizSubmission)
        /// A mutation type this build does not know (kept so a newer client's outbox is not lost).
        case unknown(type: String, payload: JSONValue)
    }

    public var id: UUID
    public var createdAt: Date
    public var kind: Kind

    public init(id: UUID, createdAt: Date, kind: Kind) {
        self.id = id
        self.createdAt = createdAt
        self.kind = kind
    }

    /// The lesson the work is for, when it is for one.
    public var lessonID: UUID? {
        switch kind {
        case .progressUpsert(let upsert): upsert.lessonID
        case .quizSubmit(let lessonID, _): lessonID
        case .unknown: nil
        }
    }

    public var typeName: String {
        switch kind {
        case .progressUpsert: "progress.upsert"
        case .quizSubmit: "quiz.submit"
        case .unknown(let type, _): type
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, type, payload
        case createdAt = "created_at"
    }

    fileprivate struct QuizPayload: Codable {
        var lessonID: UUID
        var submission: QuizSubmission
        enum CodingKeys: String, CodingKey {
            case lessonID = "lesson_id"
            case submission
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "progress.upsert":
            kind = .progressUpsert(try c.decode(ProgressUpsert.self, forKey: .payload))
        case "quiz.submit":
            let payload = try c.decode(QuizPayload.self, forKey: .payload)
            kind = .quizSubmit(lessonID: payload.lessonID, payload.submission)
        default:
            kind = .unknown(type: type, payload: try c.decodeIfPresent(JSONValue.self, forKey: .payload) ?? .null)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(typeName, forKey: .type)
        switch kind {
        case .progressUpsert(let upsert): try c.encode(upsert, forKey: .payload)
        case .quizSubmit(let lessonID, let submission):
            try c.encode(QuizPayload(lessonID: lessonID, submission: submission), forKey: .payload)
        case .unknown(_, let payload): try c.encode(payload, forKey: .payload)
        }
    }
}

/// `POST /api/v1/sync/push`.
public struct SyncPushRequest: Codable, Hashable, Sendable {
    /// Identifies the device, for logs and for telling two devices' mutations apart.
    public var clientID: UUID
    public var mutations: [SyncMutation]

    public init(clientID: UUID, mutations: [SyncMutation]) {
        self.clientID = clientID
        self.mutations = mutations
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case mutations
    }
}

public enum MutationStatus: OpenEnum {
    /// Applied now.
    case applied
    /// Applied before; this is the stored result of the first application.
    case duplicate
    /// Refused for good (locked lesson, unknown quiz...); retrying will not help.
    case rejected
    case other(String)

    public static let knownCases: [MutationStatus] = [.applied, .duplicate, .rejected]
    public var rawValue: String {
        switch self {
        case .applied: "applied"
        case .duplicate: "duplicate"
        case .rejected: "rejected"
        case .other(let value): value
        }
    }
}

/// The outcome of one mutation, in the order they were sent.
@Record
public struct MutationResult: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var status: MutationStatus
    public var error: APIErrorBody?
    public var progress: UserProgress?
    public var quizResult: QuizResult?
    @Lenient public var awardedBadges: [UserBadge] = []
}

public struct SyncPushResponse: Codable, Hashable, Sendable {
    public var results: [MutationResult]

    public init(results: [MutationResult]) { self.results = results }
}

// The feed's pages are the largest responses the client reads (an initial pull of a big catalog
// is tens of megabytes): read by hand, the rare entities through Codable.
extension SyncChangesPage: FastJSONReadable {
    public static func read(from reader: inout JSONReader) throws -> SyncChangesPage {
        var changes: [SyncChange]?, cursor: String?, hasMore: Bool?
        try reader.object { reader, key in
            if key == "changes" { changes = try reader.array(of: SyncChange.read) }
            else if key == "cursor" { cursor = try reader.string() }
            else if key == "has_more" { hasMore = try reader.bool() }
            else { try reader.skipValue() }
        }
        guard let changes else { throw JSONReader.missing("changes", in: "SyncChangesPage") }
        guard let cursor else { throw JSONReader.missing("cursor", in: "SyncChangesPage") }
        guard let hasMore else { throw JSONReader.missing("has_more", in: "SyncChangesPage") }
        return SyncChangesPage(changes: changes, cursor: cursor, hasMore: hasMore)
    }
}

extension SyncChange: FastJSONReadable {
    public static func read(from reader: inout JSONReader) throws -> SyncChange {
        var entity: SyncEntity?, id: UUID?, op: Operation?, data: Range<Int>?
        try reader.object { reader, key in
            if key == "entity" { entity = SyncEntity(rawValue: try reader.string()) }
            else if key == "id" { id = try reader.uuid() }
            else if key == "op" { op = Operation(rawValue: try reader.string()) }
            // What `data` holds depends on `entity`, which may come after it.
            else if key == "data" { data = try reader.mark() }
            else { try reader.skipValue() }
        }
        guard let entity else { throw JSONReader.missing("entity", in: "SyncChange") }
        guard let id else { throw JSONReader.missing("id", in: "SyncChange") }
        guard let op else { throw JSONReader.missing("op", in: "SyncChange") }
        guard op == .upsert, let data else { return SyncChange(entity: entity, id: id, op: op, data: nil) }
        let payload = try reader.read(at: data) { reader -> SyncPayload in
            switch entity {
            case .course: .course(try Course.read(from: &reader))
            case .chapter: .chapter(try Chapter.read(from: &reader))
            case .lesson: .lesson(try Lesson.read(from: &reader))
            case .lessonContent: .lessonContent(try LessonContent.read(from: &reader))
            case .progress: .progress(try UserProgress.read(from: &reader))
            case .quizResult: .quizResult(try QuizResult.read(from: &reader))
            case .badge: .badge(try Badge.read(from: &reader))
            case .userBadge: .userBadge(try UserBadge.read(from: &reader))
            case .purchase: .purchase(try Purchase.read(from: &reader))
            case .other: .unknown(try reader.decode(JSONValue.self, with: LMSJSON.makeDecoder()))
            }
        }
        return SyncChange(entity: entity, id: id, op: op, data: payload)
    }
}

// The outbox can hold thousands of mutations after a long offline stretch and is rewritten as
// each batch is accepted: read and written by hand, quiz answers and unknown kinds through Codable.
extension SyncMutation: FastJSONCodable {
    public static func read(from reader: inout JSONReader) throws -> SyncMutation {
        var id: UUID?, createdAt: Date?, type: String?, payload: Range<Int>?
        try reader.object { reader, key in
            if key == "id" { id = try reader.uuid() }
            else if key == "created_at" { createdAt = try reader.date() }
            else if key == "type" { type = try reader.string() }
            // What `payload` holds depends on `type`, which may come after it.
            else if key == "payload" { payload = try reader.mark() }
            else { try reader.skipValue() }
        }
        guard let id else { throw JSONReader.missing("id", in: "SyncMutation") }
        guard let createdAt else { throw JSONReader.missing("created_at", in: "SyncMutation") }
        guard let type else { throw JSONReader.missing("type", in: "SyncMutation") }
        let kind: Kind
        switch type {
        case "progress.upsert":
            guard let payload else { throw JSONReader.missing("payload", in: "SyncMutation") }
            kind = .progressUpsert(try reader.read(at: payload) { try ProgressUpsert.read(from: &$0) })
        case "quiz.submit":
            guard let payload else { throw JSONReader.missing("payload", in: "SyncMutation") }
            let quiz = try reader.read(at: payload) { try $0.decode(QuizPayload.self, with: LMSJSON.makeDecoder()) }
            kind = .quizSubmit(lessonID: quiz.lessonID, quiz.submission)
        default:
            let value = try payload.map { mark in try reader.read(at: mark) { try $0.decode(JSONValue.self, with: LMSJSON.makeDecoder()) } }
            kind = .unknown(type: type, payload: value ?? .null)
        }
        return SyncMutation(id: id, createdAt: createdAt, kind: kind)
    }

    public func write(to writer: inout JSONWriter) {
        writer.field("created_at", createdAt)
        writer.field("id", id)
        switch kind {
        case .progressUpsert(let upsert): writer.recordField("payload", upsert)
        case .quizSubmit(let lessonID, let submission):
            writer.recordField("payload", QuizPayload(lessonID: lessonID, submission: submission))
        case .unknown(_, let payload):
            writer.recordField("payload", payload)
        }
        writer.field("type", typeName)
    }
}
