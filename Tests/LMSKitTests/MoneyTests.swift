import Foundation
import LMSKit
import Testing

@Suite("Money")
struct MoneyTests {
    private static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
    }

    @Test(arguments: [
        ("49", "49.00"),
        ("0.5", "0.50"),
        ("0", "0.00"),
        ("0.05", "0.05"),
        ("1234.5", "1234.50"),
        ("12345678.91", "12345678.91"),
        ("-0.5", "-0.50"),
        ("-49", "-49.00"),
        ("19.999", "20.00"),  // more than two decimals are rounded away
    ])
    func format(amount: String, expected: String) {
        #expect(MoneyText.format(Self.decimal(amount)) == expected)
    }

    @Test(arguments: [
        ("49.00", "49"),
        ("49", "49"),
        ("49.5", "49.5"),
        ("0.05", "0.05"),
        ("-0.50", "-0.5"),
        ("1234567.89", "1234567.89"),
    ])
    func parseAccepts(text: String, expected: String) {
        #expect(MoneyText.parse(text) == Self.decimal(expected))
    }

    @Test(arguments: ["4.999", "1e3", "1E3", "abc", " 1", "1 ", "", "-", ".", "1.2.3", "+1", "1,50", "--1", "0x10", "€49"])
    func parseRejects(text: String) {
        #expect(MoneyText.parse(text) == nil)
    }

    @Test func formatThenParseIsIdentity() {
        for cents in [-12_345, -1, 0, 1, 99, 100, 4_900, 123_456_789] {
            let amount = Decimal(cents) / 100
            #expect(MoneyText.parse(MoneyText.format(amount)) == amount, "\(cents) cents")
        }
    }

    @Test func currencyDisplay() {
        #expect(Currency.eur.display(49) == "€49.00")
        #expect(Currency.usd.display(Self.decimal("9.5")) == "$9.50")
        #expect(Currency.chf.display(10) == "CHF 10.00")
        #expect(Currency.other("SEK").display(100) == "SEK 100.00")
    }

    private static func courseJSON(price: String) -> String {
        """
        {"id": "00000000-0000-0000-0000-000000000031", "title": "Swift Basics", "slug": "swift-basics",
         "status": "published", "price": \(price), "instructor_id": "00000000-0000-0000-0000-000000000012",
         "duration": 2160, "chapters_count": 3, "lessons_count": 5,
         "created_at": "2025-11-15T09:30:00Z", "updated_at": "2026-01-13T09:30:00Z"}
        """
    }

    @Test func courseDecodesPriceFromString() throws {
        let course = try TestData.decode(Course.self, Self.courseJSON(price: #""49.00""#))
        #expect(course.price == 49)
        #expect(!course.isFree)
    }

    @Test func courseDecodesPriceFromJSONNumber() throws {
        let course = try TestData.decode(Course.self, Self.courseJSON(price: "49.5"))
        #expect(course.price == Self.decimal("49.5"))
    }

    @Test func courseWithZeroPriceIsFree() throws {
        let course = try TestData.decode(Course.self, Self.courseJSON(price: #""0.00""#))
        #expect(course.isFree)
    }

    @Test func courseEncodesPriceAsTwoDecimalString() throws {
        let json = try TestData.jsonValue(of: TestData.course(price: 49))
        #expect(json["price"] == .string("49.00"))
        let half = try TestData.jsonValue(of: TestData.course(price: Self.decimal("49.5")))
        #expect(half["price"] == .string("49.50"))
    }

    @Test func courseRejectsMalformedPriceString() {
        let error = #expect(throws: LMSDecodingError.self) {
            try TestData.decode(Course.self, Self.courseJSON(price: #""4.999""#))
        }
        #expect(error?.description == #"Could not read Course at .price: Expected an amount such as "49.00", got "4.999""#)
    }

    @Test func purchaseAmountRoundTripsAsString() throws {
        let purchase = TestData.purchase(amount: Self.decimal("19.9"))
        #expect(try TestData.jsonValue(of: purchase)["amount"] == .string("19.90"))
        #expect(try TestData.roundTrip(purchase).amount == Self.decimal("19.9"))
    }
}
