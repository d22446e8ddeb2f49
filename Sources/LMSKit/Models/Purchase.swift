import Foundation

/// A row of `purchases`. `tenant_id` set means the tenant bought the course for all its users (B2B);
/// nil is a personal (B2C) purchase.
@Record
public struct Purchase: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var courseID: UUID
    public var tenantID: UUID?
    public var amount: Decimal
    public var currency: Currency = .eur
    public var status: PurchaseStatus = .pending
    public var stripePaymentIntentID: String?
    public var stripeCheckoutSessionID: String?
    public var purchasedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}
