import Foundation
import NIOCore
import Vapor

/// Where the links this server hands out (checkout pages) point. `LMS_PUBLIC_URL` when the
/// operator set it; otherwise the address the server really serves: behind a trusted proxy, the
/// host the client asked that proxy for; else the host and port the server is bound to; and when
/// bound to every interface, the host the client itself used.
enum PublicAddress {
    static func baseURL(
        configured: String?, bound: SocketAddress?, peer: String?, headers: HTTPHeaders, trusted: [IPAddressRange]
    ) -> String {
        if let configured { return configured }
        if let peer, ClientAddress.isTrusted(peer, trusted), let host = headers.first(name: "X-Forwarded-Host").flatMap(validHost) {
            let scheme = headers.first(name: "X-Forwarded-Proto").map { $0.lowercased() == "https" ? "https" : "http" } ?? "http"
            return "\(scheme)://\(host)"
        }
        if let bound = boundBaseURL(bound), !isWildcard(bound) { return bound }
        if let host = headers.first(name: .host).flatMap(validHost) { return "http://\(host)" }
        return boundBaseURL(bound) ?? "http://127.0.0.1:8080"
    }

    /// `http://HOST:PORT` of a bound socket (IPv6 in brackets); nil for a Unix socket.
    static func boundBaseURL(_ address: SocketAddress?) -> String? {
        guard let address, let ip = address.ipAddress, let port = address.port else { return nil }
        return ip.contains(":") ? "http://[\(ip)]:\(port)" : "http://\(ip):\(port)"
    }

    static func isWildcard(_ base: String) -> Bool {
        base.hasPrefix("http://0.0.0.0:") || base.hasPrefix("http://[::]:")
    }

    /// A Host header is the client's to write: only a plain host[:port] goes into a link.
    static func validHost(_ text: String) -> String? {
        let host = text.trimmingCharacters(in: .whitespaces)
        guard !host.isEmpty, host.count <= 255,
              host.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || ".-:[]".unicodeScalars.contains($0) })
        else { return nil }
        return host
    }
}

extension Request {
    /// Where links in this request's answer point (see `PublicAddress`).
    var publicBaseURL: String {
        PublicAddress.baseURL(
            configured: application.lmsSettings.publicBaseURL, bound: application.http.server.shared.localAddress,
            peer: remoteAddress?.ipAddress, headers: headers, trusted: application.lmsSettings.trustedProxies)
    }
}
