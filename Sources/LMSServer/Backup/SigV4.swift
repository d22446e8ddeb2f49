import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, signed with swift-crypto. libcurl can sign too
/// (CURLOPT_AWS_SIGV4), but the 7.88 of Debian 12 sorts headers by their whole line, so a
/// request carrying both `x-amz-copy-source` and `x-amz-copy-source-range` (UploadPartCopy) is
/// signed in the wrong order, and it signs the query exactly as given.
struct SigV4Signer: Sendable {
    let accessKeyID: String
    let secretAccessKey: String
    let region: String
    let service = "s3"

    /// The headers to send with the request: `x-amz-date` and `authorization`. `headers` are the
    /// ones to sign (host, x-amz-content-sha256, x-amz-*, content-type), names in lower case;
    /// `path` and `query` are already encoded as the request line carries them.
    func sign(method: String, path: String, query: String, headers: [(String, String)], payloadHash: String, date: Date) -> [(String, String)] {
        let stamp = BackupKey.format(date)
        let day = String(stamp.prefix(8))
        let signed = (headers + [("x-amz-date", stamp)])
            .map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }
            .sorted { $0.0 < $1.0 }
        let canonicalRequest = [
            method, path, query,
            signed.map { "\($0.0):\($0.1)\n" }.joined(),
            signed.map(\.0).joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8)))].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope),SignedHeaders=\(signed.map(\.0).joined(separator: ";")),Signature=\(signature)"
        return [("x-amz-date", stamp), ("authorization", authorization)]
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
