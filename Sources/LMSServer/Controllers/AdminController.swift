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

    private func adminTenant(_ req: Request) throws -> UUID {
        let viewer = try req.principal
        guard viewer.role == .admin else { throw APIFailure.forbidden("Only administrators can do this") }
        guard let tenant = viewer.tenantID else { throw APIFailure.forbidden("This administrator belongs to no tenant") }
        return tenant
    }

    func listUsers(_ req: Request) async throws -> Response {
        let tenant = try adminTenant(req)
        let users = try await req.sql.raw("""
            SELECT \(unsafeRaw: Columns.user) FROM users u WHERE u.tenant_id = \(bind: tenant) AND u.deleted_at IS NULL ORDER BY u.email
            """).all().map(User.init(row:))
        return try json(ItemList(items: users))
    }

    /// Takes a seat atomically: the UPDATE only succeeds while seats remain.
    func createUser(_ req: Request) async throws -> Response {
        let tenant = try adminTenant(req)
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
            let sql = db.sql
            if try await sql.raw("SELECT id FROM users WHERE LOWER(email) = LOWER(\(bind: email))").first() != nil {
                throw APIFailure.conflict("A user with this email already exists")
            }
            try await takeSeat(tenant, sql: sql, now: now)
            try await sql.raw("""
                INSERT INTO users (id, email, password_hash, first_name, last_name, role, status, tenant_id, created_at, updated_at)
                VALUES (\(bind: user.id), \(bind: user.email), \(bind: hash), \(bind: user.firstName), \(bind: user.lastName),
                        \(bind: user.role.rawValue), \(bind: user.status.rawValue), \(bind: tenant), \(bind: now), \(bind: now))
                """).run()
        }
        return try json(user, status: .created)
    }

    func updateUser(_ req: Request) async throws -> Response {
        let tenant = try adminTenant(req)
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
        let now = Date()
        let row = try await req.sql.raw("""
            UPDATE users AS u SET role = COALESCE(\(bind: body.role?.rawValue), role), status = COALESCE(\(bind: body.status?.rawValue), status),
                   updated_at = \(bind: now)
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenant) AND deleted_at IS NULL
            RETURNING \(unsafeRaw: Columns.returning(Columns.user, alias: "u"))
            """).first()
        guard let row else { throw APIFailure.notFound("User") }
        return try json(try User(row: row))
    }

    /// Soft delete: the user can no longer sign in, their seat is freed, their records stay.
    func deleteUser(_ req: Request) async throws -> HTTPStatus {
        let tenant = try adminTenant(req)
        let id = try req.uuidParameter("user_id", what: "User")
        guard id != (try req.principal.userID) else { throw APIFailure.conflict("Administrators cannot delete themselves") }
        try await req.writeTransaction { db in
            let sql = db.sql
            let now = Date()
            let deleted = try await sql.raw("""
                UPDATE users SET deleted_at = \(bind: now), updated_at = \(bind: now)
                WHERE id = \(bind: id) AND tenant_id = \(bind: tenant) AND deleted_at IS NULL RETURNING id
                """).all()
            guard !deleted.isEmpty else { throw APIFailure.notFound("User") }
            try await sql.raw("UPDATE tenants SET seats_used = seats_used - 1, updated_at = \(bind: now) WHERE id = \(bind: tenant) AND seats_used > 0").run()
            try await sql.raw("UPDATE refresh_tokens SET revoked_at = \(bind: now) WHERE user_id = \(bind: id) AND revoked_at IS NULL").run()
        }
        return .noContent
    }

    func listGroups(_ req: Request) async throws -> Response {
        let tenant = try adminTenant(req)
        let groups = try await req.sql.raw("""
            SELECT \(unsafeRaw: Columns.group) FROM groups g WHERE g.tenant_id = \(bind: tenant) AND g.deleted_at IS NULL ORDER BY g.name
            """).all().map(Group.init(row:))
        return try json(ItemList(items: groups))
    }

    func createGroup(_ req: Request) async throws -> Response {
        let tenant = try adminTenant(req)
        let body = try req.decodeBody(CreateGroupRequest.self)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        guard (1...255).contains(name.count) else { throw APIFailure.validation("name must have 1 to 255 characters") }
        let now = Date()
        let group = Group(id: UUID(), tenantID: tenant, name: name, description: body.description, createdAt: now, updatedAt: now)
        try await req.sql.raw("""
            INSERT INTO groups (id, tenant_id, name, description, created_at, updated_at)
            VALUES (\(bind: group.id), \(bind: tenant), \(bind: group.name), \(bind: group.description), \(bind: now), \(bind: now))
            """).run()
        return try json(group, status: .created)
    }

    func deleteGroup(_ req: Request) async throws -> HTTPStatus {
        let tenant = try adminTenant(req)
        let id = try req.uuidParameter("group_id", what: "Group")
        let now = Date()
        let rows = try await req.sql.raw("""
            UPDATE groups SET deleted_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenant) AND deleted_at IS NULL RETURNING id
            """).all()
        guard !rows.isEmpty else { throw APIFailure.notFound("Group") }
        return .noContent
    }

    func addMember(_ req: Request) async throws -> HTTPStatus {
        let (groupID, userID) = try await membership(req)
        try await req.sql.raw("""
            INSERT INTO user_groups (user_id, group_id) VALUES (\(bind: userID), \(bind: groupID)) ON CONFLICT DO NOTHING
            """).run()
        return .noContent
    }

    func removeMember(_ req: Request) async throws -> HTTPStatus {
        let (groupID, userID) = try await membership(req)
        try await req.sql.raw("DELETE FROM user_groups WHERE user_id = \(bind: userID) AND group_id = \(bind: groupID)").run()
        return .noContent
    }

    /// Both the group and the user must belong to the admin's tenant.
    private func membership(_ req: Request) async throws -> (UUID, UUID) {
        let tenant = try adminTenant(req)
        let groupID = try req.uuidParameter("group_id", what: "Group")
        let userID = try req.uuidParameter("user_id", what: "User")
        guard try await req.sql.raw("SELECT id FROM groups WHERE id = \(bind: groupID) AND tenant_id = \(bind: tenant) AND deleted_at IS NULL").first() != nil else {
            throw APIFailure.notFound("Group")
        }
        guard try await req.sql.raw("SELECT id FROM users WHERE id = \(bind: userID) AND tenant_id = \(bind: tenant) AND deleted_at IS NULL").first() != nil else {
            throw APIFailure.notFound("User")
        }
        return (groupID, userID)
    }

    /// The tenant's purchases: its licences and its members' own.
    func listPurchases(_ req: Request) async throws -> Response {
        let tenant = try adminTenant(req)
        let purchases = try await req.sql.raw("""
            SELECT \(unsafeRaw: Columns.purchase) FROM purchases p
            WHERE p.tenant_id = \(bind: tenant) OR p.user_id IN (SELECT id FROM users WHERE tenant_id = \(bind: tenant))
            ORDER BY p.created_at, p.id
            """).all().map(Purchase.init(row:))
        return try json(ItemList(items: purchases))
    }

    func tenant(_ req: Request) async throws -> Response {
        let tenant = try adminTenant(req)
        guard let found = try await UserStore(db: req.sql).tenant(id: tenant) else { throw APIFailure.notFound("Tenant") }
        return try json(found)
    }

    func updateSeats(_ req: Request) async throws -> Response {
        let tenant = try adminTenant(req)
        let body = try req.decodeBody(UpdateSeatsRequest.self)
        guard body.seatsPurchased >= 1 else { throw APIFailure.validation("seats_purchased must be at least 1") }
        let row = try await req.sql.raw("""
            UPDATE tenants AS t SET seats_purchased = \(bind: body.seatsPurchased), updated_at = \(bind: Date())
            WHERE id = \(bind: tenant) AND seats_used <= \(bind: body.seatsPurchased)
            RETURNING \(unsafeRaw: Columns.returning(Columns.tenant, alias: "t"))
            """).first()
        guard let row else {
            throw APIFailure.conflict("More seats are in use than \(body.seatsPurchased); remove users first", code: .seatsExhausted)
        }
        return try json(try Tenant(row: row))
    }
}

/// Takes one seat of a tenant, or fails with 409 when all are used.
func takeSeat(_ tenant: UUID, sql: any SQLDatabase, now: Date) async throws {
    let taken = try await sql.raw("""
        UPDATE tenants SET seats_used = seats_used + 1, updated_at = \(bind: now)
        WHERE id = \(bind: tenant) AND seats_used < seats_purchased RETURNING id
        """).all()
    guard !taken.isEmpty else {
        throw APIFailure.conflict("All seats of this tenant are in use; buy more seats or remove a user", code: .seatsExhausted)
    }
}
