/// A string enum that survives values it does not know.
///
/// A newer server may send a role, status or type this build has never heard of; decoding it
/// must not fail, and encoding it back must give the same string. Conforming enums list their
/// known cases and carry anything else in `.other`.
public protocol OpenEnum: RawRepresentable<String>, Codable, Hashable, Sendable, CustomStringConvertible, FieldValue where Stored == String {
    static var knownCases: [Self] { get }
    static func other(_ rawValue: String) -> Self
}

extension OpenEnum {
    public init(rawValue: String) {
        self = Self.knownCases.first { $0.rawValue == rawValue } ?? .other(rawValue)
    }

    /// The value for `rawValue`, known or not; for generic code, where `init(rawValue:)` means
    /// RawRepresentable's failable one.
    public static func value(_ rawValue: String) -> Self {
        knownCases.first { $0.rawValue == rawValue } ?? .other(rawValue)
    }

    public init(from decoder: any Decoder) throws {
        // Not `self.init(rawValue:)`: inside the protocol extension that resolves to
        // RawRepresentable's failable requirement, which a non-failable init cannot delegate to.
        let rawValue = try decoder.singleValueContainer().decode(String.self)
        self = Self.knownCases.first { $0.rawValue == rawValue } ?? .other(rawValue)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// True when the value is one this build understands.
    public var isKnown: Bool { Self.knownCases.contains(self) }

    public var description: String { rawValue }
}
