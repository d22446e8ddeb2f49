import Foundation
import Vapor

/// An IPv4 or IPv6 address with a prefix length (`10.0.0.0/8`, `::1`, `203.0.113.7`).
public struct IPAddressRange: Sendable, Equatable {
    let bytes: [UInt8]
    let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let bytes = Self.parse(first) else { return nil }
        let maximum = bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : maximum
        guard let length, (0...maximum).contains(length) else { return nil }
        self.bytes = bytes
        self.prefixLength = length
    }

    public func contains(_ address: String) -> Bool {
        guard let other = Self.parse(address), other.count == bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(bytes, other) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// Four bytes for IPv4, sixteen for IPv6 (an IPv4-mapped IPv6 address counts as IPv4).
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}

/// Who is on the other end of a request, for the login throttle and the log.
enum ClientAddress {
    /// The socket's peer, unless it is a proxy the operator trusts: then the nearest address in
    /// `X-Forwarded-For` that is not itself a trusted proxy (what a client writes further left
    /// could be forged, so it is never taken while an untrusted hop stands closer).
    static func resolve(peer: String?, forwardedFor: [String], trusted: [IPAddressRange]) -> String {
        guard let peer else { return "unknown" }
        guard isTrusted(peer, trusted) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard IPAddressRange.parse(hop) != nil else { return peer }
            if !isTrusted(hop, trusted) { return hop }
        }
        return hops.first ?? peer
    }

    static func isTrusted(_ address: String, _ trusted: [IPAddressRange]) -> Bool {
        trusted.contains { $0.contains(address) }
    }
}

extension Request {
    /// The client's address, through the proxies the operator trusts (`LMS_TRUSTED_PROXIES`).
    var clientAddress: String {
        ClientAddress.resolve(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
            trusted: application.lmsSettings.trustedProxies)
    }
}
