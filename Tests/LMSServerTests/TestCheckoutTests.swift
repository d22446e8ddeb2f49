import Foundation
import LMSKit
import LMSTestSupport
import Testing
import NIOCore
import Vapor

@testable import LMSServer

/// Buying on a development server, as a learner does it: `buy`, the checkout page in a browser,
/// its "Pay (test)" button, and the course unlocking.
@Suite("The development test checkout, end to end")
struct TestCheckoutTests {
    /// The pay form's token, read from the page as a browser would.
    static func formToken(in page: String) -> String? {
        guard let range = page.range(of: #"name="token" value="([0-9a-f]+)""#, options: .regularExpression) else { return nil }
        return page[range].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    static func form(_ token: String) -> HTTPHeaders { ["Content-Type": "application/x-www-form-urlencoded"] }

    @Test("buy twice continues one checkout; the page's Pay (test) form completes it; the course opens", arguments: TestDatabase.all)
    func payFromTheBrowser(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let course = try await server.courseID("databases-in-depth")
            let keys = try await server.lessonID("Keys and constraints")

            let first = try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: course))
            #expect(first.status == .created)
            let checkout = try first.decode(CheckoutResponse.self)
            let url = try #require(checkout.checkoutURL)
            // No LMS_PUBLIC_URL in the tests: links point where the server is bound.
            #expect(url.hasPrefix(server.baseURL + "/checkout/test/cs_test_"), "\(url)")

            let again = try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: course))
            #expect(again.status == .ok)
            let continued = try again.decode(CheckoutResponse.self)
            #expect(continued.purchase.id == checkout.purchase.id && continued.checkoutURL == url)
            #expect(try await server.count("purchases", where: "user_id = \(bind: server.demo.learnerID) AND course_id = \(bind: course)") == 1)

            let path = String(url.dropFirst(server.baseURL.count))
            let page = try await server.get(path)
            #expect(page.status == .ok && page.headers.contentType?.subType == "html")
            #expect(page.text.contains("Databases in Depth") && page.text.contains("Pay (test)"), "\(page.text)")
            let formToken = try #require(Self.formToken(in: page.text), "\(page.text)")

            // A forged or missing token pays nothing.
            let forged = try await server.request(.POST, path + "/pay", rawBody: Data("token=\(String(repeating: "0", count: 64))".utf8), headers: Self.form(""))
            #expect(forged.status == .forbidden)
            let missing = try await server.request(.POST, path + "/pay", rawBody: Data(), headers: Self.form(""))
            #expect(missing.status == .forbidden)
            expectError(try await server.get("/api/v1/lessons/\(keys)", token: token), .forbidden, "purchase_required")

            let paid = try await server.request(.POST, path + "/pay", rawBody: Data("token=\(formToken)".utf8), headers: Self.form(formToken))
            #expect(paid.status == .ok && paid.text.contains("is yours") && paid.text.contains("sync"), "\(paid.status) \(paid.text)")
            let purchases = try await server.get("/api/v1/purchases", token: token).decode(ItemList<Purchase>.self).items
            #expect(purchases.first { $0.id == checkout.purchase.id }?.status == .completed)
            // The feed brings the purchase; the course opens.
            try await server.complete([try await server.lessonID("Why relational?")], token: token)
            #expect(try await server.get("/api/v1/lessons/\(keys)", token: token).status == .ok)

            // Paying twice changes nothing; the page now says it is paid; a new buy is refused.
            let twice = try await server.request(.POST, path + "/pay", rawBody: Data("token=\(formToken)".utf8), headers: Self.form(formToken))
            #expect(twice.status == .conflict)
            #expect(try await server.get(path).text.contains("Already paid"))
            expectError(try await server.post("/api/v1/purchases", token: token, body: CheckoutRequest(courseID: course)), .conflict, "conflict")
            #expect(try await server.get("/checkout/test/cs_test_unknown").status == .notFound)
        }
    }

    @Test("links follow LMS_PUBLIC_URL when set, a trusted proxy's host, else the bound address")
    func publicAddress() {
        var headers = HTTPHeaders()
        headers.add(name: .host, value: "lms.local:9000")
        headers.add(name: "X-Forwarded-Host", value: "learn.example.com")
        headers.add(name: "X-Forwarded-Proto", value: "https")
        let bound = try? SocketAddress(ipAddress: "127.0.0.1", port: 8123)
        let wildcard = try? SocketAddress(ipAddress: "0.0.0.0", port: 8123)
        let proxy = [IPAddressRange("10.0.0.0/8")!]
        #expect(PublicAddress.baseURL(configured: "https://lms.example.org", bound: bound, peer: "10.0.0.2", headers: headers, trusted: proxy)
            == "https://lms.example.org")
        #expect(PublicAddress.baseURL(configured: nil, bound: bound, peer: "10.0.0.2", headers: headers, trusted: proxy) == "https://learn.example.com")
        // X-Forwarded-Host from someone not trusted is ignored.
        #expect(PublicAddress.baseURL(configured: nil, bound: bound, peer: "192.0.2.9", headers: headers, trusted: proxy) == "http://127.0.0.1:8123")
        #expect(PublicAddress.baseURL(configured: nil, bound: wildcard, peer: "192.0.2.9", headers: headers, trusted: proxy) == "http://lms.local:9000")
        var hostile = HTTPHeaders()
        hostile.add(name: .host, value: "evil.example/<script>")
        #expect(PublicAddress.baseURL(configured: nil, bound: wildcard, peer: nil, headers: hostile, trusted: []) == "http://0.0.0.0:8123")
        #expect(PublicAddress.baseURL(configured: nil, bound: try? SocketAddress(ipAddress: "::1", port: 80), peer: nil, headers: [:], trusted: []) == "http://[::1]:80")
    }
}
