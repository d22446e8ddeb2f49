import Foundation

public struct LoginRequest: Codable, Hashable, Sendable {
    public var email: String
    public var password: String

    public init(email: String, password: String) {
        self.email = email
        self.password = password
    }
}

public struct RefreshRequest: Codable, Hashable, Sendable {
    public var refreshToken: String

    public init(refreshToken: String) { self.refreshToken = refreshToken }

    enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
}

/// Logout revokes the given refresh token (and with it the session it belongs to).
public typealias LogoutRequest = RefreshRequest

/// Issued by login and by refresh. The refresh token rotates: each refresh returns a new one and
/// the old one stops working.
public struct TokenResponse: Codable, Hashable, Sendable {
    public var accessToken: String
    public var tokenType: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    public var refreshToken: String
    public var refreshExpiresIn: Int
    public var user: User

    public init(accessToken: String, tokenType: String = "Bearer", expiresIn: Int, refreshToken: String, refreshExpiresIn: Int, user: User) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.refreshExpiresIn = refreshExpiresIn
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case refreshExpiresIn = "refresh_expires_in"
        case user
    }
}

/// `GET /api/v1/me`: who the token belongs to, their tenant and groups.
public struct MeResponse: Codable, Hashable, Sendable {
    public var user: User
    public var tenant: Tenant?
    public var groups: [Group]

    public init(user: User, tenant: Tenant?, groups: [Group]) {
        self.user = user
        self.tenant = tenant
        self.groups = groups
    }
}

public struct HealthResponse: Codable, Hashable, Sendable {
    public var status: String
    public var database: String
    public var version: String

    public init(status: String, database: String, version: String) {
        self.status = status
        self.database = database
        self.version = version
    }
}
