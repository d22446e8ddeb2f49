import Foundation

/// A row of `tenants`. `connection_string` never leaves the server (it holds database
/// credentials for isolated tenants), so it has no place in the shared type.
public struct Tenant: Codable, Hashable, Sendable, Identifiable {
    public var id: UUID
    public var name: String
    public var slug: String
    public var status: TenantStatus
    public var isolationStrategy: IsolationStrategy
    public var seatsPurchased: Int
    public var seatsUsed: Int
    public var subscriptionStatus: SubscriptionStatus
    public var stripeCustomerID: String?
    public var stripeSubscriptionID: String?
    public var logoURL: String?
    public var domain: String?
    public var settings: [String: JSONValue]
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: UUID, name: String, slug: String, status: TenantStatus = .trial,
        isolationStrategy: IsolationStrategy = .shared, seatsPurchased: Int = 1, seatsUsed: Int = 0,
        subscriptionStatus: SubscriptionStatus = .trialing, stripeCustomerID: String? = nil,
        stripeSubscriptionID: String? = nil, logoURL: String? = nil, domain: String? = nil,
        settings: [String: JSONValue] = [:], createdAt: Date, updatedAt: Date, deletedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.slug = slug
        self.status = status
        self.isolationStrategy = isolationStrategy
        self.seatsPurchased = seatsPurchased
        self.seatsUsed = seatsUsed
        self.subscriptionStatus = subscriptionStatus
        self.stripeCustomerID = stripeCustomerID
        self.stripeSubscriptionID = stripeSubscriptionID
        self.logoURL = logoURL
        self.domain = domain
        self.settings = settings
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, slug, status
        case isolationStrategy = "isolation_strategy"
        case seatsPurchased = "seats_purchased"
        case seatsUsed = "seats_used"
        case subscriptionStatus = "subscription_status"
        case stripeCustomerID = "stripe_customer_id"
        case stripeSubscriptionID = "stripe_subscription_id"
        case logoURL = "logo_url"
        case domain, settings
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        slug = try c.decode(String.self, forKey: .slug)
        status = try c.decode(TenantStatus.self, forKey: .status)
        isolationStrategy = try c.decode(IsolationStrategy.self, forKey: .isolationStrategy)
        seatsPurchased = try c.decode(Int.self, forKey: .seatsPurchased)
        seatsUsed = try c.decode(Int.self, forKey: .seatsUsed)
        subscriptionStatus = try c.decode(SubscriptionStatus.self, forKey: .subscriptionStatus)
        stripeCustomerID = try c.decodeIfPresent(String.self, forKey: .stripeCustomerID)
        stripeSubscriptionID = try c.decodeIfPresent(String.self, forKey: .stripeSubscriptionID)
        logoURL = try c.decodeIfPresent(String.self, forKey: .logoURL)
        domain = try c.decodeIfPresent(String.self, forKey: .domain)
        // The column is nullable with a '{}' default: null and absent both mean "no settings".
        settings = try c.decodeIfPresent([String: JSONValue].self, forKey: .settings) ?? [:]
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        deletedAt = try c.decodeIfPresent(Date.self, forKey: .deletedAt)
    }

    /// The tenant's preferred colour theme (`settings.theme`), if it names one.
    public var preferredTheme: String? { settings["theme"]?.stringValue }
}
