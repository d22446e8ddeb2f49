import CCurl
import Foundation
import LMSKit

/// Everything that can go wrong talking to the server, each with a sentence for a person.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection could be made: no network, DNS failure, server down. Trying again at once
    /// would fail the same way; the app tries again later, in the background.
    case unreachable(String)
    /// The connection broke during the exchange: worth a quick retry.
    case offline(String)
    /// The server took the connection and then said nothing (or next to nothing) for longer
    /// than the request's `Patience`: as good as unreachable for now.
    case timeout
    case tls(String)
    /// 401: the session is over; sign in again.
    case unauthorized(String)
    case forbidden(APIErrorBody)
    case notFound(String)
    case conflict(APIErrorBody)
    /// 410: the sync cursor is no longer valid; pull everything again.
    case gone
    case rateLimited(retryAfter: Int?)
    case server(status: Int)
    /// Another 4xx with the server's explanation.
    case rejected(status: Int, APIErrorBody)
    /// The server answered with something that is not the JSON we expect.
    case invalidResponse(String)
    case cancelled
    case notSignedIn

    public var description: String {
        switch self {
        case .unreachable(let detail): "Cannot reach the server (\(detail)); working offline"
        case .offline(let detail): "The connection to the server broke (\(detail)); working offline"
        case .timeout: "The server is not answering (nothing came back for a few seconds)"
        case .tls(let detail): "The secure connection failed: \(detail)"
        case .unauthorized(let message): "Your session has ended: \(message). Run 'lms login' again"
        case .forbidden(let body): body.message
        case .notFound(let what): "\(what) was not found"
        case .conflict(let body): body.message
        case .gone: "The server no longer knows this sync position; everything will be downloaded again"
        case .rateLimited(let seconds): seconds.map { "The server is busy; try again in \($0) seconds" } ?? "The server is busy; try again shortly"
        case .server(let status): "The server had a problem (HTTP \(status)); try again later"
        case .rejected(_, let body): body.message
        case .invalidResponse(let detail): "The server sent an answer lms cannot read: \(detail)"
        case .cancelled: "Cancelled"
        case .notSignedIn: "Not signed in: run 'lms login SERVER_URL' first"
        }
    }

    /// Worth trying again later without changing anything.
    public var isTransient: Bool {
        switch self {
        case .unreachable, .offline, .timeout, .rateLimited, .server: true
        default: false
        }
    }

    /// Worth trying again within the same request, after a short wait. A server that cannot be
    /// reached, or does not answer, is tried again later in the background, never while a
    /// learner waits.
    public var isWorthRetryingNow: Bool { isTransient && !isUnavailable }

    /// No connection could be made, or the server made no headway: retrying now costs the same again.
    public var isUnavailable: Bool {
        switch self {
        case .unreachable, .timeout: true
        default: false
        }
    }

    static func from(_ failure: TransportFailure) -> ClientError {
        switch failure.code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            .unreachable(failure.message.lowercased())
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            .offline(failure.message.lowercased())
        case CURLE_OPERATION_TIMEDOUT:
            .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR:
            .tls(failure.message)
        case CURLE_ABORTED_BY_CALLBACK:
            .cancelled
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            .invalidResponse("the server address is not a valid URL (\(failure.message))")
        default:
            .offline(failure.message.lowercased())
        }
    }

    /// Maps a non-2xx response to an error, reading the API's error envelope when there is one.
    static func from(status: Int, body: Data, headers: [String: String]) -> ClientError {
        let envelope = try? LMSJSON.makeDecoder().decode(APIErrorEnvelope.self, from: body)
        let apiError = envelope?.error ?? APIErrorBody(code: .other("http_\(status)"), message: "HTTP \(status)")
        switch status {
        case 401: return .unauthorized(apiError.message)
        case 403: return .forbidden(apiError)
        case 404: return .notFound(envelope?.error.message.replacingOccurrences(of: " not found", with: "") ?? "The resource")
        case 409: return .conflict(apiError)
        case 410: return .gone
        case 429: return .rateLimited(retryAfter: headers["retry-after"].flatMap { Int($0) })
        case 500...599: return .server(status: status)
        default: return .rejected(status: status, apiError)
        }
    }
}
