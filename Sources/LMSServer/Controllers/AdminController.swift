import Foundation
import LMSKit
import SQLKit
import Vapor

/// Tenant administration: users, seats, groups, membership and purchases. Everything is scoped to
/// the admin's own tenant; ids from another tenant answer 404 as if they did not exist. (Admins
/// without a tenant administer the platform's courses instead: see `Principal.isPlatformAdmin`.)
struct AdminController {
    func boot(_ routes: any RoutesBuilder) {
        let admin = routes.grouped("admin")
        admin.get("users", use: listUsers)
        admin.post("users", use: createUser)
        admin.patch("users", ":user_id", use: updateUser)
        admin.delete("users", ":user_id", use: deleteUser)
        admin.get("groups", use: listGroups)
        admin.post("groups", use: createGroup)
        admin.delete("groups", ":group_id", use: deleteGroup)
        admin.put("groups", ":group_id", "members", ":user_id", use: addMember)
        admin.delete("groups", ":group_id", "members", ":user_id", use: removeMember)
        admin.get("purchases", use: listPurchases)
        admin.get("tenant", use: tenant)
        admin.patch("tenant", use: updateSeats)
    }

    /// The store of the admin's own tenant; only admins who belong to a tenant get one.
    private func tenantStore(_ req: Request, on db: (any SQLDatabase)? = nil) throws -> TenantStore {
        let viewer = try req.principal
        guard viewer.role == .admin else { throw APIFailure.forbidden("Only administrators can do this") }
        guard let tenant = viewer.tenantID else { throw APIFailure.forbidden("This administrator belongs to no tenant") }
        return TenantStore(db: db ?? req.sql, tenantID: tenant)
    }

    func listUsers(_ req: Request) async throws -> Response {
        try json(ItemList(items: try await tenantStore(req).users()))
    }

    func createUser(_ req: Request) async throws -> Response {
        let tenant = try tenantStore(req).tenantID
        let body = try req.decodeBody(CreateUserRequest.self)
        guard body.role.isKnown else { throw APIFailure.validation("role must be one of learner, instructor, admin") }
        let email = body.email.trimmingCharacters(in: .whitespaces)
        guard email.contains("@"), email.count <= 255 else { throw APIFailure.validation("email must be an address of at most 255 characters") }
        guard body.password.count >= 8 else { throw APIFailure.validation("password must have at least 8 characters") }
        guard (1...100).contains(body.firstName.count), (1...100).contains(body.lastName.count) else {
            throw APIFailure.validation("first_name and last_name must have 1 to 100 characters")
        }
        let hash = try await req.password.async.hash(body.password)
        let now = Date()
        let user = User(
            id: UUID(), email: email, firstName: body.firstName, lastName: body.lastName, role: body.role, status: .active,
            tenantID: tenant, createdAt: now, updatedAt: now)
        try await req.writeTransaction { db in
            let store = try tenantStore(req, on: db.sql)
            if try await store.emailTaken(email) { throw APIFailure.conflict("A user with this email already exists") }
            try await store.insert(user, passwordHash: hash, now: now)
        }
        return try json(user, status: .created)
    }

    func updateUser(_ req: Request) async throws -> Response {
        let store = try tenantStore(req)
        let id = try req.uuidParameter("user_id", what: "User")
        let body = try req.decodeBody(UpdateUserRequest.self)
        for value in [body.role?.isKnown, body.status?.isKnown] where value == false {
            throw APIFailure.validation("Unknown role or status")
        }
        // Locking oneself out would leave a tenant without the administrator who did it; another
        // administrator can.
        if id == (try req.principal.userID), body.role.map({ $0 != .admin }) == true || body.status.map({ $0 != .active }) == true {
            throw APIFailure.conflict("Administrators cannot suspend or demote themselves")
        }
        guard let user = try await store.updateUser(id, role: body.role, status: body.status, now: Date()) else {
            throw APIFailure.notFound("User")
        }
        return try json(user)
    }

    func deleteUser(_ req: Request) async throws -> HTTPStatus {
        _ = try tenantStore(req)
        let id = try req.uuidParameter("user_id", what: "User")
        guard id != (try req.principal.userID) else { throw APIFailure.conflict("Administrators cannot delete themselves") }
        try await req.writeTransaction { db in
            guard try await tenantStore(req, on: db.sql).deleteUser(id, now: Date()) else { throw APIFailure.notFound("User") }
        }
        return .noContent
    }

    func listGroups(_ req: Request) async throws -> Response {
        try json(ItemList(items: try await tenantStore(req).groups()))
    }

    func createGroup(_ req: Request) async throws -> Response {
        let store = try tenantStore(req)
        let body = try req.decodeBody(CreateGroupRequest.self)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        guard (1...255).contains(name.count) else { throw APIFailure.validation("name must have 1 to 255 characters") }
        let now = Date()
        let group = Group(id: UUID(), tenantID: store.tenantID, name: name, description: body.description, createdAt: now, updatedAt: now)
        try await store.insert(group)
        return try json(group, status: .created)
    }

    func deleteGroup(_ req: Request) async throws -> HTTPStatus {
        let store = try tenantStore(req)
        let id = try req.uuidParameter("group_id", what: "Group")
        guard try await store.deleteGroup(id, now: Date()) else { throw APIFailure.notFound("Group") }
        return .noContent
    }

    func addMember(_ req: Request) async throws -> HTTPStatus {
        let (store, groupID, userID) = try await membership(req)
        try await store.addMember(userID: userID, groupID: groupID)
        return .noContent
    }

    func removeMember(_ req: Request) async throws -> HTTPStatus {
        let (store, groupID, userID) = try await membership(req)
        try await store.removeMember(userID: userID, groupID: groupID)
        return .noContent
    }

    /// Both the group and the user must belong to the admin's tenant.
    private func membership(_ req: Request) async throws -> (TenantStore, groupID: UUID, userID: UUID) {
        let store = try tenantStore(req)
        let groupID = try req.uuidParameter("group_id", what: "Group")
        let userID = try req.uuidParameter("user_id", what: "User")
        guard try await store.hasGroup(groupID) else { throw APIFailure.notFound("Group") }
        guard try await store.hasUser(userID) else { throw APIFailure.notFound("User") }
        return (store, groupID, userID)
    }

    func listPurchases(_ req: Request) async throws -> Response {
        try json(ItemList(items: try await tenantStore(req).purchases()))
    }

    func tenant(_ req: Request) async throws -> Response {
        let store = try tenantStore(req)
        guard let found = try await UserStore(db: req.sql).tenant(id: store.tenantID) else { throw APIFailure.notFound("Tenant") }
        return try json(found)
    }

    func updateSeats(_ req: Request) async throws -> Response {
        let store = try tenantStore(req)
        let body = try req.decodeBody(UpdateSeatsRequest.self)
        guard body.seatsPurchased >= 1 else { throw APIFailure.validation("seats_purchased must be at least 1") }
        guard let tenant = try await store.setSeatsPurchased(body.seatsPurchased, now: Date()) else {
            throw APIFailure.conflict("More seats are in use than \(body.seatsPurchased); remove users first", code: .seatsExhausted)
        }
        return try json(tenant)
    }
}
