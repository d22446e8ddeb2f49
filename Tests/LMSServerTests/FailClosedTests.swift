import Foundation
import LMSTestSupport
import LMSKit
import SQLKit
import Testing
import Vapor

@testable import LMSServer

/// The server as an operator starts it: production unless told otherwise, refusing to run
/// without its keys, and no development convenience reachable there.
@Suite("Fails closed")
struct FailClosedTests {
    static let key = TokenSigningKey(id: "k1", secret: String(repeating: "0123456789abcdef", count: 2))

    @Test("Without a word about the mode, the server runs as production")
    func productionByDefault() throws {
        var arguments = ["lms-server", "serve"]
        #expect(try ServerSettings.fromEnvironment([:], arguments: &arguments).mode == .production)
        #expect(try ServerSettings.fromEnvironment(["LMS_ENV": "development"], arguments: &arguments).mode == .development)
        var flagged = ["lms-server", "serve", "--env", "development"]
        #expect(try ServerSettings.fromEnvironment(["LMS_ENV": "production"], arguments: &flagged).mode == .development)
        #expect(throws: ConfigurationError.self) { try ServerSettings.fromEnvironment(["LMS_ENV": "staging"], arguments: &arguments) }
        #expect(throws: ConfigurationError.self) { try ServerSettings.fromEnvironment(["PORT": "eighty"], arguments: &arguments) }
    }

    @Test("Production refuses to start without a token key of 32 bytes, or with Stripe but no webhook secret")
    func productionNeedsKeys() throws {
        var settings = ServerSettings(mode: .production, database: .sqliteInMemory, autoMigrate: false)
        #expect(throws: ConfigurationError.self) { try settings.validate() }
        settings.signingKey = TokenSigningKey(id: "short", secret: "too-short-for-hs256")
        #expect(throws: ConfigurationError.self) { try settings.validate() }
        settings.signingKey = Self.key
        try settings.validate()
        settings.previousKey = TokenSigningKey(id: "k1", secret: Self.key.secret + "x")
        #expect(throws: ConfigurationError.self, "the previous key needs its own id") { try settings.validate() }
        settings.previousKey = nil
        settings.stripeSecretKey = "sk_from_the_environment"
        #expect(throws: ConfigurationError.self) { try settings.validate() }
        settings.stripeWebhookSecret = "whsec_from_the_environment"
        try settings.validate()

        var development = ServerSettings(mode: .development, database: .sqliteInMemory, autoMigrate: false)
        try development.validate()
        #expect((development.signingKey?.secret.utf8.count ?? 0) >= 32, "development makes up a random key")
        #expect(development.usesTestCheckout && !settings.usesTestCheckout)
    }

    @Test("Production mounts no test checkout and sells no paid course without Stripe", arguments: TestDatabase.all)
    func productionHasNoTestCheckout(_ database: TestDatabase) async throws {
        try await withTestServer(database, settings: { $0.mode = .production; $0.signingKey = Self.key }) { server in
            let token = try await server.token(DemoAccounts.learner)
            let checkout = try await server.post(
                "/api/v1/purchases", token: token, body: CheckoutRequest(courseID: try await server.courseID("databases-in-depth")))
            expectError(checkout, .serviceUnavailable, "service_unavailable")
            expectError(try await server.get("/checkout/test/cs_test_anything"), .notFound, "not_found")
            expectError(try await server.post("/checkout/test/cs_test_anything/complete", token: token), .notFound, "not_found")
            #expect(try await server.count("purchases", where: "status = 'completed' AND user_id = \(bind: server.demo.learnerID)") == 1)
        }
    }

    @Test("The test checkout completes only the buyer's own purchase, signed in", arguments: TestDatabase.all)
    func testCheckoutNeedsTheBuyer(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let checkout = try await server.post(
                "/api/v1/purchases", token: token, body: CheckoutRequest(courseID: try await server.courseID("databases-in-depth")))
                .decode(CheckoutResponse.self)
            let session = try #require(checkout.purchase.stripeCheckoutSessionID)
            let path = "/checkout/test/\(session)/complete"
            expectError(try await server.post(path), .unauthorized, "unauthorized")
            _ = try await server.createUser("someone@demo.lms")
            expectError(try await server.post(path, token: try await server.token("someone@demo.lms")), .notFound, "not_found")
            #expect(try await server.count("purchases", where: "id = \(bind: checkout.purchase.id) AND status = 'pending'") == 1)
            let completed = try await server.post(path, token: token)
            #expect(completed.status == .ok)
            #expect(try completed.decode(Purchase.self).status == .completed)
            expectError(try await server.post(path, token: token), .notFound, "not_found")
        }
    }

    @Test("No webhook is accepted without a secret; a replayed or unpaid event completes nothing", arguments: TestDatabase.all)
    func webhooksFailClosed(_ database: TestDatabase) async throws {
        try await withTestServer(database, settings: { $0.stripeWebhookSecret = nil }) { server in
            let session = try await Self.pendingCheckout(server)
            let forged = StripeTestSigner.header(secret: "", timestamp: Int(Date().timeIntervalSince1970), payload: StripeTestSigner.checkoutCompleted(session: session))
            expectError(
                try await server.postWebhook(StripeTestSigner.checkoutCompleted(session: session), signature: .header(forged)),
                .serviceUnavailable, "service_unavailable")
            #expect(try await server.count("purchases", where: "stripe_checkout_session_id = \(bind: session) AND status = 'pending'") == 1)
        }
        try await withTestServer(database) { server in
            let session = try await Self.pendingCheckout(server)
            let pending: SQLQueryString = "stripe_checkout_session_id = \(bind: session) AND status = 'pending'"
            // Completed, but not paid yet (a bank debit still clearing): nothing owned.
            let unpaid = Data("""
                {"id":"evt_unpaid","object":"event","type":"checkout.session.completed",
                 "data":{"object":{"id":"\(session)","object":"checkout.session","payment_status":"unpaid"}}}
                """.utf8)
            #expect(try await server.postWebhook(unpaid).status == .ok)
            #expect(try await server.count("purchases", where: pending) == 1)

            let event = StripeTestSigner.checkoutCompleted(session: session, eventID: "evt_paid_once")
            #expect(try await server.postWebhook(event).status == .ok)
            #expect(try await server.count("purchases", where: pending) == 0)
            // Refunded and set back by hand: the same event, signed again, must not complete it twice.
            try await server.sql.raw("UPDATE purchases SET status = 'pending' WHERE stripe_checkout_session_id = \(bind: session)").run()
            #expect(try await server.postWebhook(event).status == .ok)
            #expect(try await server.count("purchases", where: pending) == 1)
        }
    }

    /// A pending purchase of "Databases in Depth" by the demo learner; its checkout session.
    static func pendingCheckout(_ server: TestServer) async throws -> String {
        let token = try await server.token(DemoAccounts.learner)
        let response = try await server.post(
            "/api/v1/purchases", token: token, body: CheckoutRequest(courseID: try await server.courseID("databases-in-depth")))
        return try #require(try response.decode(CheckoutResponse.self).purchase.stripeCheckoutSessionID)
    }
}
