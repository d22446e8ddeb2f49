import Foundation

// Hand-written readers for the records that fill the cache: a course file holds a hundred
// lessons and their content, the index a thousand courses. Each accepts exactly what the type's
// `Codable` conformance accepts (a test decodes the same bytes both ways and compares), skips
// keys it does not know, and names the missing field when one is absent.

extension JSONReader {
    /// A required field that was never seen.
    public static func missing(_ field: StaticString, in type: StaticString) -> JSONReaderError {
        JSONReaderError(offset: 0, expected: "the field '\(field)' of \(type)", found: "no such field")
    }

    /// An amount as the API writes it ("49.00"), or as a plain JSON number.
    public mutating func money() throws -> Decimal {
        let start = offset
        if peek == UInt8(ascii: "\"") {
            let text = try string()
            guard let value = MoneyText.parse(text) else {
                throw JSONReaderError(offset: start, expected: "an amount such as \"49.00\"", found: "\"\(text)\"")
            }
            return value
        }
        // Decimal from the digits, as JSONDecoder does: through a Double, 0.07 would not be 0.07.
        let text = try numberText()
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw JSONReaderError(offset: start, expected: "an amount", found: text)
        }
        return value
    }
}
