import Foundation

/// A page of a cursor-paginated list. `next_cursor` is opaque; absent on the last page.
public struct Page<Item: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }
}

/// A short, complete list (a learner's badges, one course's progress).
public struct ItemList<Item: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var items: [Item]

    public init(items: [Item]) { self.items = items }
}
