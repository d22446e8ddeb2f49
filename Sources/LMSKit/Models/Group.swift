import Foundation

/// A row of `groups`: a set of learners inside one tenant (a class, a team).
public struct Group: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var tenantID: UUID
    public var name: String
    public var description: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: UUID, tenantID: UUID, name: String, description: String? = nil,
        createdAt: Date, updatedAt: Date, deletedAt: Date? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case tenantID = "tenant_id"
        case name, description
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
    }
}

/// A row of `user_groups`: membership of a user in a group.
public struct UserGroup: Codable, Hashable, Sendable {
    public var userID: UUID
    public var groupID: UUID

    public init(userID: UUID, groupID: UUID) {
        self.userID = userID
        self.groupID = groupID
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case groupID = "group_id"
    }
}
