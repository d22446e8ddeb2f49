import LMSKit
import SQLKit
import Vapor

func routes(_ app: Application) throws {
    app.get("healthz") { req async throws -> Response in
        _ = try await req.sql.raw("SELECT 1 AS ok").first()
        let flavor = SQLFlavor(req.sql)
        return try json(HealthResponse(status: "ok", database: flavor == .postgres ? "postgresql" : "sqlite", version: ServerVersion.current))
    }

    let api = app.grouped("api", "v1")
    AuthController().boot(api)

    let authenticated = api.grouped(BearerAuthMiddleware())
    MeController().boot(authenticated)
    CatalogController().boot(authenticated)
    LearningController().boot(authenticated)
    PurchaseController().boot(authenticated: authenticated, open: api)
    SyncController().boot(authenticated)
    InstructorController().boot(authenticated)
    AdminController().boot(authenticated)

    if app.payments is LocalTestPaymentProvider {
        TestCheckoutController().boot(app)
    }
}

enum ServerVersion {
    static let current = "0.1.0"
}

/// The local payment provider's checkout page: a development stand-in for Stripe Checkout.
/// Confirming it completes the purchase exactly as Stripe's webhook would.
struct TestCheckoutController {
    func boot(_ app: Application) {
        app.get("checkout", "test", ":session") { req -> Response in
            let session = req.parameters.get("session") ?? ""
            let html = """
                <!doctype html><title>Test checkout</title>
                <h1>Test checkout</h1><p>Session \(session.htmlEscaped). No money moves on this development server.</p>
                <form method="post" action="/checkout/test/\(session.htmlEscaped)/complete"><button>Pay</button></form>
                """
            return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: html))
        }
        app.post("checkout", "test", ":session", "complete") { req async throws -> Response in
            let session = req.parameters.get("session") ?? ""
            let completed = try await req.writeTransaction { db -> Purchase? in
                let sql = db as! any SQLDatabase
                let now = Date()
                guard let purchase = try await PurchaseStore(db: sql).complete(sessionID: session, paymentIntent: "pi_test_" + session, at: now) else {
                    return nil
                }
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
