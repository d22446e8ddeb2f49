import Crypto
import Foundation
import LMSKit
import Vapor

/// Where a paid course is paid for. The purchase stays pending until the provider confirms it.
/// `linkBase` is where this server's own links point (`Request.publicBaseURL`).
protocol PaymentProvider: Sendable {
    func createCheckout(purchaseID: UUID, course: Course, customerEmail: String, linkBase: String) async throws -> (sessionID: String, url: String)
    /// The page of a checkout created earlier, while it can still be paid; nil once it cannot.
    func openCheckoutURL(sessionID: String, linkBase: String) async throws -> String?
}

/// Development and tests: a checkout page on this server with a "Pay (test)" button, which
/// completes the purchase as Stripe's webhook would. The button's form carries a token bound to
/// its checkout session, so only the page this server showed can pay that session.
struct LocalTestPaymentProvider: PaymentProvider {
    /// Signs the pay forms; new at every start (development only, one process).
    let formKey = SymmetricKey(size: .bits256)

    func createCheckout(purchaseID: UUID, course: Course, customerEmail: String, linkBase: String) async throws -> (sessionID: String, url: String) {
        let session = "cs_test_" + purchaseID.uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return (session, Self.pageURL(session: session, linkBase: linkBase))
    }

    func openCheckoutURL(sessionID: String, linkBase: String) async throws -> String? {
        Self.pageURL(session: sessionID, linkBase: linkBase)
    }

    static func pageURL(session: String, linkBase: String) -> String { "\(linkBase)/checkout/test/\(session)" }

    /// The token a pay form for `session` carries.
    func formToken(session: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("test-checkout:\(session)".utf8), using: formKey).map { String(format: "%02x", $0) }.joined()
    }

    func isValid(formToken token: String, session: String) -> Bool {
        let expected = formToken(session: session)
        return token.utf8.count == expected.utf8.count && zip(token.utf8, expected.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Production without a Stripe key: free courses are still claimed, paid ones cannot be bought.
struct PaymentsUnavailable: PaymentProvider {
    func createCheckout(purchaseID: UUID, course: Course, customerEmail: String, linkBase: String) async throws -> (sessionID: String, url: String) {
        throw APIFailure(status: .serviceUnavailable, code: .unavailable, message: "This server does not take payments; ask its operator to configure Stripe")
    }

    func openCheckoutURL(sessionID: String, linkBase: String) async throws -> String? { nil }
}

/// Production: Stripe Checkout Sessions over Stripe's REST API.
struct StripeCheckoutProvider: PaymentProvider {
    let secretKey: String
    let client: any Client

    func createCheckout(purchaseID: UUID, course: Course, customerEmail: String, linkBase: String) async throws -> (sessionID: String, url: String) {
        let cents = NSDecimalNumber(decimal: course.price * 100).intValue
        var form = URLComponents()
        form.queryItems = [
            .init(name: "mode", value: "payment"),
            .init(name: "client_reference_id", value: purchaseID.uuidString),
            .init(name: "customer_email", value: customerEmail),
            .init(name: "line_items[0][quantity]", value: "1"),
            .init(name: "line_items[0][price_data][currency]", value: course.currency.rawValue.lowercased()),
            .init(name: "line_items[0][price_data][unit_amount]", value: String(cents)),
            .init(name: "line_items[0][price_data][product_data][name]", value: course.title),
            .init(name: "success_url", value: "https://checkout.stripe.com/success"),
        ]
        let response = try await client.post("https://api.stripe.com/v1/checkout/sessions") { request in
            request.headers.bearerAuthorization = .init(token: secretKey)
            request.headers.contentType = .urlEncodedForm
            request.body = .init(string: form.percentEncodedQuery ?? "")
        }
        struct Session: Decodable { let id: String; let url: String }
        guard response.status == .ok, let session = try? response.content.decode(Session.self, as: .json) else {
            throw APIFailure(status: .badGateway, code: .internalError, message: "The payment provider did not accept the checkout")
        }
        return (session.id, session.url)
    }

    /// Stripe keeps a session payable for 24 hours: its page while it is still `open`.
    func openCheckoutURL(sessionID: String, linkBase: String) async throws -> String? {
        let escaped = sessionID.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["_"])) ?? sessionID
        let response = try await client.get(URI(string: "https://api.stripe.com/v1/checkout/sessions/\(escaped)")) { request in
            request.headers.bearerAuthorization = .init(token: secretKey)
        }
        struct Session: Decodable { let status: String?; let url: String? }
        guard response.status == .ok, let session = try? response.content.decode(Session.self, as: .json), session.status == "open" else { return nil }
        return session.url
    }
}

/// Checks Stripe's `Stripe-Signature` header: `t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`,
/// within a tolerance so a captured request cannot be replayed later.
struct StripeSignatureVerifier {
    let secret: String
    var tolerance: TimeInterval = 300

    func verify(header: String?, payload: Data, now: Date = Date()) -> Bool {
        guard let header else { return false }
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1].lowercased()) }
        }
        guard let timestamp, !signatures.isEmpty,
              abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance
        else { return false }
        let expected = Self.signature(secret: secret, timestamp: timestamp, payload: payload)
        // Constant-time comparison of each candidate.
        return signatures.contains { candidate in
            candidate.utf8.count == expected.utf8.count
                && zip(candidate.utf8, expected.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    static func signature(secret: String, timestamp: Int, payload: Data) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}

extension Application {
    private struct PaymentsKey: StorageKey { typealias Value = any PaymentProvider }

    var payments: any PaymentProvider {
        get { storage[PaymentsKey.self]! }
        set { storage[PaymentsKey.self] = newValue }
    }
}
