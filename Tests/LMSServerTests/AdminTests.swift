import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Administration")
struct AdminTests {
    @Test("Users take seats, never more than were bought", arguments: TestDatabase.all)
    func seats(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let admin = try await server.token(DemoAccounts.admin)
            func tenant() async throws -> Tenant { try await server.get("/api/v1/admin/tenant", token: admin).decode(Tenant.self) }
            var current = try await tenant()
            #expect(current.id == server.demo.tenantID)
            #expect(current.seatsPurchased == 50 && current.seatsUsed == 3)

            let carol = try await server.createUser("carol@demo.lms")
            #expect(carol.tenantID == server.demo.tenantID && carol.status == .active && carol.role == .learner)
            current = try await tenant()
            #expect(current.seatsUsed == 4)
            let users = try await server.get("/api/v1/admin/users", token: admin).decode(ItemList<User>.self).items
            #expect(users.map(\.email).contains("carol@demo.lms"))
            #expect(!allKeys(in: try await server.get("/api/v1/admin/users", token: admin).json).contains("password_hash"))

            // No seat left.
            let patched = try await server.patch("/api/v1/admin/tenant", token: admin, body: UpdateSeatsRequest(seatsPurchased: 4))
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try patched.decode(Tenant.self).seatsPurchased == 4)
            let refused = try await server.post(
                "/api/v1/admin/users", token: admin,
                body: CreateUserRequest(email: "dave@demo.lms", password: "long-enough", firstName: "Dave", lastName: "D"))
            expectError(refused, .conflict, "seats_exhausted")
            current = try await tenant()
            #expect(current.seatsUsed == 4 && current.seatsUsed <= current.seatsPurchased)
            expectError(try await server.post("/api/v1/auth/login", body: LoginRequest(email: "dave@demo.lms", password: "long-enough")), .unauthorized, "invalid_credentials")
            // Seats cannot drop below what is in use.
            expectError(try await server.patch("/api/v1/admin/tenant", token: admin, body: UpdateSeatsRequest(seatsPurchased: 3)), .conflict, "seats_exhausted")
            expectError(try await server.patch("/api/v1/admin/tenant", token: admin, body: UpdateSeatsRequest(seatsPurchased: 0)), .unprocessableEntity, "validation_failed")

            // Deleting a user frees a seat; they cannot sign in any more.
            let carolTokens = try await server.login("carol@demo.lms")
            #expect(try await server.delete("/api/v1/admin/users/\(carol.id)", token: admin).status == .noContent)
            #expect(try await tenant().seatsUsed == 3)
            expectError(try await server.post("/api/v1/auth/login", body: LoginRequest(email: "carol@demo.lms", password: DemoAccounts.password)), .unauthorized, "invalid_credentials")
            expectError(try await server.post("/api/v1/auth/refresh", body: RefreshRequest(refreshToken: carolTokens.refreshToken)), .unauthorized, "unauthorized")
            expectError(try await server.delete("/api/v1/admin/users/\(carol.id)", token: admin), .notFound, "not_found")
            #expect(try await server.userEmails(admin: admin).contains("carol@demo.lms") == false)

