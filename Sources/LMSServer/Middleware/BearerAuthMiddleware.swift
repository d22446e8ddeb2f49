import LMSKit
import SQLKit
import Vapor

/// Requires `Authorization: Bearer <access token>` and makes the principal available as
/// `request.principal`.
struct BearerAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else {
            throw APIFailure.unauthorized("Sign in to continue: this endpoint needs a bearer token")
        }
        request.storage[PrincipalKey.self] = try await request.application.tokens.verify(bearer.token)
        return try await next.respond(to: request)
    }
}

private struct PrincipalKey: StorageKey { typealias Value = Principal }

extension Request {
    var principal: Principal {
        get throws {
            guard let principal = storage[PrincipalKey.self] else { throw APIFailure.unauthorized() }
            return principal
        }
    }

    var sql: any SQLDatabase { db.sql }

    /// Decodes the JSON body, reporting malformed or mistyped input as 400/422, never 500.
    func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        guard let buffer = body.data else { throw APIFailure.badRequest("A JSON request body is required") }
        let data = Data(buffer.readableBytesView)
        do {
            return try LMSJSON.makeDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                // Foundation reports a number too large for Swift's types at the top level, as if
                // the text were broken; well-formed JSON with such a number is a value out of range.
                if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil {
                    throw APIFailure.validation("A number in the request is too large for its field")
                }
                throw APIFailure(status: .badRequest, code: .invalidJSON, message: "The request body is not valid JSON")
            }
            throw APIFailure.validation(LMSDecodingError(type: "the request", underlying: error).description)
        }
    }

    /// A path parameter that must be a UUID; anything else is simply not found.
    func uuidParameter(_ name: String, what: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw APIFailure.notFound(what) }
        return id
    }
}
