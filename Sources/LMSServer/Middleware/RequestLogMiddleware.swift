import Vapor

/// One structured log line and the request metrics per request, after the response: method,
/// path (never the query string, which could hold a token), status and duration. The request id
/// also goes back to the client in `X-Request-ID`, so a user's report can be matched to the log.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let metrics = request.application.serverMetrics
        metrics.requestStarted()
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = APIErrorMiddleware.response(for: error, request: request)
        }
        let elapsed = ContinuousClock.now - start
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let requestID = request.logger[metadataKey: "request-id"].map { "\($0)" } ?? UUID().uuidString
        response.headers.replaceOrAdd(name: "X-Request-ID", value: requestID)
        // Browsers must never guess a type other than the one declared (a JSON error echoing
        // input read as HTML, say).
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        metrics.requestFinished(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        let level: Logger.Level = response.status == .serviceUnavailable ? .warning : response.status.code >= 500 ? .error : .info
        request.logger.log(
            level: level, "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.url.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.2f", millis)),
            ])
        return response
    }
}
