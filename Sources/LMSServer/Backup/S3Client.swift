import CCurl
import Crypto
import Foundation
import LMSKit

/// An object as a bucket listing shows it.
struct StoredObject: Sendable, Equatable {
    var key: String
    var bytes: Int64
}

/// What a HEAD request tells about an object: its size and its `x-amz-meta-*` metadata.
struct ObjectHead: Sendable, Equatable {
    var bytes: Int64
    var metadata: [String: String]
}

/// An incomplete multipart upload, as ListMultipartUploads shows it.
struct PendingUpload: Sendable, Equatable {
    var key: String
    var uploadID: String
    var initiated: Date?
}

/// Why a storage request failed, in terms an operator can act on.
enum S3Failure: Error, Equatable {
    /// No connection at all: wrong endpoint, DNS, firewall, service down.
    case unreachable(endpoint: String, reason: String)
    /// The connection broke or stalled mid-request.
    case interrupted(reason: String)
    /// The service answered with an error.
    case refused(status: Int, code: String, message: String)
    /// A signal asked the run to stop.
    case cancelled
}

/// The S3 requests backups need over libcurl, each signed with AWS Signature V4 (`SigV4Signer`),
/// which R2, MinIO and moto accept as AWS does. Blocking and not
/// thread-safe: one client per thread. Request bodies are in memory (one part at most), so
/// every request can be retried and its payload hash is exact.
final class S3Client {
    let settings: BackupSettings
    private let handle: UnsafeMutableRawPointer
    private let isCancelled: @Sendable () -> Bool

    init(settings: BackupSettings, isCancelled: @escaping @Sendable () -> Bool = { false }) {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard let handle = curl_easy_init() else { fatalError("libcurl could not create a handle (out of memory)") }
        self.handle = handle
        self.settings = settings
        self.isCancelled = isCancelled
    }

    deinit { curl_easy_cleanup(handle) }

    /// Where the bucket is: path-style on a custom endpoint (R2 and most S3-compatible services),
    /// virtual-hosted on AWS.
    var endpointDescription: String {
        settings.endpoint?.absoluteString ?? "https://" + target(key: nil, query: []).host
    }

    // MARK: Objects

    func putObject(_ key: String, body: UnsafeRawBufferPointer, metadata: [String: String]) throws {
        let headers = metadata.map { ("x-amz-meta-\($0.key)", $0.value) }
        try send("PUT", key: key, headers: headers, body: body, retries: 2)
    }

    /// nil when there is no such object.
    func head(_ key: String) throws -> ObjectHead? {
        do {
            let response = try send("HEAD", key: key, retries: 2)
            var metadata: [String: String] = [:]
            for (name, value) in response.headers where name.hasPrefix("x-amz-meta-") {
                metadata[String(name.dropFirst("x-amz-meta-".count))] = value
            }
            return ObjectHead(bytes: Int64(response.headers["content-length"] ?? "") ?? 0, metadata: metadata)
        } catch S3Failure.refused(404, _, _) {
            return nil
        }
    }

    /// Streams an object's bytes to `receive` as they arrive. Not retried: the receiver has seen
    /// part of the bytes already.
    func get(_ key: String, receive: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        try send("GET", key: key, receive: receive)
    }

    func delete(_ key: String) throws {
        try send("DELETE", key: key, retries: 2)
    }

    /// A server-side copy with new metadata (objects up to 5 GB; larger ones go part by part).
    func copy(from source: String, to key: String, metadata: [String: String]) throws {
        var headers = [("x-amz-copy-source", copySource(source)), ("x-amz-metadata-directive", "REPLACE")]
        headers += metadata.map { ("x-amz-meta-\($0.key)", $0.value) }
        let response = try send("PUT", key: key, headers: headers, body: UnsafeRawBufferPointer(start: nil, count: 0), retries: 2)
        // A copy can fail after its 200 was sent: the error is then in the body.
        try Self.throwIfErrorDocument(response)
    }

