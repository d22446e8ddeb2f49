import FluentPostgresDriver
import LMSKit
import Vapor

/// Turns every error into the API's JSON envelope with the right status. Bad input is never a
/// 500, and a 500 never carries internal details (they go to the log with the request id).
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        let (status, body, headers) = describe(error, request: request)
        let response = Response(status: status, headers: headers)
        response.headers.contentType = .json
        response.body = .init(data: (try? LMSJSON.encode(APIErrorEnvelope(error: body))) ?? Data())
        return response
    }

    static func describe(_ error: any Error, request: Request) -> (HTTPResponseStatus, APIErrorBody, HTTPHeaders) {
        switch error {
        case let failure as APIFailure:
            return (failure.status, APIErrorBody(code: failure.code, message: failure.message, details: failure.details), failure.headers)
        // PostgreSQL cannot store a NUL character in text (SQLSTATE 22021); SQLite can. Input
        // holding one is the client's mistake, not a server failure.
        case let postgres as PSQLError where postgres.serverInfo?[.sqlState] == "22021":
            return (.unprocessableEntity, APIErrorBody(code: .validationFailed, message: "Text must not contain NUL (\\u0000) characters"), [:])
        case let decoding as DecodingError:
            let readable = LMSDecodingError(type: "the request body", underlying: decoding)
            if case .dataCorrupted(let context) = decoding, context.codingPath.isEmpty {
                return (.badRequest, APIErrorBody(code: .invalidJSON, message: "The request body is not valid JSON"), [:])
            }
            return (.unprocessableEntity, APIErrorBody(code: .validationFailed, message: readable.description), [:])
        case let abort as any AbortError:
            let code: APIErrorCode = switch abort.status {
            case .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .payloadTooLarge: .payloadTooLarge
            case .unprocessableEntity: .validationFailed
            case .tooManyRequests: .rateLimited
            default: abort.status.code >= 500 ? .internalError : .badRequest
            }
            let message = abort.status == .payloadTooLarge ? "The request body is too large" : abort.reason
            if abort.status.code >= 500 {
                request.logger.error("internal error: \(String(reflecting: error))")
                return (abort.status, APIErrorBody(code: .internalError, message: "Something went wrong on the server"), abort.headers)
            }
            return (abort.status, APIErrorBody(code: code, message: message), abort.headers)
        default:
            request.logger.error("internal error: \(String(reflecting: error))")
            return (.internalServerError, APIErrorBody(code: .internalError, message: "Something went wrong on the server"), [:])
        }
    }
}
