import Crypto
import Foundation
import LMSKit
import Vapor

/// Encodes a response body once, tags it with a strong ETag of its bytes, and answers
/// `If-None-Match` with 304 so clients revalidate catalogs and outlines for free.
func taggedJSON<T: Encodable>(_ value: T, for req: Request) throws -> Response {
    taggedJSON(body: try LMSJSON.encode(value), for: req)
}

/// The same, for a body already encoded (by `JSONWriter` on the hot paths).
func taggedJSON(body: Data, for req: Request) -> Response {
    let digest = SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined()
    let etag = "\"\(digest)\""
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .eTag, value: etag)
    headers.replaceOrAdd(name: .cacheControl, value: "private, no-cache")
    if let candidates = req.headers.first(name: .ifNoneMatch),
       candidates.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
        return Response(status: .notModified, headers: headers)
    }
    headers.contentType = .json
    return Response(status: .ok, headers: headers, body: .init(data: body))
}

func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) throws -> Response {
    json(body: try LMSJSON.encode(value), status: status)
}

/// A body already encoded (by `JSONWriter` on the hot paths).
func json(body: Data, status: HTTPResponseStatus = .ok) -> Response {
    var headers = HTTPHeaders()
    headers.contentType = .json
    return Response(status: status, headers: headers, body: .init(data: body))
}