    /// Every object whose key starts with `prefix`, page by page.
    func list(prefix: String) throws -> [StoredObject] {
        var objects: [StoredObject] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try send("GET", query: query, retries: 2)
            let text = String(decoding: response.body, as: UTF8.self)
            for entry in XMLScan.elements("Contents", in: text) {
                guard let key = XMLScan.value("Key", in: entry) else { continue }
                objects.append(StoredObject(key: key, bytes: Int64(XMLScan.value("Size", in: entry) ?? "") ?? 0))
            }
            token = XMLScan.value("IsTruncated", in: text) == "true" ? XMLScan.value("NextContinuationToken", in: text) : nil
        } while token != nil
        return objects
    }

    // MARK: Multipart uploads

    func createMultipartUpload(_ key: String, metadata: [String: String] = [:]) throws -> String {
        let headers = metadata.map { ("x-amz-meta-\($0.key)", $0.value) }
        let response = try send("POST", key: key, query: [("uploads", "")], headers: headers, body: UnsafeRawBufferPointer(start: nil, count: 0), retries: 2)
        guard let id = XMLScan.value("UploadId", in: String(decoding: response.body, as: UTF8.self)) else {
            throw S3Failure.refused(status: response.status, code: "MalformedResponse", message: "no UploadId in the answer to CreateMultipartUpload")
        }
        return id
    }

    /// Returns the part's ETag, which completing the upload needs.
    func uploadPart(_ key: String, uploadID: String, number: Int, body: UnsafeRawBufferPointer) throws -> String {
        let response = try send("PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: body, retries: 3)
        guard let etag = response.headers["etag"] else {
            throw S3Failure.refused(status: response.status, code: "MalformedResponse", message: "no ETag for part \(number)")
        }
        return etag
    }

    /// Copies bytes `range` of `source` as one part of an upload.
    func uploadPartCopy(_ key: String, uploadID: String, number: Int, source: String, range: ClosedRange<Int64>) throws -> String {
        let headers = [("x-amz-copy-source", copySource(source)), ("x-amz-copy-source-range", "bytes=\(range.lowerBound)-\(range.upperBound)")]
        let response = try send(
            "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], headers: headers,
            body: UnsafeRawBufferPointer(start: nil, count: 0), retries: 2)
        try Self.throwIfErrorDocument(response)
        guard let etag = XMLScan.value("ETag", in: String(decoding: response.body, as: UTF8.self)) else {
            throw S3Failure.refused(status: response.status, code: "MalformedResponse", message: "no ETag for copied part \(number)")
        }
        return etag
    }

    func completeMultipartUpload(_ key: String, uploadID: String, etags: [String]) throws {
        var document = "<CompleteMultipartUpload>"
        for (index, etag) in etags.enumerated() {
            document += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(XMLScan.escape(etag))</ETag></Part>"
        }
        document += "</CompleteMultipartUpload>"
        let bytes = Array(document.utf8)
        let response = try bytes.withUnsafeBytes { raw in
            try send("POST", key: key, query: [("uploadId", uploadID)], headers: [("content-type", "application/xml")], body: raw, retries: 2)
        }
        try Self.throwIfErrorDocument(response)
    }

    func abortMultipartUpload(_ key: String, uploadID: String) throws {
        try send("DELETE", key: key, query: [("uploadId", uploadID)], retries: 1)
    }

    func listMultipartUploads(prefix: String) throws -> [PendingUpload] {
        let response = try send("GET", query: [("prefix", prefix), ("uploads", "")], retries: 2)
        let text = String(decoding: response.body, as: UTF8.self)
        return XMLScan.elements("Upload", in: text).compactMap { entry in
            guard let key = XMLScan.value("Key", in: entry), let id = XMLScan.value("UploadId", in: entry) else { return nil }
            return PendingUpload(key: key, uploadID: id, initiated: XMLScan.value("Initiated", in: entry).flatMap(ISO8601.parse))
        }
    }

    // MARK: Requests

    struct S3Response {
        var status: Int
        var headers: [String: String]
        var body: Data
    }

    private func copySource(_ key: String) -> String {
        "/" + settings.bucket + "/" + Self.encode(key, keepingSlashes: true)
    }

    /// A request's address in the parts SigV4 signs: the host (with its port), the encoded path,
    /// and the query sorted by name with every name and value encoded (`name=` when empty).
    struct Target: Equatable {
        var scheme: String
        var host: String
        var path: String
        var query: String
        var url: String { "\(scheme)://\(host)\(path)" + (query.isEmpty ? "" : "?\(query)") }
    }

    func target(key: String?, query: [(String, String)]) -> Target {
        let keyPath = key.map { "/" + Self.encode($0, keepingSlashes: true) } ?? ""
        let encoded = query.map { (Self.encode($0.0, keepingSlashes: false), Self.encode($0.1, keepingSlashes: false)) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        if let endpoint = settings.endpoint {
            let host = (endpoint.host ?? "") + (endpoint.port.map { ":\($0)" } ?? "")
            let base = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
            return Target(scheme: endpoint.scheme ?? "https", host: host, path: base + "/" + settings.bucket + keyPath, query: encoded)
        }
        // A bucket name with dots would not match the wildcard certificate as a host name.
        if settings.bucket.contains(".") {
            return Target(scheme: "https", host: "s3.\(settings.region).amazonaws.com", path: "/" + settings.bucket + keyPath, query: encoded)
        }
        return Target(scheme: "https", host: "\(settings.bucket).s3.\(settings.region).amazonaws.com", path: keyPath.isEmpty ? "/" : keyPath, query: encoded)
    }

    func url(key: String?, query: [(String, String)]) -> String { target(key: key, query: query).url }

    @discardableResult
    private func send(
        _ method: String, key: String? = nil, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: UnsafeRawBufferPointer? = nil, retries: Int = 0, receive: ((UnsafeRawBufferPointer) throws -> Void)? = nil
    ) throws -> S3Response {
        var attempt = 0
        while true {
            do {
                return try perform(method, target: target(key: key, query: query), headers: headers, body: body, receive: receive)
            } catch let failure as S3Failure {
                attempt += 1
                guard attempt <= retries, Self.isTransient(failure) else { throw failure }
                Thread.sleep(forTimeInterval: 0.25 * Double(1 << attempt))
            }
        }
    }

    static func isTransient(_ failure: S3Failure) -> Bool {
        switch failure {
        case .interrupted: true
        case .refused(let status, let code, _): status >= 500 || status == 429 || code == "SlowDown" || code == "RequestTimeout"
        case .unreachable, .cancelled: false
        }
    }

    private func perform(
        _ method: String, target: Target, headers: [(String, String)], body: UnsafeRawBufferPointer?,
        receive: ((UnsafeRawBufferPointer) throws -> Void)?
    ) throws -> S3Response {
        curl_easy_reset(handle)
        let exchange = Exchange(receive: receive, isCancelled: isCancelled)
        let context = Unmanaged.passRetained(exchange)
        defer { context.release() }

        lms_curl_set_string(handle, CURLOPT_URL, target.url)
        lms_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        lms_curl_set_string(handle, CURLOPT_USERAGENT, "lms-server-backup")
        lms_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, 10)
        // A transfer slower than 1 KB/s for a minute is a cut, not a slow network.
        lms_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1024)
        lms_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, 60)
        lms_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        lms_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        lms_curl_set_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)

        lms_curl_set_write_function(handle) { data, size, count, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            return exchange.received(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
        }
        lms_curl_set_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        lms_curl_set_header_function(handle) { data, size, count, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            exchange.header(String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self))
            return size * count
        }
        lms_curl_set_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque())
        lms_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
        lms_curl_set_progress_function(handle) { context, _, _, _, _ in
            Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().isCancelled() ? 1 : 0
        }
        lms_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context.toOpaque())

        // The payload's hash is signed too; S3 checks the bytes against it.
        let payload = body.map { Self.hex(SHA256.hash(data: $0)) } ?? Self.emptyPayloadHash
        var list: UnsafeMutablePointer<curl_slist>?
        var signed = headers + [("host", target.host), ("x-amz-content-sha256", payload)]
        if body != nil, !headers.contains(where: { $0.0 == "content-type" }) { signed.append(("content-type", "application/octet-stream")) }
        let signer = SigV4Signer(accessKeyID: settings.accessKeyID, secretAccessKey: settings.secretAccessKey, region: settings.region)
        let authorization = signer.sign(method: method, path: target.path, query: target.query, headers: signed, payloadHash: payload, date: Date())
        // "Expect:" keeps libcurl from waiting for a 100 Continue before each part.
        for (name, value) in signed + authorization + [("expect", "")] {
            list = curl_slist_append(list, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        defer { curl_slist_free_all(list) }
        lms_curl_set_slist(handle, CURLOPT_HTTPHEADER, list)

        switch method {
        case "GET": lms_curl_set_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD": lms_curl_set_long(handle, CURLOPT_NOBODY, 1)
        default: lms_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method)
        }
        if let body {
            // POSTFIELDS does not copy: `body` outlives the transfer below.
            lms_curl_set_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            lms_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
        }
        let code = curl_easy_perform(handle)
        if let error = exchange.receiverError { throw error }
        guard code == CURLE_OK else {
            if code == CURLE_ABORTED_BY_CALLBACK { throw S3Failure.cancelled }
            let reason = String(cString: curl_easy_strerror(code))
            switch code {
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION:
                throw S3Failure.unreachable(endpoint: endpointDescription, reason: reason)
            case CURLE_OPERATION_TIMEDOUT where connectTime() == 0:
                throw S3Failure.unreachable(endpoint: endpointDescription, reason: reason)
            default:
                throw S3Failure.interrupted(reason: reason)
            }
        }
        var status = 0
        lms_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let response = S3Response(status: status, headers: exchange.headers, body: exchange.body)
        guard (200..<300).contains(status) else {
            let text = String(decoding: response.body, as: UTF8.self)
            throw S3Failure.refused(
                status: status, code: XMLScan.value("Code", in: text) ?? "HTTP \(status)",
                message: XMLScan.value("Message", in: text) ?? "")
        }
        return response
    }

    private func connectTime() -> Double {
        var seconds = 0.0
        lms_curl_get_double(handle, CURLINFO_CONNECT_TIME, &seconds)
        return seconds
    }

    private static func throwIfErrorDocument(_ response: S3Response) throws {
        let text = String(decoding: response.body.prefix(4096), as: UTF8.self)
        guard text.contains("<Error>") else { return }
        throw S3Failure.refused(status: response.status, code: XMLScan.value("Code", in: text) ?? "Error", message: XMLScan.value("Message", in: text) ?? "")
    }

    static let emptyPayloadHash = hex(SHA256.hash(data: Data()))

    static func hex(_ digest: SHA256.Digest) -> String { SigV4Signer.hex(digest) }

    /// S3's URI encoding: unreserved characters as they are, everything else as %XX.
    static func encode(_ text: String, keepingSlashes: Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                result.append("/")
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}

