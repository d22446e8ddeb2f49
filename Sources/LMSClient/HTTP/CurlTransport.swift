import CCurl
import Foundation

/// One libcurl easy handle, reused for every request so the connection (and TLS session) is kept
/// alive. Not thread-safe: `HTTPSession` confines it to one serial queue.
final class CurlTransport {
    struct Options: Sendable {
        var userAgent: String
        var patience: Patience = .interactive
        var caBundle: String?
    }

    private let handle: UnsafeMutableRawPointer
    private let options: Options

    init(options: Options) {
        _ = curlGlobalInit
        guard let handle = curl_easy_init() else { fatalError("libcurl could not create a handle (out of memory)") }
        self.handle = handle
        self.options = options
    }

    deinit { curl_easy_cleanup(handle) }

    /// Performs one request. `progress` gets (bytes received, bytes expected or 0) and may return
    /// false to cancel.
    func perform(_ request: HTTPRequest, progress: ((Int64, Int64) -> Bool)? = nil) throws(TransportFailure) -> HTTPResponse {
        curl_easy_reset(handle)
        let sink = ResponseSink(progress: progress, watch: StallWatch(patience: options.patience))
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }

        lms_curl_set_string(handle, CURLOPT_URL, request.url)
        lms_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        lms_curl_set_string(handle, CURLOPT_USERAGENT, options.userAgent)
        // "" means: offer every encoding this libcurl can decode (gzip, deflate, br, zstd).
        lms_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        lms_curl_set_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        let patience = options.patience
        lms_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.connectTimeoutMilliseconds(for: request.url, seconds: patience.connectSeconds))
        lms_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        lms_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        if let bundle = options.caBundle { lms_curl_set_string(handle, CURLOPT_CAINFO, bundle) }
        lms_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)

        lms_curl_set_write_function(handle) { data, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data { sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
            return length
        }
        lms_curl_set_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        lms_curl_set_header_function(handle) { data, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data {
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                sink.header(line: line)
            }
            return length
        }
        lms_curl_set_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque())
        // Called at least once a second, bytes moving or not: where a stalled exchange is noticed.
        // (libcurl's own low-speed check averages over a window that a request's upload keeps
        // above the limit for seconds, so a stall would cost up to twice the patience.)
        lms_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
        lms_curl_set_progress_function(handle) { context, total, now, _, sent in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            if sink.watch.isStalled(bytes: Int64(now) + Int64(sent), at: DispatchTime.now().uptimeNanoseconds) {
                sink.stalled = true
                return 1
            }
            return sink.progress?(Int64(now), Int64(total)) == false ? 1 : 0
        }
        lms_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context.toOpaque())

        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        // libcurl adds "Expect: 100-continue" to large uploads, costing a round trip: suppress it.
        headerList = curl_slist_append(headerList, "Expect:")
        defer { curl_slist_free_all(headerList) }
        lms_curl_set_slist(handle, CURLOPT_HTTPHEADER, headerList)

        let body = request.body ?? Data()
        let code: CURLcode = body.withUnsafeBytes { raw -> CURLcode in
            switch request.method {
            case .get:
                lms_curl_set_long(handle, CURLOPT_HTTPGET, 1)
            default:
                lms_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
                if request.method != .delete || !body.isEmpty {
                    // POSTFIELDS does not copy: the buffer outlives curl_easy_perform below.
                    lms_curl_set_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                    lms_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                }
            }
            return curl_easy_perform(handle)
        }
        if sink.stalled {
            throw TransportFailure(code: CURLE_OPERATION_TIMEDOUT, message: "no progress for \(options.patience.stallSeconds) s")
        }
        guard code == CURLE_OK else { throw TransportFailure(code: code, message: String(cString: curl_easy_strerror(code))) }
        var status = 0
        lms_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }
}

/// Receives a response's bytes and headers from libcurl's callbacks.
private final class ResponseSink {
    var body = Data()
    var headers: [String: String] = [:]
    let progress: ((Int64, Int64) -> Bool)?
    var watch: StallWatch
    /// The exchange was given up for making no headway.
    var stalled = false

    init(progress: ((Int64, Int64) -> Bool)?, watch: StallWatch) {
        self.progress = progress
        self.watch = watch
    }

    func header(line: String) {
        // A new status line (after a 100 Continue or a redirect) starts a new header block.
        if line.hasPrefix("HTTP/") { headers = [:]; return }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }
}

/// Tells when an exchange has made no headway: fewer than `minimumBytesPerSecond` (sent and
/// received together) over the last `stallSeconds`. Pure: fed the byte count and the time.
struct StallWatch {
    private let window: UInt64
    private let minimumBytes: Int64
    /// (time, bytes) samples covering the last window, oldest first.
    private var samples: [(time: UInt64, bytes: Int64)] = []

    init(patience: Patience) {
        window = UInt64(max(1, patience.stallSeconds)) * 1_000_000_000
        minimumBytes = Int64(max(0, patience.minimumBytesPerSecond)) * Int64(max(1, patience.stallSeconds))
    }

    mutating func isStalled(bytes: Int64, at now: UInt64) -> Bool {
        if samples.isEmpty { samples.append((now, 0)) }
        samples.append((now, bytes))
        // Keep one sample at or before the window's start, to measure the whole window.
        while samples.count > 2, now - samples[1].time >= window { samples.removeFirst() }
        guard let first = samples.first, now - first.time >= window else { return false }
        return bytes - first.bytes < minimumBytes
    }
}

/// A libcurl failure before any HTTP status arrived.
struct TransportFailure: Error {
    let code: CURLcode
    let message: String
}

/// curl_global_init must run once, before any thread uses libcurl.
private let curlGlobalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT))
}()

extension CurlTransport {
    /// A server on this machine accepts a connection at once or not at all, so waiting longer
    /// only delays "offline"; across a network a connection may take seconds.
    static func connectTimeoutMilliseconds(for url: String, seconds: Int) -> Int {
        let host = URLComponents(string: url)?.host?.lowercased() ?? ""
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        return loopback ? min(seconds * 1000, 1500) : seconds * 1000
    }
}
