import Foundation
import LMSKit
import Vapor

/// The local payment provider's checkout page: a development stand-in for Stripe Checkout,
/// mounted only when the server runs as development without a Stripe key. Confirming it needs
/// the buyer's own session and completes the purchase exactly as Stripe's webhook would.
struct TestCheckoutController {
    func boot(_ app: Application) {
        app.get("checkout", "test", ":session") { req -> Response in
            let session = req.parameters.get("session") ?? ""
            let html = """
                <!doctype html><title>Test checkout</title>
                <h1>Test checkout</h1><p>Session \(session.htmlEscaped). No money moves on this development server.</p>
                <p>Confirm it as the buyer: <code>POST /checkout/test/\(session.htmlEscaped)/complete</code> with the buyer's
                <code>Authorization: Bearer</code> token.</p>
                """
            return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: html))
        }
        app.grouped(BearerAuthMiddleware()).post("checkout", "test", ":session", "complete") { req async throws -> Response in
            let session = req.parameters.get("session") ?? ""
            let buyer = try req.principal
            try await AccountStatus(db: req.sql).requireActive(buyer)
            let completed = try await req.writeTransaction { db -> Purchase? in
                let sql = db.sql
                let now = Date()
                guard let purchase = try await PurchaseStore(db: sql)
                    .complete(sessionID: session, buyer: buyer.userID, paymentIntent: "pi_test_" + session, at: now) else { return nil }
                try await ChangeLog(db: sql).record(.purchase, id: purchase.id, userID: purchase.userID, at: now)
                try await PurchaseStore(db: sql).logNewlyOwnedContent(purchase, at: now)
                return purchase
            }
            guard let completed else { throw APIFailure.notFound("Pending checkout") }
            return try json(completed)
        }
    }
}

extension String {
    var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