/// One request's response as libcurl hands it over, and the receiver's verdict.
private final class Exchange {
    let receive: ((UnsafeRawBufferPointer) throws -> Void)?
    let isCancelled: @Sendable () -> Bool
    var status = 0
    var headers: [String: String] = [:]
    var body = Data()
    var receiverError: (any Error)?

    init(receive: ((UnsafeRawBufferPointer) throws -> Void)?, isCancelled: @escaping @Sendable () -> Bool) {
        self.receive = receive
        self.isCancelled = isCancelled
    }

    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]
            status = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        headers[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] =
            line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Successful bodies go to the receiver when there is one; error documents are kept.
    func received(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let receive, (200..<300).contains(status) else {
            body.append(contentsOf: bytes)
            return true
        }
        do {
            try receive(bytes)
            return true
        } catch {
            receiverError = error
            return false
        }
    }
}

/// Just enough XML for S3's answers (flat elements, entities), so the server needs no XML
/// library and the shipped binaries no libxml2.
enum XMLScan {
    /// The contents of every `<tag>…</tag>`, in order.
    static func elements(_ tag: String, in text: String) -> [Substring] {
        var found: [Substring] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(tag)>"), let close = rest[open.upperBound...].range(of: "</\(tag)>") {
            found.append(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func value<S: StringProtocol>(_ tag: String, in text: S) -> String? {
        guard let open = text.range(of: "<\(tag)>"), let close = text[open.upperBound...].range(of: "</\(tag)>") else { return nil }
        return unescape(String(text[open.upperBound..<close.lowerBound]))
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { result.unicodeScalars.append(scalar) } else { result += "&\(entity);" }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return result + rest
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
