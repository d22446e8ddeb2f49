import Foundation

/// A row of `users` as the API shows it. `password_hash` never leaves the server.
@Record
public struct User: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var email: String
    public var firstName: String
    public var lastName: String
    public var role: UserRole = .learner
    public var status: UserStatus = .pending
    public var tenantID: UUID?
    public var avatarURL: String?
    public var lastLoginAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public var fullName: String { "\(firstName) \(lastName)" }
}
