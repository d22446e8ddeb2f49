import Foundation

/// A row of `groups`: a set of learners inside one tenant (a class, a team).
@Record
public struct Group: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var tenantID: UUID
    public var name: String
    public var description: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?
}

/// A row of `user_groups`: membership of a user in a group.
@Record
public struct UserGroup: Hashable, Sendable {
    public var userID: UUID
    public var groupID: UUID
}
