import Foundation

/// A row of `tenants`. `connection_string` never leaves the server (it holds database
/// credentials for isolated tenants), so it has no place in the shared type.
@Record
public struct Tenant: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var name: String
    public var slug: String
    public var status: TenantStatus = .trial
    public var isolationStrategy: IsolationStrategy = .shared
    public var seatsPurchased: Int = 1
    public var seatsUsed: Int = 0
    public var subscriptionStatus: SubscriptionStatus = .trialing
    public var stripeCustomerID: String?
    public var stripeSubscriptionID: String?
    public var logoURL: String?
    public var domain: String?
    /// The column is nullable with a '{}' default: null and absent both mean "no settings".
    @Lenient public var settings: [String: JSONValue] = [:]
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    /// The tenant's preferred colour theme (`settings.theme`), if it names one.
    public var preferredTheme: String? { settings["theme"]?.stringValue }
}