            // The freed seat can be used again.
            let dave = try await server.post(
                "/api/v1/admin/users", token: admin,
                body: CreateUserRequest(email: "dave@demo.lms", password: "long-enough", firstName: "Dave", lastName: "D", role: .instructor))
            #expect(dave.status == .created)
            #expect(try await tenant().seatsUsed == 4)
            #expect(try await server.login("dave@demo.lms", password: "long-enough").user.role == .instructor)
        }
    }

    @Test("User creation validates its input", arguments: TestDatabase.all)
    func createValidation(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let admin = try await server.token(DemoAccounts.admin)
            func create(_ email: String, _ password: String = "long-enough", first: String = "A", last: String = "B") async throws -> TestResponse {
                try await server.post("/api/v1/admin/users", token: admin, body: CreateUserRequest(email: email, password: password, firstName: first, lastName: last))
            }
            expectError(try await create(DemoAccounts.learner), .conflict, "conflict")
            expectError(try await create(DemoAccounts.learner.uppercased()), .conflict, "conflict")
            expectError(try await create("not-an-email"), .unprocessableEntity, "validation_failed")
            expectError(try await create("e@demo.lms", "short"), .unprocessableEntity, "validation_failed")
            expectError(try await create("e@demo.lms", first: ""), .unprocessableEntity, "validation_failed")
            expectError(try await create("e@demo.lms", last: String(repeating: "x", count: 101)), .unprocessableEntity, "validation_failed")
            expectError(try await server.patch("/api/v1/admin/users/\(server.demo.learnerID)", token: admin, body: ["role": "emperor"]), .unprocessableEntity, "validation_failed")
            // An admin cannot delete themselves.
            expectError(try await server.delete("/api/v1/admin/users/\(server.demo.adminID)", token: admin), .conflict, "conflict")
            #expect(try await server.get("/api/v1/admin/tenant", token: admin).decode(Tenant.self).seatsUsed == 3)
        }
    }

    @Test("Groups and membership", arguments: TestDatabase.all)
    func groups(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let admin = try await server.token(DemoAccounts.admin)
            let learner = try await server.token(DemoAccounts.learner)
            let created = try await server.post("/api/v1/admin/groups", token: admin, body: CreateGroupRequest(name: "  Night school  ", description: "Evenings"))
            #expect(created.status == .created)
            let group = try created.decode(LMSKit.Group.self)
            #expect(group.name == "Night school" && group.tenantID == server.demo.tenantID && group.description == "Evenings")
            expectError(try await server.post("/api/v1/admin/groups", token: admin, body: CreateGroupRequest(name: "   ")), .unprocessableEntity, "validation_failed")
            func names() async throws -> [String] {
                try await server.get("/api/v1/admin/groups", token: admin).decode(ItemList<LMSKit.Group>.self).items.map(\.name)
            }
            #expect(try await names() == ["Cohort 2026", "Night school"])

            let members = "/api/v1/admin/groups/\(group.id)/members/\(server.demo.learnerID)"
            #expect(try await server.request(.PUT, members, token: admin).status == .noContent)
            #expect(try await server.request(.PUT, members, token: admin).status == .noContent)  // idempotent
            var me = try await server.get("/api/v1/me", token: learner).decode(MeResponse.self)
            #expect(me.groups.map(\.name) == ["Cohort 2026", "Night school"])
            #expect(try await server.delete(members, token: admin).status == .noContent)
            me = try await server.get("/api/v1/me", token: learner).decode(MeResponse.self)
            #expect(me.groups.map(\.name) == ["Cohort 2026"])
            expectError(try await server.request(.PUT, "/api/v1/admin/groups/\(group.id)/members/\(UUID())", token: admin), .notFound, "not_found")

            #expect(try await server.delete("/api/v1/admin/groups/\(group.id)", token: admin).status == .noContent)
            #expect(try await names() == ["Cohort 2026"])
            expectError(try await server.delete("/api/v1/admin/groups/\(group.id)", token: admin), .notFound, "not_found")
            expectError(try await server.request(.PUT, members, token: admin), .notFound, "not_found")
        }
    }

    @Test("A suspension takes effect at once, even for a token issued before it", arguments: TestDatabase.all)
    func suspensionIsImmediate(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let learner = try await server.token(DemoAccounts.learner)
            let firstLesson = try await server.lessonIDs(ofCourse: "swift-fundamentals")[0]
            #expect(try await server.get("/api/v1/lessons/\(firstLesson)", token: learner).status == .ok)
            let admin = try await server.token(DemoAccounts.admin)
            let suspended = try await server.patch(
                "/api/v1/admin/users/\(server.demo.learnerID)", token: admin, body: UpdateUserRequest(status: .suspended))
            #expect(suspended.status == .ok)
            let refused = try await server.get("/api/v1/lessons/\(firstLesson)", token: learner)
            expectError(refused, .forbidden, "account_inactive")
            #expect(refused.text.contains("not active"))
        }
    }

    @Test("Learners and instructors cannot use the admin API", arguments: TestDatabase.all)
    func forbidden(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            for email in [DemoAccounts.learner, DemoAccounts.instructor] {
                let token = try await server.token(email)
                expectError(try await server.get("/api/v1/admin/users", token: token), .forbidden, "forbidden")
                expectError(try await server.get("/api/v1/admin/tenant", token: token), .forbidden, "forbidden")
                expectError(try await server.get("/api/v1/admin/groups", token: token), .forbidden, "forbidden")
                expectError(
                    try await server.post("/api/v1/admin/users", token: token, body: CreateUserRequest(email: "x@demo.lms", password: "long-enough", firstName: "X", lastName: "Y")),
                    .forbidden, "forbidden")
                expectError(try await server.patch("/api/v1/admin/users/\(server.demo.learnerID)", token: token, body: UpdateUserRequest(role: .admin)), .forbidden, "forbidden")
                expectError(try await server.patch("/api/v1/admin/tenant", token: token, body: UpdateSeatsRequest(seatsPurchased: 1000)), .forbidden, "forbidden")
                expectError(try await server.post("/api/v1/admin/groups", token: token, body: CreateGroupRequest(name: "mine")), .forbidden, "forbidden")
                expectError(try await server.delete("/api/v1/admin/users/\(server.demo.adminID)", token: token), .forbidden, "forbidden")
            }
            expectError(try await server.get("/api/v1/admin/users"), .unauthorized, "unauthorized")
            let admin = try await server.token(DemoAccounts.admin)
            #expect(try await server.get("/api/v1/admin/tenant", token: admin).decode(Tenant.self).seatsPurchased == 50)
            #expect(try await server.get("/api/v1/admin/users", token: admin).decode(ItemList<User>.self).items.count == 3)
        }
    }
}

extension TestServer {
    fileprivate func userEmails(admin: String) async throws -> [String] {
        try await get("/api/v1/admin/users", token: admin).decode(ItemList<User>.self).items.map(\.email)
    }
}
