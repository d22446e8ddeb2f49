import Foundation
import LMSKit

/// What `lms login` keeps: the server, who signed in, and their tokens. Stored 0600.
public struct Credentials: Codable, Sendable, Equatable {
    public var server: String
    public var userID: UUID
    public var email: String
    public var accessToken: String
    public var accessExpiresAt: Date
    public var refreshToken: String

    public init(server: String, userID: UUID, email: String, accessToken: String, accessExpiresAt: Date, refreshToken: String) {
        self.server = server
        self.userID = userID
        self.email = email
        self.accessToken = accessToken
        self.accessExpiresAt = accessExpiresAt
        self.refreshToken = refreshToken
    }

    init(server: String, tokens: TokenResponse, now: Date) {
        self.init(
            server: server, userID: tokens.user.id, email: tokens.user.email, accessToken: tokens.accessToken,
            accessExpiresAt: now.addingTimeInterval(TimeInterval(tokens.expiresIn)), refreshToken: tokens.refreshToken)
    }

    enum CodingKeys: String, CodingKey {
        case server
        case userID = "user_id"
        case email
        case accessToken = "access_token"
        case accessExpiresAt = "access_expires_at"
        case refreshToken = "refresh_token"
    }
}

/// Reads and writes `$XDG_CONFIG_HOME/lms/credentials.json`, always with mode 0600.
public struct CredentialStore: Sendable {
    public static let schema = 1
    private let file: VersionedFile<Credentials>

    public let paths: Paths

    public init(paths: Paths) {
        self.paths = paths
        file = VersionedFile(url: paths.credentialsFile, schema: Self.schema)
    }

    public func load() throws(StorageError) -> Credentials? {
        switch try file.load() {
        case .current(let credentials): credentials
        case .newer(let credentials, _): credentials
        case .missing, .corrupt: nil
        }
    }

    public func save(_ credentials: Credentials) throws(StorageError) {
        try file.save(credentials, permissions: 0o600)
    }

    public func delete() {
        unlink(file.url.path)
    }
}

/// Normalises what a person types as a server address: adds `http://` for loopback and
/// `https://` otherwise, and drops trailing slashes.
public func normalizedServerURL(_ text: String) -> String {
    var url = text.trimmingCharacters(in: .whitespaces)
    while url.hasSuffix("/") { url.removeLast() }
    if !url.contains("://") {
        let local = url.hasPrefix("localhost") || url.hasPrefix("127.") || url.hasPrefix("[::1]")
        url = (local ? "http://" : "https://") + url
    }
    return url
}
