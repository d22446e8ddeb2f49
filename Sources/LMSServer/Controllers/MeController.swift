import Foundation
import LMSKit
import Vapor

struct MeController {
    func boot(_ routes: any RoutesBuilder) {
        routes.get("me", use: me)
    }

    func me(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let store = UserStore(db: req.sql)
        guard let user = try await store.user(id: viewer.userID) else { throw APIFailure.unauthorized("This account no longer exists") }
        let tenant = try await user.tenantID.asyncMap { try await store.tenant(id: $0) } ?? nil
        return try json(MeResponse(user: user, tenant: tenant, groups: try await store.groups(userID: user.id)))
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
