import Foundation

/// A row of `badges`. `criteria` is the typed form of the JSONB column.
@Record
public struct Badge: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var name: String
    public var description: String?
    public var imageURL: String
    public var criteria: BadgeCriteria
    public var createdAt: Date
    public var updatedAt: Date
}

/// A row of `user_badges`. `course_id` is set when the badge was earned for one course.
@Record
public struct UserBadge: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var badgeID: UUID
    public var courseID: UUID?
    public var earnedAt: Date
}
