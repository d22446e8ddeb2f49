import Foundation

/// Machine-readable error codes of the API. Clients branch on these, never on messages.
public enum APIErrorCode: OpenEnum {
    case badRequest, invalidJSON, validationFailed, payloadTooLarge
    case unauthorized, invalidCredentials, tokenExpired, accountInactive
    case forbidden, notFound, conflict, seatsExhausted, lessonLocked, purchaseRequired
    case cursorExpired, rateLimited, signatureInvalid, internalError, unavailable
    case other(String)

    public static let knownCases: [APIErrorCode] = [
        .badRequest, .invalidJSON, .validationFailed, .payloadTooLarge, .unauthorized, .invalidCredentials,
        .tokenExpired, .accountInactive, .forbidden, .notFound, .conflict, .seatsExhausted, .lessonLocked,
        .purchaseRequired, .cursorExpired, .rateLimited, .signatureInvalid, .internalError, .unavailable,
    ]

    public var rawValue: String {
        switch self {
        case .badRequest: "bad_request"
        case .invalidJSON: "invalid_json"
        case .validationFailed: "validation_failed"
        case .payloadTooLarge: "payload_too_large"
        case .unauthorized: "unauthorized"
        case .invalidCredentials: "invalid_credentials"
        case .tokenExpired: "token_expired"
        case .accountInactive: "account_inactive"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .seatsExhausted: "seats_exhausted"
        case .lessonLocked: "lesson_locked"
        case .purchaseRequired: "purchase_required"
        case .cursorExpired: "cursor_expired"
        case .rateLimited: "rate_limited"
        case .signatureInvalid: "signature_invalid"
        case .internalError: "internal_error"
        case .unavailable: "service_unavailable"
        case .other(let value): value
        }
    }
}

/// The body of every error response: `{"error": {"code": "...", "message": "...", "details": ...}}`.
public struct APIErrorEnvelope: Codable, Hashable, Sendable {
    public var error: APIErrorBody

    public init(error: APIErrorBody) { self.error = error }
    public init(code: APIErrorCode, message: String, details: JSONValue? = nil) {
        self.error = APIErrorBody(code: code, message: message, details: details)
    }
}

public struct APIErrorBody: Codable, Hashable, Sendable, Error, CustomStringConvertible {
    public var code: APIErrorCode
    /// A sentence for a person; never a stack trace.
    public var message: String
    public var details: JSONValue?

    public init(code: APIErrorCode, message: String, details: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { message }
}
