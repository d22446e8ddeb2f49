import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Purchases and the Stripe webhook")
struct PurchaseTests {
    @Test("A free course is owned at once; an owned course cannot be bought again", arguments: TestDatabase.all)
    func freeCourse(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let japanese = try await server.courseID("japanese-for-beginners")
            let response = try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: japanese))
            #expect(response.status == .created)
            let checkout = try response.decode(CheckoutResponse.self)
            #expect(checkout.purchase.status == .completed && checkout.purchase.purchasedAt != nil)
            #expect(checkout.purchase.amount == 0 && checkout.purchase.currency == .eur)
            #expect(checkout.checkoutURL == nil)
            #expect(!allKeys(in: response.json).contains("checkout_url"))
            #expect(((response.json as? [String: Any])?["purchase"] as? [String: Any])?["amount"] as? String == "0.00")

            expectError(try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: japanese)), .conflict, "conflict")
            expectError(
                try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: try await server.courseID("terminal-mastery"))),
                .conflict, "conflict")
            // Drafts and unknown courses cannot be bought.
            expectError(
                try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: try await server.courseID("advanced-concurrency"))),
                .notFound, "not_found")
            expectError(try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: UUID())), .notFound, "not_found")

            let list = try await server.get("/api/v1/purchases", token: token).decode(ItemList<Purchase>.self)
            #expect(Set(list.items.map(\.courseID)) == [japanese, try await server.courseID("terminal-mastery")])
        }
    }

    @Test("A paid course is pending until the signed webhook completes it", arguments: TestDatabase.all)
    func paidCourse(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let course = try await server.courseID("databases-in-depth")
            let keys = try await server.lessonID("Keys and constraints")
            expectError(try await server.get("/api/v1/lessons/\(keys)", token: token), .forbidden, "purchase_required")

            let response = try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: course))
            #expect(response.status == .created)
            let checkout = try response.decode(CheckoutResponse.self)
            #expect(checkout.purchase.status == .pending && checkout.purchase.purchasedAt == nil)
            #expect(checkout.purchase.amount == 49)
            let url = try #require(checkout.checkoutURL)
            #expect(url.hasPrefix(server.baseURL + "/checkout/test/"))
            let session = try #require(checkout.purchase.stripeCheckoutSessionID)
            // The development checkout page exists; the purchase is still pending.
            #expect(try await server.get(String(url.dropFirst(server.baseURL.count))).status == .ok)
            expectError(try await server.get("/api/v1/lessons/\(keys)", token: token), .forbidden, "purchase_required")

            let event = StripeTestSigner.checkoutCompleted(session: session)
            let hook = try await server.postWebhook(event)
            #expect(hook.status == .ok, "\(hook.text)")
            #expect((hook.json as? [String: Any])?["received"] as? Bool == true)

            let purchases = try await server.get("/api/v1/purchases", token: token).decode(ItemList<Purchase>.self).items
            let bought = try #require(purchases.first { $0.id == checkout.purchase.id })
            #expect(bought.status == .completed && bought.purchasedAt != nil && bought.stripePaymentIntentID == "pi_test_123")
            // The course is owned: its lessons open (in order).
            try await server.complete([try await server.lessonID("Why relational?")], token: token)
            let opened = try await server.get("/api/v1/lessons/\(keys)", token: token)
            #expect(opened.status == .ok)
            #expect(try opened.decode(LessonContent.self).body?.contains("primary key") == true)
            #expect(try await server.get("/api/v1/courses/databases-in-depth", token: token).decode(CourseOutlineResponse.self).owned)

            // Stripe redelivers: acknowledged, nothing changes.
            let again = try await server.postWebhook(event)
            #expect(again.status == .ok)
            let after = try await server.get("/api/v1/purchases", token: token).decode(ItemList<Purchase>.self).items
            #expect(after == purchases)
            expectError(try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: course)), .conflict, "conflict")

            // Events of other types are acknowledged and ignored.
            let other = Data(#"{"id":"evt_2","type":"customer.created","data":{"object":{"id":"cus_1"}}}"#.utf8)
            #expect(try await server.postWebhook(other).status == .ok)
        }
    }

    @Test("Forged, stale and missing signatures are 400 signature_invalid", arguments: TestDatabase.all)
    func badSignatures(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let checkout = try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: try await server.courseID("databases-in-depth")))
                .decode(CheckoutResponse.self)
            let session = try #require(checkout.purchase.stripeCheckoutSessionID)
            let event = StripeTestSigner.checkoutCompleted(session: session)
            let now = Int(Date().timeIntervalSince1970)

            expectError(try await server.postWebhook(event, signature: .valid(secret: "whsec_someone_else")), .badRequest, "signature_invalid")
            expectError(try await server.postWebhook(event, signature: .valid(timestamp: now - 400)), .badRequest, "signature_invalid")
            expectError(try await server.postWebhook(event, signature: .valid(timestamp: now + 400)), .badRequest, "signature_invalid")
            expectError(try await server.postWebhook(event, signature: .missing), .badRequest, "signature_invalid")
            expectError(try await server.postWebhook(event, signature: .header("garbage")), .badRequest, "signature_invalid")
            expectError(try await server.postWebhook(event, signature: .header("t=\(now),v1=")), .badRequest, "signature_invalid")
            // A valid signature of a different body.
            let signedOther = StripeTestSigner.header(secret: server.webhookSecret, timestamp: now, payload: Data("{}".utf8))
            expectError(try await server.postWebhook(event, signature: .header(signedOther)), .badRequest, "signature_invalid")
            // A signed body that is not an event is refused, but not as a signature problem.
            let junk = Data("not json".utf8)
            expectError(try await server.postWebhook(junk), .badRequest, "invalid_json")

            let purchases = try await server.get("/api/v1/purchases", token: token).decode(ItemList<Purchase>.self).items
            #expect(purchases.first { $0.id == checkout.purchase.id }?.status == .pending)

            // Several v1 entries: one matching is enough.
            let good = StripeTestSigner.header(secret: server.webhookSecret, timestamp: now, payload: event)
            let multi = "t=\(now),v1=\(String(repeating: "0", count: 64)),\(good.split(separator: ",")[1])"
            #expect(try await server.postWebhook(event, signature: .header(multi)).status == .ok)
        }
    }
}
