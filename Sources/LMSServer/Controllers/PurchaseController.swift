import Foundation
import LMSKit
import SQLKit
import Vapor

/// Buying courses, and the payment provider's webhook that completes a paid purchase.
struct PurchaseController {
    func boot(authenticated: any RoutesBuilder, open: any RoutesBuilder) {
        authenticated.get("purchases", use: list)
        authenticated.post("purchases", use: checkout)
        open.post("webhooks", "stripe", use: stripeWebhook)
    }

    func list(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        return try json(ItemList(items: try await LearnerStore(db: req.sql).ownPurchases(userID: viewer.userID)))
    }

    /// A free course is owned at once; a paid one gets a pending purchase and a checkout URL
    /// (201), or the checkout the buyer opened before while it can still be paid (200).
    func checkout(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let body = try req.decodeBody(CheckoutRequest.self)
        try await AccountStatus(db: req.sql).requireActive(viewer)
        let courses = CourseStore(db: req.sql)
        guard let course = try await courses.course(id: body.courseID, viewer: viewer), course.status == .published else {
            throw APIFailure.notFound("Course")
        }
        if try await courses.isOwned(courseID: course.id, viewer: viewer) {
            throw APIFailure.conflict("You already own '\(course.title)'")
        }
        guard let user = try await UserStore(db: req.sql).user(id: viewer.userID) else { throw APIFailure.unauthorized() }
        let payments = req.application.payments
        let linkBase = req.publicBaseURL
        // A checkout already opened for this course is continued, not doubled.
        if !course.isFree, let open = try await PurchaseStore(db: req.sql).openCheckout(userID: viewer.userID, courseID: course.id),
           let session = open.stripeCheckoutSessionID, let url = try await payments.openCheckoutURL(sessionID: session, linkBase: linkBase) {
            return try json(CheckoutResponse(purchase: open, checkoutURL: url), status: .ok)
        }
        let now = Date()
        var purchase = Purchase(
            id: UUID(), userID: viewer.userID, courseID: course.id, tenantID: nil, amount: course.price,
            currency: course.currency, status: course.isFree ? .completed : .pending,
            purchasedAt: course.isFree ? now : nil, createdAt: now, updatedAt: now)
        var checkoutURL: String?
        if !course.isFree {
            let session = try await payments.createCheckout(purchaseID: purchase.id, course: course, customerEmail: user.email, linkBase: linkBase)
            purchase.stripeCheckoutSessionID = session.sessionID
            checkoutURL = session.url
        }
        let newPurchase = purchase
        try await req.writeTransaction { db in
            let sql = db.sql
            let purchase = newPurchase
            try await PurchaseStore(db: sql).insert(purchase)
            try await ChangeLog(db: sql).record(.purchase, id: purchase.id, userID: viewer.userID, at: now)
            if purchase.status == .completed {
                try await PurchaseStore(db: sql).logNewlyOwnedContent(purchase, at: now)
            }
        }
        return try json(CheckoutResponse(purchase: purchase, checkoutURL: checkoutURL), status: .created)
    }

    /// Stripe calls this when a checkout completes. Verified by signature (without a configured
    /// secret nothing is accepted), each event handled once by its id, and a session completes a
    /// purchase only once it is paid.
    func stripeWebhook(_ req: Request) async throws -> Response {
        guard let secret = req.application.lmsSettings.stripeWebhookSecret else {
            throw APIFailure(status: .serviceUnavailable, code: .unavailable, message: "This server accepts no payment webhooks (STRIPE_WEBHOOK_SECRET is not set)")
        }
        let payload = Data(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        guard StripeSignatureVerifier(secret: secret).verify(header: req.headers.first(name: "Stripe-Signature"), payload: payload) else {
            throw APIFailure(status: .badRequest, code: .signatureInvalid, message: "The Stripe-Signature header does not match this payload")
        }
        struct Event: Decodable {
            struct DataObject: Decodable {
                struct Session: Decodable {
                    let id: String
                    let payment_intent: String?
                    let payment_status: String?
                }
                let object: Session
            }
            let id: String
            let type: String
            let data: DataObject
        }
        guard let event = try? JSONDecoder().decode(Event.self, from: payload) else {
            throw APIFailure(status: .badRequest, code: .invalidJSON, message: "The event is not a Stripe event object")
        }
        let session = event.data.object
        // `completed` can arrive before an asynchronous payment (a bank debit) has cleared; its
        // `async_payment_succeeded` follows then.
        let paid = (event.type == "checkout.session.completed" && session.payment_status == "paid")
            || event.type == "checkout.session.async_payment_succeeded"
        try await req.writeTransaction { db in
            let sql = db.sql
            let now = Date()
            guard try await PurchaseStore(db: sql).markHandled(eventID: event.id, type: event.type, at: now), paid else { return }
            if let purchase = try await PurchaseStore(db: sql).complete(sessionID: session.id, buyer: nil, paymentIntent: session.payment_intent, at: now) {
                try await ChangeLog(db: sql).record(.purchase, id: purchase.id, userID: purchase.userID, at: now)
                try await PurchaseStore(db: sql).logNewlyOwnedContent(purchase, at: now)
            }
        }
        return try json(["received": true])
    }
}
