import Foundation
import LMSKit
import SQLKit

/// Purchases, the webhook events already handled, and what a new owner must receive again.
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

    /// The buyer's checkout of this course still waiting for payment, if any: a second `buy`
    /// continues it rather than opening another.
    func openCheckout(userID: UUID, courseID: UUID) async throws -> Purchase? {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.purchase) FROM purchases AS p
            WHERE p.user_id = \(bind: userID) AND p.course_id = \(bind: courseID) AND p.status = 'pending'
              AND p.stripe_checkout_session_id IS NOT NULL
            ORDER BY p.created_at DESC LIMIT 1
            """).first().map(Purchase.init(row:))
    }

    /// Who is buying what in a checkout session, pending or not.
    func purchase(sessionID: String) async throws -> Purchase? {
        try await db.raw("""
            SELECT \(unsafeRaw: Columns.purchase) FROM purchases AS p
            WHERE p.stripe_checkout_session_id = \(bind: sessionID)
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
        let lessonIDs = try await CourseStore(db: db).lessonIDs(ofCourse: purchase.courseID)
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
