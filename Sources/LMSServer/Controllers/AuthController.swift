import Foundation
import LMSKit
import Vapor

/// Sign-in, token refresh (rotating) and sign-out.
struct AuthController {
    func boot(_ routes: any RoutesBuilder) {
        let auth = routes.grouped("auth")
        auth.post("login", use: login)
        auth.post("refresh", use: refresh)
        auth.post("logout", use: logout)
    }

    func login(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(LoginRequest.self)
        let settings = req.application.lmsSettings
        let throttle = LoginThrottleStore(db: req.sql, limit: settings.loginAttempts, window: settings.loginWindow)
        // Two counters: failures for this email from this client (cleared by signing in), and all
        // failures from this client (not cleared, so one's own account cannot reset a guessing run).
        let keys = throttle.keys(email: body.email, client: req.clientAddress)
        if let wait = try await throttle.retryAfter(keys) {
            throw APIFailure(
                status: .tooManyRequests, code: .rateLimited,
                message: "Too many failed sign-ins; try again in \(wait) seconds", headers: ["Retry-After": "\(wait)"])
        }
        let store = UserStore(db: req.sql)
        let found = try await store.credentials(email: body.email.trimmingCharacters(in: .whitespaces))
        // Verify a hash even for an unknown email so timing does not reveal which emails exist.
        let hash = found?.passwordHash ?? unknownUserHash
        let matches = (try? await req.password.async.verify(body.password, created: hash)) ?? false
        guard let found, matches else {
            try await throttle.recordFailure(keys)
            req.application.serverMetrics.loginFailed()
            throw APIFailure(status: .unauthorized, code: .invalidCredentials, message: "Wrong email or password")
        }
        guard found.user.status == .active, found.tenantUsable else {
            throw APIFailure(
                status: .forbidden, code: .accountInactive,
                message: found.user.status == .pending
                    ? "This account is not activated yet" : "This account is suspended; contact your administrator")
        }
        try await throttle.recordSuccess(keys)
        let now = Date()
        try await store.recordLogin(userID: found.user.id, at: now)
        var user = found.user
        user.lastLoginAt = now
        return try await issueTokens(for: user, familyID: UUID(), req: req, now: now)
    }

    /// Exchanges a refresh token for a new pair. The old token stops working; presenting it again
    /// means it was stolen or replayed, so the whole family is revoked.
    func refresh(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(RefreshRequest.self)
        let store = UserStore(db: req.sql)
        let now = Date()
        guard let stored = try await store.refreshToken(hash: TokenService.hash(body.refreshToken)) else {
            throw APIFailure.unauthorized("The refresh token is not valid; sign in again")
        }
        if stored.revokedAt != nil {
            try await store.revokeFamily(stored.familyID, at: now)
            throw APIFailure.unauthorized("The refresh token was already used; sign in again")
        }
        guard stored.expiresAt > now else { throw APIFailure.unauthorized("The session has expired; sign in again") }
        guard try await store.revokeRefreshToken(id: stored.id, at: now) else {
            try await store.revokeFamily(stored.familyID, at: now)
            throw APIFailure.unauthorized("The refresh token was already used; sign in again")
        }
        guard let user = try await store.user(id: stored.userID), try await AccountStatus(db: req.sql).isActive(userID: user.id) else {
            try await store.revokeFamily(stored.familyID, at: now)
            throw APIFailure(status: .forbidden, code: .accountInactive, message: "This account can no longer sign in")
        }
        return try await issueTokens(for: user, familyID: stored.familyID, req: req, now: now)
    }

    func logout(_ req: Request) async throws -> HTTPStatus {
        let body = try req.decodeBody(RefreshRequest.self)
        let store = UserStore(db: req.sql)
        if let stored = try await store.refreshToken(hash: TokenService.hash(body.refreshToken)) {
            try await store.revokeFamily(stored.familyID, at: Date())
        }
        return .noContent
    }

    /// A new token pair. Never stored by a cache on the way (`no-store`): it is a credential.
    private func issueTokens(for user: User, familyID: UUID, req: Request, now: Date) async throws -> Response {
        let settings = req.application.lmsSettings
        let access = try await req.application.tokens.accessToken(for: user, lifetime: settings.accessTokenLifetime, now: now)
        let refresh = TokenService.newRefreshToken()
        try await UserStore(db: req.sql).insertRefreshToken(
            hash: TokenService.hash(refresh), userID: user.id, familyID: familyID,
            expiresAt: now.addingTimeInterval(settings.refreshTokenLifetime), now: now)
        let response = try json(TokenResponse(
            accessToken: access, expiresIn: Int(settings.accessTokenLifetime), refreshToken: refresh,
            refreshExpiresIn: Int(settings.refreshTokenLifetime), user: user))
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}


/// A real bcrypt hash that matches no password, verified for unknown emails.
private let unknownUserHash: String = (try? Bcrypt.hash(UUID().uuidString, cost: 10)) ?? ""
