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

    /// A free course is owned at once; a paid one gets a pending purchase and a checkout URL.
    func checkout(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let body = try req.decodeBody(CheckoutRequest.self)
        let courses = CourseStore(db: req.sql)
        guard let course = try await courses.course(id: body.courseID, viewer: viewer), course.status == .published else {
            throw APIFailure.notFound("Course")
        }
        if try await courses.isOwned(courseID: course.id, viewer: viewer) {
            throw APIFailure.conflict("You already own '\(course.title)'")
        }
        guard let user = try await UserStore(db: req.sql).user(id: viewer.userID) else { throw APIFailure.unauthorized() }
        let now = Date()
        var purchase = Purchase(
            id: UUID(), userID: viewer.userID, courseID: course.id, tenantID: nil, amount: course.price,
            currency: course.currency, status: course.isFree ? .completed : .pending,
            purchasedAt: course.isFree ? now : nil, createdAt: now, updatedAt: now)
        var checkoutURL: String?
        if !course.isFree {
            let session = try await req.application.payments.createCheckout(purchaseID: purchase.id, course: course, customerEmail: user.email)
            purchase.stripeCheckoutSessionID = session.sessionID
            checkoutURL = session.url
        }
        let newPurchase = purchase
        try await req.writeTransaction { db in
            let sql = db as! any SQLDatabase
            let purchase = newPurchase
            try await PurchaseStore(db: sql).insert(purchase)
            try await ChangeLog(db: sql).record(.purchase, id: purchase.id, userID: viewer.userID, at: now)
            if purchase.status == .completed {
                try await PurchaseStore(db: sql).logNewlyOwnedContent(purchase, at: now)
            }
        }
        return try json(CheckoutResponse(purchase: purchase, checkoutURL: checkoutURL), status: .created)
    }

    /// Stripe calls this when a checkout completes. Verified by signature; completing the same
    /// session twice changes nothing.
    func stripeWebhook(_ req: Request) async throws -> Response {
        let payload = Data(req.body.data?.readableBytesView ?? ByteBuffer().readableBytesView)
        let verifier = StripeSignatureVerifier(secret: req.application.lmsSettings.stripeWebhookSecret)
        guard verifier.verify(header: req.headers.first(name: "Stripe-Signature"), payload: payload) else {
            throw APIFailure(status: .badRequest, code: .signatureInvalid, message: "The Stripe-Signature header does not match this payload")
        }
        struct Event: Decodable {
            struct DataObject: Decodable {
                struct Session: Decodable { let id: String; let payment_intent: String? }
                let object: Session
            }
            let type: String
            let data: DataObject
        }
        guard let event = try? JSONDecoder().decode(Event.self, from: payload) else {
            throw APIFailure(status: .badRequest, code: .invalidJSON, message: "The event is not a Stripe event object")
        }
        if event.type == "checkout.session.completed" {
            try await req.writeTransaction { db in
                let sql = db as! any SQLDatabase
                let now = Date()
                if let purchase = try await PurchaseStore(db: sql).complete(sessionID: event.data.object.id, paymentIntent: event.data.object.payment_intent, at: now) {
                    try await ChangeLog(db: sql).record(.purchase, id: purchase.id, userID: purchase.userID, at: now)
                    try await PurchaseStore(db: sql).logNewlyOwnedContent(purchase, at: now)
                }
            }
        }
        return try json(["received": true])
    }
}

struct PurchaseStore {
    let db: any SQLDatabase

    func insert(_ purchase: Purchase) async throws {
        try await db.raw("""
            INSERT INTO purchases (id, user_id, course_id, tenant_id, amount, currency, status, stripe_payment_intent_id,
                                   stripe_checkout_session_id, purchased_at, created_at, updated_at)
            VALUES (\(bind: purchase.id), \(bind: purchase.userID), \(bind: purchase.courseID), \(bind: purchase.tenantID),
                    \(Dialect(db).money(purchase.amount)), \(bind: purchase.currency.rawValue), \(bind: purchase.status.rawValue),
                    \(bind: purchase.stripePaymentIntentID), \(bind: purchase.stripeCheckoutSessionID), \(bind: purchase.purchasedAt),
                    \(bind: purchase.createdAt), \(bind: purchase.updatedAt))
            """).run()
    }

    /// Completes a pending purchase; nil when there is none (unknown or already completed).
    func complete(sessionID: String, paymentIntent: String?, at now: Date) async throws -> Purchase? {
        try await db.raw("""
            UPDATE purchases AS p SET status = 'completed', purchased_at = \(bind: now), updated_at = \(bind: now),
                   stripe_payment_intent_id = COALESCE(\(bind: paymentIntent), stripe_payment_intent_id)
            WHERE stripe_checkout_session_id = \(bind: sessionID) AND status <> 'completed'
            RETURNING \(unsafeRaw: Columns.returning(Columns.purchase, alias: "p"))
            """).first().map(Purchase.init(row:))
    }

    /// Owning a course makes its lesson content part of the buyer's sync feed (of every user of
    /// the tenant, for a tenant purchase).
    func logNewlyOwnedContent(_ purchase: Purchase, at now: Date) async throws {
        let lessonIDs = try await db.raw("""
            SELECT l.id FROM lessons l JOIN chapters ch ON ch.id = l.chapter_id WHERE ch.course_id = \(bind: purchase.courseID)
            """).all().map { try $0.value("id", as: UUID.self) }
        var users = [purchase.userID]
        if let tenant = purchase.tenantID {
            users = try await db.raw("SELECT id FROM users WHERE tenant_id = \(bind: tenant) AND deleted_at IS NULL")
                .all().map { try $0.value("id", as: UUID.self) }
        }
        for user in users {
            try await ChangeLog(db: db).record(.lessonContent, ids: lessonIDs, userID: user, at: now)
        }
    }
}
