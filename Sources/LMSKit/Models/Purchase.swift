import Foundation

/// A row of `purchases`. `tenant_id` set means the tenant bought the course for all its users (B2B);
/// nil is a personal (B2C) purchase.
public struct Purchase: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var userID: UUID
    public var courseID: UUID
    public var tenantID: UUID?
    public var amount: Decimal
    public var currency: Currency
    public var status: PurchaseStatus
    public var stripePaymentIntentID: String?
    public var stripeCheckoutSessionID: String?
    public var purchasedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, userID: UUID, courseID: UUID, tenantID: UUID? = nil, amount: Decimal,
        currency: Currency = .eur, status: PurchaseStatus = .pending, stripePaymentIntentID: String? = nil,
        stripeCheckoutSessionID: String? = nil, purchasedAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.courseID = courseID
        self.tenantID = tenantID
        self.amount = amount
        self.currency = currency
        self.status = status
        self.stripePaymentIntentID = stripePaymentIntentID
        self.stripeCheckoutSessionID = stripeCheckoutSessionID
        self.purchasedAt = purchasedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case courseID = "course_id"
        case tenantID = "tenant_id"
        case amount, currency, status
        case stripePaymentIntentID = "stripe_payment_intent_id"
        case stripeCheckoutSessionID = "stripe_checkout_session_id"
        case purchasedAt = "purchased_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        userID = try c.decode(UUID.self, forKey: .userID)
        courseID = try c.decode(UUID.self, forKey: .courseID)
        tenantID = try c.decodeIfPresent(UUID.self, forKey: .tenantID)
        amount = try c.decodeMoney(forKey: .amount)
        currency = try c.decode(Currency.self, forKey: .currency)
        status = try c.decode(PurchaseStatus.self, forKey: .status)
        stripePaymentIntentID = try c.decodeIfPresent(String.self, forKey: .stripePaymentIntentID)
        stripeCheckoutSessionID = try c.decodeIfPresent(String.self, forKey: .stripeCheckoutSessionID)
        purchasedAt = try c.decodeIfPresent(Date.self, forKey: .purchasedAt)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(userID, forKey: .userID)
        try c.encode(courseID, forKey: .courseID)
        try c.encodeIfPresent(tenantID, forKey: .tenantID)
        try c.encodeMoney(amount, forKey: .amount)
        try c.encode(currency, forKey: .currency)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(stripePaymentIntentID, forKey: .stripePaymentIntentID)
        try c.encodeIfPresent(stripeCheckoutSessionID, forKey: .stripeCheckoutSessionID)
        try c.encodeIfPresent(purchasedAt, forKey: .purchasedAt)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
