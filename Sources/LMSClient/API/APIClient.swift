import Foundation
import LMSKit
import Logging

/// The LMS REST API over libcurl: typed calls, the error envelope turned into `ClientError`, and
/// access tokens refreshed transparently (once, shared by concurrent callers).
public actor APIClient {
    public let server: String
    private let http: HTTPSession
    /// Each request with its status and time (the log a learner can send with a bug report).
    private let logger = Logger(label: "lms.api")
    private let credentialStore: CredentialStore?
    public private(set) var credentials: Credentials?
    private var refreshing: Task<Credentials, any Error>?
    private let now: @Sendable () -> Date

    public init(
        server: String, credentials: Credentials?, http: HTTPSession = HTTPSession(), credentialStore: CredentialStore? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.server = normalizedServerURL(server)
        self.credentials = credentials
        self.http = http
        self.credentialStore = credentialStore
        self.now = now
    }

    // MARK: Session

    public func login(email: String, password: String) async throws(ClientError) -> TokenResponse {
        let tokens: TokenResponse = try await send(.post, "/api/v1/auth/login", body: LoginRequest(email: email, password: password), authenticated: false)
        let credentials = Credentials(server: server, tokens: tokens, now: now())
        self.credentials = credentials
        try persist(credentials)
        if let paths = credentialStore?.paths {
            // Only a convenience for the next sign-in: a failure to write it costs nothing else.
            do { try LastServer(paths: paths).remember(server) } catch {}
        }
        return tokens
    }

    /// Revokes the session on the server when it can; forgets the tokens locally in any case.
    public func logout() async -> ClientError? {
        guard let credentials else { return nil }
        var failure: ClientError?
        do {
            let _: Empty = try await send(.post, "/api/v1/auth/logout", body: RefreshRequest(refreshToken: credentials.refreshToken), authenticated: false)
        } catch {
            failure = error
        }
        self.credentials = nil
        credentialStore?.delete()
        return failure
    }

    // MARK: Endpoints

    public func me() async throws(ClientError) -> MeResponse { try await send(.get, "/api/v1/me") }

    public func catalog(cursor: String? = nil, limit: Int = 100, search: String? = nil) async throws(ClientError) -> CatalogPage {
        var query = [("limit", String(limit))]
        if let cursor { query.append(("cursor", cursor)) }
        if let search { query.append(("q", search)) }
        return try await send(.get, "/api/v1/courses", query: query)
    }

    public func outline(slug: String) async throws(ClientError) -> CourseOutlineResponse {
        try await send(.get, "/api/v1/courses/\(Self.escape(slug))")
    }

    public func lesson(_ id: UUID) async throws(ClientError) -> LessonContent { try await send(.get, "/api/v1/lessons/\(id)") }

    public func progress(courseID: UUID? = nil) async throws(ClientError) -> [UserProgress] {
        let list: ItemList<UserProgress> = try await send(.get, "/api/v1/progress", query: courseID.map { [("course_id", $0.uuidString)] } ?? [])
        return list.items
    }

    public func upsertProgress(_ update: ProgressUpsert) async throws(ClientError) -> ProgressUpsertResponse {
        try await send(.put, "/api/v1/progress", body: update)
    }

    public func submitQuiz(lessonID: UUID, _ submission: QuizSubmission) async throws(ClientError) -> QuizAttemptResponse {
        try await send(.post, "/api/v1/lessons/\(lessonID)/quiz/attempts", body: submission)
    }

    /// Starts buying a course: a free one is owned at once, a paid one comes with its payment page.
    public func checkout(courseID: UUID) async throws(ClientError) -> CheckoutResponse {
        try await send(.post, "/api/v1/purchases", body: CheckoutRequest(courseID: courseID))
    }

    public func badges() async throws(ClientError) -> [Badge] {
        let list: ItemList<Badge> = try await send(.get, "/api/v1/badges")
        return list.items
    }

    public func myBadges() async throws(ClientError) -> [EarnedBadge] {
        let list: ItemList<EarnedBadge> = try await send(.get, "/api/v1/me/badges")
        return list.items
    }

    public func instructorOutline(slug: String) async throws(ClientError) -> InstructorOutline {
        try await send(.get, "/api/v1/instructor/courses/\(Self.escape(slug))/outline")
    }

    public func changes(cursor: String?, limit: Int = 1000, progress: (@Sendable (Int64, Int64) -> Bool)? = nil) async throws(ClientError) -> SyncChangesPage {
        var query = [("limit", String(limit))]
        if let cursor { query.append(("cursor", cursor)) }
        return try await send(.get, "/api/v1/sync/changes", query: query, progress: progress)
    }

    public func push(_ request: SyncPushRequest) async throws(ClientError) -> SyncPushResponse {
        try await send(.post, "/api/v1/sync/push", body: request)
    }

    // MARK: Plumbing

    private struct Empty: Decodable {}
    private struct NoBody: Encodable {}

    private func send<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], authenticated: Bool = true,
        progress: (@Sendable (Int64, Int64) -> Bool)? = nil
    ) async throws(ClientError) -> Response {
        try await send(method, path, query: query, body: Optional<NoBody>.none, authenticated: authenticated, progress: progress)
    }

    private func send<Body: Encodable, Response: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Body?, authenticated: Bool = true,
        progress: (@Sendable (Int64, Int64) -> Bool)? = nil
    ) async throws(ClientError) -> Response {
        var url = server + path
        if !query.isEmpty { url += "?" + query.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&") }
        var headers = [("Accept", "application/json")]
        var payload: Data?
        if let body {
            do {
                payload = try LMSJSON.encode(body)
            } catch {
                throw .invalidResponse("could not encode the request: \(error)")
            }
            headers.append(("Content-Type", "application/json"))
        }
        var response: HTTPResponse
        if authenticated {
            var token = try await validAccessToken()
            response = try await logged(HTTPRequest(method: method, url: url, headers: headers + [("Authorization", "Bearer \(token)")], body: payload), path: path, progress: progress)
            if response.status == 401 {
                // The token expired or the server restarted with a new key: refresh once and retry.
                token = try await refreshAccessToken(rejected: token)
                response = try await logged(HTTPRequest(method: method, url: url, headers: headers + [("Authorization", "Bearer \(token)")], body: payload), path: path, progress: progress)
            }
        } else {
            response = try await logged(HTTPRequest(method: method, url: url, headers: headers, body: payload), path: path, progress: progress)
        }
        guard (200..<300).contains(response.status) else {
            throw ClientError.from(status: response.status, body: response.body, headers: response.headers)
        }
        if Response.self == Empty.self, response.body.isEmpty { return Empty() as! Response }
        do {
            return try LMSJSON.decode(Response.self, from: response.body)
        } catch {
            throw .invalidResponse(error.description)
        }
    }

    /// Sends and logs: method, path (never the query or headers, which may hold secrets), status,
    /// size and time, or the failure.
    private func logged(_ request: HTTPRequest, path: String, progress: (@Sendable (Int64, Int64) -> Bool)?) async throws(ClientError) -> HTTPResponse {
        let started = ContinuousClock.now
        do {
            let response = try await http.send(request, progress: progress)
            let elapsed = ContinuousClock.now - started
            logger.debug("\(request.method.rawValue) \(path) \(response.status)", metadata: [
                "bytes": "\(response.body.count)", "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)"])
            return response
        } catch {
            logger.warning("\(request.method.rawValue) \(path) failed: \(error.description)")
            throw error
        }
    }

    private func validAccessToken() async throws(ClientError) -> String {
        guard let credentials else { throw .notSignedIn }
        if credentials.accessExpiresAt.timeIntervalSince(now()) > 30 { return credentials.accessToken }
        return try await refreshAccessToken(rejected: credentials.accessToken)
    }

    /// Refreshes unless another caller already did since `rejected` was handed out.
    private func refreshAccessToken(rejected: String) async throws(ClientError) -> String {
        guard let current = credentials else { throw .notSignedIn }
        if current.accessToken != rejected, current.accessExpiresAt.timeIntervalSince(now()) > 30 { return current.accessToken }
        if refreshing == nil {
            let refreshToken = current.refreshToken
            let server = self.server
            let http = self.http
            let clock = now
            refreshing = Task { () async throws -> Credentials in
                let body = try LMSJSON.encode(RefreshRequest(refreshToken: refreshToken))
                let response = try await http.send(
                    HTTPRequest(method: .post, url: server + "/api/v1/auth/refresh",
                                headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: body))
                guard response.status == 200 else {
                    throw ClientError.from(status: response.status, body: response.body, headers: response.headers)
                }
                let tokens = try LMSJSON.decode(TokenResponse.self, from: response.body)
                return Credentials(server: server, tokens: tokens, now: clock())
            }
        }
        let task = refreshing!
        do {
            let fresh = try await task.value
            // Only the first caller back installs the result: a later one must not clear a newer
            // refresh (whose token would then be presented twice) or put back older credentials.
            if refreshing == task {
                refreshing = nil
                credentials = fresh
                try persist(fresh)
            }
            return fresh.accessToken
        } catch {
            if refreshing == task { refreshing = nil }
            switch error {
            case let clientError as ClientError: throw clientError
            case let decoding as LMSDecodingError: throw .invalidResponse(decoding.description)
            default: throw .invalidResponse("\(error)")
            }
        }
    }

    private func persist(_ credentials: Credentials) throws(ClientError) {
        do {
            try credentialStore?.save(credentials)
        } catch {
            throw .invalidResponse("signed in, but the credentials could not be saved: \(error.description)")
        }
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
