import Foundation

/// The server signed in to last, remembered apart from the tokens so that signing out does not
/// forget it: `lms login` and the sign-in form offer it next time.
public struct LastServer: Sendable {
    let file: URL

    public init(paths: Paths) {
        file = paths.configDirectory.appendingPathComponent("server")
    }

    /// `LMS_SERVER`, else the last server, else the usual local address.
    public func address(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let fromEnvironment = environment["LMS_SERVER"], !fromEnvironment.isEmpty { return fromEnvironment }
        return remembered ?? "http://127.0.0.1:8080"
    }

    public var remembered: String? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    public func remember(_ server: String) throws(StorageError) {
        try AtomicFile.write(Data((server + "\n").utf8), to: file)
    }
}

extension ClientError {
    /// The sentence for a failure while signing in, where "session ended" or "working offline"
    /// would mislead.
    public func atSignIn(server: String) -> String {
        switch self {
        case .unreachable(let detail), .offline(let detail):
            "Cannot reach \(server) (\(detail)): check the address, and that the server is running"
        case .timeout: "\(server) took too long to answer: check the address, or try again"
        case .unauthorized(let message): message.isEmpty ? "Wrong email or password" : message
        default: description
        }
    }
}
