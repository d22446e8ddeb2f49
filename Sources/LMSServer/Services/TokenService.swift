import Crypto
import Foundation
import JWTKit
import LMSKit
import Vapor

/// What an access token says about its bearer. Short-lived, so role and tenant may be trusted
/// for its lifetime without a database read per request.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var role: String
    var tid: String?

    func verify(using algorithm: some JWTAlgorithm) throws {
        try exp.verifyNotExpired()
    }
}

/// The signed-in user of a request.
struct Principal: Sendable {
    let userID: UUID
    let role: UserRole
    let tenantID: UUID?

    /// An administrator of the whole platform: one without a tenant. A tenant's administrator
    /// manages that tenant's people and purchases, and sees courses as a learner does.
    var isPlatformAdmin: Bool { role == .admin && tenantID == nil }

    /// The role that decides which courses and lessons this viewer may open.
    var courseRole: UserRole { role == .admin && tenantID != nil ? .learner : role }
}

/// Signs and verifies access tokens; makes and hashes refresh tokens. Tokens name the key that
/// signed them (`kid`), and tokens of the previous key stay valid, so keys rotate without signing
/// anyone out and every replica given the same keys accepts every other's tokens.
final class TokenService: Sendable {
    private let keys = JWTKeyCollection()
    private let signingKeyID: JWKIdentifier

    init(signingKey: TokenSigningKey, previousKey: TokenSigningKey?) async {
        signingKeyID = JWKIdentifier(string: signingKey.id)
        await keys.add(hmac: HMACKey(from: signingKey.secret), digestAlgorithm: .sha256, kid: signingKeyID)
        if let previousKey {
            await keys.add(hmac: HMACKey(from: previousKey.secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: previousKey.id))
        }
    }

    func accessToken(for user: User, lifetime: TimeInterval, now: Date = Date()) async throws -> String {
        let claims = AccessClaims(
            sub: .init(value: user.id.uuidString), exp: .init(value: now.addingTimeInterval(lifetime)),
            iat: .init(value: now), role: user.role.rawValue, tid: user.tenantID?.uuidString)
        return try await keys.sign(claims, kid: signingKeyID)
    }

    func verify(_ token: String) async throws -> Principal {
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw APIFailure(status: .unauthorized, code: .tokenExpired, message: "The access token has expired; refresh it")
        } catch {
            throw APIFailure.unauthorized("The access token is not valid")
        }
        guard let id = UUID(uuidString: claims.sub.value) else { throw APIFailure.unauthorized("The access token is not valid") }
        return Principal(userID: id, role: UserRole(rawValue: claims.role), tenantID: claims.tid.flatMap(UUID.init(uuidString:)))
    }

    /// 256 random bits, URL-safe. Only its SHA-256 is stored.
    static func newRefreshToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ refreshToken: String) -> String {
        SHA256.hash(data: Data(refreshToken.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Application {
    private struct TokensKey: StorageKey { typealias Value = TokenService }

    /// Set once by `configure`, before the server accepts requests.
    var tokens: TokenService {
        get { storage[TokensKey.self]! }
        set { storage[TokensKey.self] = newValue }
    }
}
