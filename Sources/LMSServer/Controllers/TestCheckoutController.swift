import Foundation
import LMSKit
import Vapor

/// The local payment provider's checkout page: a development stand-in for Stripe Checkout,
/// mounted only when the server runs as development without a Stripe key. The page's "Pay
/// (test)" button posts a form whose token is bound to the checkout session, and completes the
/// purchase exactly as Stripe's webhook would; an API client may instead post to `complete`
/// with the buyer's own session.
struct TestCheckoutController {
    func boot(_ app: Application) {
        app.get("checkout", "test", ":session", use: page)
        app.post("checkout", "test", ":session", "pay", use: pay)
        app.grouped(BearerAuthMiddleware()).post("checkout", "test", ":session", "complete") { req async throws -> Response in
            let session = req.parameters.get("session") ?? ""
            let buyer = try req.principal
            try await AccountStatus(db: req.sql).requireActive(buyer)
            guard let completed = try await complete(session: session, buyer: buyer.userID, req) else { throw APIFailure.notFound("Pending checkout") }
            return try json(completed)
        }
    }

    private var provider: (Request) -> LocalTestPaymentProvider? { { $0.application.payments as? LocalTestPaymentProvider } }

    func page(_ req: Request) async throws -> Response {
        let session = req.parameters.get("session") ?? ""
        guard let provider = provider(req), let purchase = try await PurchaseStore(db: req.sql).purchase(sessionID: session),
              let course = try await CourseStore(db: req.sql).course(id: purchase.courseID)
        else {
            return Self.html("Checkout not found", "<p>This checkout does not exist on this server.</p>", status: .notFound)
        }
        let what = "<p><strong>\(course.title.htmlEscaped)</strong> · \(purchase.currency.display(purchase.amount).htmlEscaped)</p>"
        guard purchase.status == .pending else {
            return Self.html("Already paid", what + "<p>This checkout is paid. Go back to lms and sync (<kbd>s</kbd>, or <code>lms sync</code>).</p>")
        }
        let form = """
            <form method="post" action="/checkout/test/\(session.htmlEscaped)/pay">
            <input type="hidden" name="token" value="\(provider.formToken(session: session))">
            <button type="submit">Pay (test)</button>
            </form>
            """
        return Self.html("Test checkout", what + "<p>No money moves on this development server.</p>" + form)
    }

    /// The "Pay (test)" form: a browser's POST, token bound to the session.
    func pay(_ req: Request) async throws -> Response {
        let session = req.parameters.get("session") ?? ""
        struct Form: Content { let token: String? }
        let token = (try? req.content.decode(Form.self, as: .urlEncodedForm))?.token ?? ""
        guard let provider = provider(req), provider.isValid(formToken: token, session: session) else {
            return Self.html("Not paid", "<p>This payment form is not valid for this checkout: open the checkout page again.</p>", status: .forbidden)
        }
        guard let purchase = try await complete(session: session, buyer: nil, req) else {
            return Self.html("Already paid", "<p>This checkout was paid already, or does not exist. Go back to lms and sync.</p>", status: .conflict)
        }
        let course = try await CourseStore(db: req.sql).course(id: purchase.courseID)
        return Self.html("Paid", """
            <p>Paid (test): <strong>\((course?.title ?? "the course").htmlEscaped)</strong> is yours.</p>
            <p>Go back to lms and sync (<kbd>s</kbd>, or <code>lms sync</code>): the course unlocks.</p>
            """)
    }

    private func complete(session: String, buyer: UUID?, _ req: Request) async throws -> Purchase? {
        try await req.writeTransaction { db -> Purchase? in
            let sql = db.sql
            let now = Date()
            guard let purchase = try await PurchaseStore(db: sql)
                .complete(sessionID: session, buyer: buyer, paymentIntent: "pi_test_" + session, at: now) else { return nil }
            try await ChangeLog(db: sql).record(.purchase, id: purchase.id, userID: purchase.userID, at: now)
            try await PurchaseStore(db: sql).logNewlyOwnedContent(purchase, at: now)
            return purchase
        }
    }

    static func html(_ title: String, _ body: String, status: HTTPResponseStatus = .ok) -> Response {
        let page = """
            <!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>\(title.htmlEscaped)</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em}button{font-size:1.2em;padding:.4em 1.2em}</style>
            <h1>\(title.htmlEscaped)</h1>\(body)</html>
            """
        return Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: page))
    }
}

extension String {
    var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
