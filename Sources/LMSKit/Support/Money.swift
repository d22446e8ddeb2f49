import Foundation

/// Money travels as a JSON string with two decimals ("49.00"), never as a JSON number.
///
/// Prices are `DECIMAL(10, 2)` in the database and `Decimal` in Swift; a JSON number would pass
/// through binary floating point in most clients (JavaScript, Foundation's parser) and can come
/// back as 48.99999. Decoding also accepts a plain number so hand-written requests still work.
public enum MoneyText {
    public static func format(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .bankers)
        let cents = NSDecimalNumber(decimal: rounded * 100).int64Value
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Parses `123`, `123.4`, `-0.50`; rejects exponents, spaces and anything with more than two decimals.
    public static func parse(_ text: String) -> Decimal? {
        var sawDigit = false
        var sawPoint = false
        var decimals = 0
        for (offset, ch) in text.unicodeScalars.enumerated() {
            switch ch {
            case "-" where offset == 0: continue
            case "0"..."9":
                sawDigit = true
                if sawPoint { decimals += 1 }
            case "." where !sawPoint: sawPoint = true
            default: return nil
            }
        }
        guard sawDigit, decimals <= 2 else { return nil }
        // Digits into an integer and a power of ten: `Decimal(string:)` with a locale costs more
        // than reading the rest of a course.
        var significand: UInt64 = 0
        var digits = 0
        for byte in text.utf8 where byte != UInt8(ascii: "-") && byte != UInt8(ascii: ".") {
            digits += 1
            guard digits <= 18 else { return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }
            significand = significand * 10 + UInt64(byte - 48)
        }
        let negative = text.utf8.first == UInt8(ascii: "-")
        return Decimal(sign: negative && significand != 0 ? .minus : .plus, exponent: -decimals, significand: Decimal(significand))
    }
}

extension KeyedDecodingContainer {
    public func decodeMoney(forKey key: Key) throws -> Decimal {
        if let text = try? decode(String.self, forKey: key) {
            guard let value = MoneyText.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: self, debugDescription: "Expected an amount such as \"49.00\", got \"\(text)\"")
            }
            return value
        }
        return try decode(Decimal.self, forKey: key)
    }
}

extension KeyedEncodingContainer {
    public mutating func encodeMoney(_ amount: Decimal, forKey key: Key) throws {
        try encode(MoneyText.format(amount), forKey: key)
    }
}
