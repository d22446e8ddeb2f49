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

    var isAdmin: Bool { role == .admin }
}

/// Signs and verifies access tokens; makes and hashes refresh tokens.
final class TokenService: Sendable {
    private let keys = JWTKeyCollection()

    func configure(secret: String) async {
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    func accessToken(for user: User, lifetime: TimeInterval, now: Date = Date()) async throws -> String {
        let claims = AccessClaims(
            sub: .init(value: user.id.uuidString), exp: .init(value: now.addingTimeInterval(lifetime)),
            iat: .init(value: now), role: user.role.rawValue, tid: user.tenantID?.uuidString)
        return try await keys.sign(claims)
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
    private struct ThrottleKey: StorageKey { typealias Value = LoginThrottle }

    /// Set once by `configure`, before the server accepts requests.
    var tokens: TokenService {
        get { storage[TokensKey.self]! }
        set { storage[TokensKey.self] = newValue }
    }

    var loginThrottle: LoginThrottle {
        get { storage[ThrottleKey.self]! }
        set { storage[ThrottleKey.self] = newValue }
    }
}

/// Counts failed logins and refuses more than `limit` per account and client within `window`, and
/// more than `4 × limit` per client whatever the account.
actor LoginThrottle {
    private let limit: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before trying again, or nil when the client may try now. The first key is
    /// the account's (limit), the others the client's (4 × limit).
    func retryAfter(keys: [String], now: Date = Date()) -> Int? {
        var wait: Int?
        for (index, key) in keys.enumerated() {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent
            let allowed = index == 0 ? limit : limit * 4
            guard recent.count >= allowed, let oldest = recent.first else { continue }
            wait = max(wait ?? 0, max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up))))
        }
        return wait
    }

    func recordFailure(keys: [String], now: Date = Date()) {
        for key in keys { failures[key, default: []].append(now) }
        if failures.count > 10_000 { failures = failures.filter { !$0.value.isEmpty } }
    }

    func recordSuccess(key: String) {
        failures[key] = nil
    }
}
