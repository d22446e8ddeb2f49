import Foundation

/// A row of `users` as the API shows it. `password_hash` never leaves the server.
public struct User: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var email: String
    public var firstName: String
    public var lastName: String
    public var role: UserRole
    public var status: UserStatus
    public var tenantID: UUID?
    public var avatarURL: String?
    public var lastLoginAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: UUID, email: String, firstName: String, lastName: String, role: UserRole = .learner,
        status: UserStatus = .pending, tenantID: UUID? = nil, avatarURL: String? = nil,
        lastLoginAt: Date? = nil, createdAt: Date, updatedAt: Date, deletedAt: Date? = nil
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
        self.status = status
        self.tenantID = tenantID
        self.avatarURL = avatarURL
        self.lastLoginAt = lastLoginAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, email
        case firstName = "first_name"
        case lastName = "last_name"
        case role, status
        case tenantID = "tenant_id"
        case avatarURL = "avatar_url"
        case lastLoginAt = "last_login_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
    }

    public var fullName: String { "\(firstName) \(lastName)" }
}
