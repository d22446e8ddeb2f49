import CCurl
import Foundation
import LMSKit

/// Runs requests on one kept-alive libcurl handle on its own serial queue, so blocking network
/// I/O never runs on Swift's cooperative threads (or the UI's).
public final class HTTPSession: @unchecked Sendable {
    // @unchecked: `transport` is only touched on `queue`.
    private let queue = DispatchQueue(label: "lms.http")
    private let transport: CurlTransport

    public let patience: Patience

    public init(patience: Patience = .interactive, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.patience = patience
        var options = CurlTransport.Options(userAgent: "lms/\(LMSVersion.current)", patience: patience)
        // libcurl reads proxies (http_proxy, https_proxy, no_proxy) from the environment itself;
        // CA bundles it does not, so honour the two usual variables.
        options.caBundle = [environment["CURL_CA_BUNDLE"], environment["SSL_CERT_FILE"]].compactMap { $0 }.first { !$0.isEmpty }
        transport = CurlTransport(options: options)
    }

    /// Sends a request; any HTTP status is a response, only transport failures throw.
    public func send(_ request: HTTPRequest, progress: (@Sendable (Int64, Int64) -> Bool)? = nil) async throws(ClientError) -> HTTPResponse {
        let result: Result<HTTPResponse, ClientError> = await withCheckedContinuation { continuation in
            queue.async { [self] in
                do throws(TransportFailure) {
                    continuation.resume(returning: .success(try self.transport.perform(request, progress: progress)))
                } catch {
                    continuation.resume(returning: .failure(ClientError.from(error)))
                }
            }
        }
        return try result.get()
    }
}
