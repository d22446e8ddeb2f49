import Foundation

/// Where lms keeps its files, following the XDG base directory specification.
public struct Paths: Sendable {
    public var configDirectory: URL
    public var dataDirectory: URL
    /// `$XDG_STATE_HOME/lms`: the log.
    public var stateDirectory: URL

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func base(_ variable: String, _ fallback: String) -> URL {
            if let value = environment[variable], value.hasPrefix("/") { return URL(fileURLWithPath: value) }
            return URL(fileURLWithPath: home).appendingPathComponent(fallback)
        }
        configDirectory = base("XDG_CONFIG_HOME", ".config").appendingPathComponent("lms")
        dataDirectory = base("XDG_DATA_HOME", ".local/share").appendingPathComponent("lms")
        stateDirectory = base("XDG_STATE_HOME", ".local/state").appendingPathComponent("lms")
    }

    public var credentialsFile: URL { configDirectory.appendingPathComponent("credentials.json") }
    public var configFile: URL { configDirectory.appendingPathComponent("config.toml") }
    public var logFile: URL { stateDirectory.appendingPathComponent("lms.log") }

    /// `$XDG_DATA_HOME/lms/<server>/<user>/`: unsynced work lives here, so it is data, not cache.
    public func accountDirectory(server: String, userID: UUID) -> URL {
        dataDirectory.appendingPathComponent(Self.directoryName(forServer: server)).appendingPathComponent(userID.uuidString.lowercased())
    }

    /// `https://lms.example.com:8443/` → `lms.example.com_8443`.
    static func directoryName(forServer server: String) -> String {
        var text = server
        for prefix in ["https://", "http://"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        while text.hasSuffix("/") { text.removeLast() }
        return String(text.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }
}
