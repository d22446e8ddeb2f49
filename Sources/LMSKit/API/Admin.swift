import Foundation

/// `POST /api/v1/admin/users`: adds a user to the admin's tenant, taking one seat.
public struct CreateUserRequest: Codable, Hashable, Sendable {
    public var email: String
    public var password: String
    public var firstName: String
    public var lastName: String
    public var role: UserRole

    public init(email: String, password: String, firstName: String, lastName: String, role: UserRole = .learner) {
        self.email = email
        self.password = password
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case email, password
        case firstName = "first_name"
        case lastName = "last_name"
        case role
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        email = try c.decode(String.self, forKey: .email)
        password = try c.decode(String.self, forKey: .password)
        firstName = try c.decode(String.self, forKey: .firstName)
        lastName = try c.decode(String.self, forKey: .lastName)
        role = try c.decodeIfPresent(UserRole.self, forKey: .role) ?? .learner
    }
}

/// `PATCH /api/v1/admin/users/{id}`: change a user's role or status; absent fields stay.
public struct UpdateUserRequest: Codable, Hashable, Sendable {
    public var role: UserRole?
    public var status: UserStatus?

    public init(role: UserRole? = nil, status: UserStatus? = nil) {
        self.role = role
        self.status = status
    }
}

/// `POST /api/v1/admin/groups`.
public struct CreateGroupRequest: Codable, Hashable, Sendable {
    public var name: String
    public var description: String?

    public init(name: String, description: String? = nil) {
        self.name = name
        self.description = description
    }
}

/// `PATCH /api/v1/admin/tenant`: the number of seats bought. It cannot drop below the seats in use.
public struct UpdateSeatsRequest: Codable, Hashable, Sendable {
    public var seatsPurchased: Int

    public init(seatsPurchased: Int) { self.seatsPurchased = seatsPurchased }

    enum CodingKeys: String, CodingKey { case seatsPurchased = "seats_purchased" }
}
