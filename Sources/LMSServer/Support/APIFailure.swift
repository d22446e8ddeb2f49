import LMSKit
import Vapor

/// An error the API reports on purpose: a status, a machine-readable code and a sentence.
struct APIFailure: Error, AbortError {
    let status: HTTPResponseStatus
    let code: APIErrorCode
    let message: String
    var details: JSONValue? = nil
    var headers: HTTPHeaders = [:]

    var reason: String { message }

    static func notFound(_ what: String) -> APIFailure {
        APIFailure(status: .notFound, code: .notFound, message: "\(what) not found")
    }

    static func badRequest(_ message: String) -> APIFailure {
        APIFailure(status: .badRequest, code: .badRequest, message: message)
    }

    static func validation(_ message: String) -> APIFailure {
        APIFailure(status: .unprocessableEntity, code: .validationFailed, message: message)
    }

    static func unauthorized(_ message: String = "Sign in to continue") -> APIFailure {
        APIFailure(status: .unauthorized, code: .unauthorized, message: message)
    }

    static func forbidden(_ message: String) -> APIFailure {
        APIFailure(status: .forbidden, code: .forbidden, message: message)
    }

    static func conflict(_ message: String, code: APIErrorCode = .conflict) -> APIFailure {
        APIFailure(status: .conflict, code: code, message: message)
    }
}
