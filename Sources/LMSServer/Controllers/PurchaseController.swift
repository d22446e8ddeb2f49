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
        try await AccountStatus(db: req.sql).requireActive(viewer)
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

    /// Completes a pending purchase (of `buyer`'s, when given); nil when there is none (unknown,
    /// someone else's, or already completed).
    func complete(sessionID: String, buyer: UUID?, paymentIntent: String?, at now: Date) async throws -> Purchase? {
        let owner: SQLQueryString = buyer.map { " AND user_id = \(bind: $0)" } ?? ""
        return try await db.raw("""
            UPDATE purchases AS p SET status = 'completed', purchased_at = \(bind: now), updated_at = \(bind: now),
                   stripe_payment_intent_id = COALESCE(\(bind: paymentIntent), stripe_payment_intent_id)
            WHERE stripe_checkout_session_id = \(bind: sessionID) AND status = 'pending'\(owner)
            RETURNING \(unsafeRaw: Columns.returning(Columns.purchase, alias: "p"))
            """).first().map(Purchase.init(row:))
    }

    /// Records a webhook event; false when it was handled before (a replay).
    func markHandled(eventID: String, type: String, at now: Date) async throws -> Bool {
        !(try await db.raw("""
            INSERT INTO stripe_events (id, type, received_at) VALUES (\(bind: eventID), \(bind: type), \(bind: now))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """).all()).isEmpty
    }

    /// Owning a course makes its lesson content part of the buyer's sync feed (of every user of
    /// the tenant, for a tenant purchase), and its lessons come again, now with their links.
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
            try await ChangeLog(db: db).record(.lesson, ids: lessonIDs, userID: user, at: now)
            try await ChangeLog(db: db).record(.lessonContent, ids: lessonIDs, userID: user, at: now)
        }
    }
}
