import Foundation

/// A row of `badges`. `criteria` is the typed form of the JSONB column.
public struct Badge: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var name: String
    public var description: String?
    public var imageURL: String
    public var criteria: BadgeCriteria
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, name: String, description: String? = nil, imageURL: String, criteria: BadgeCriteria,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.imageURL = imageURL
        self.criteria = criteria
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case imageURL = "image_url"
        case criteria
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A row of `user_badges`. `course_id` is set when the badge was earned for one course.
public struct UserBadge: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var badgeID: UUID
    public var courseID: UUID?
    public var earnedAt: Date

    public init(id: UUID, userID: UUID, badgeID: UUID, courseID: UUID? = nil, earnedAt: Date) {
        self.id = id
        self.userID = userID
        self.badgeID = badgeID
        self.courseID = courseID
        self.earnedAt = earnedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case badgeID = "badge_id"
        case courseID = "course_id"
        case earnedAt = "earned_at"
    }
}
