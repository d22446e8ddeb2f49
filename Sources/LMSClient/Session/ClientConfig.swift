import Foundation
import TOMLKit

/// `$XDG_CONFIG_HOME/lms/config.toml`: the learner's settings. Flags beat the environment, which
/// beats this file; a missing file is all defaults.
///
///     server = "https://lms.example.com"
///     theme = "dark"
///     player = "mpv --really-quiet"
///     glyphs = "ascii"          # or "unicode" (default: what the locale allows)
///     sync_interval = 300       # seconds between syncs while the app is open; 0: only on start and when asked
public struct ClientConfig: Equatable, Sendable {
    public enum Glyphs: String, Sendable, CaseIterable {
        case unicode, ascii
    }

    public var server: String?
    public var theme: String?
    public var player: String?
    public var glyphs: Glyphs?
    public var syncInterval: Int?

    public init(server: String? = nil, theme: String? = nil, player: String? = nil, glyphs: Glyphs? = nil, syncInterval: Int? = nil) {
        self.server = server
        self.theme = theme
        self.player = player
        self.glyphs = glyphs
        self.syncInterval = syncInterval
    }

    static let keys = ["server", "theme", "player", "glyphs", "sync_interval"]

    /// The settings as the environment variables that carry them, for those the environment does
    /// not set already: so every part of lms reads one place, and the environment wins.
    public var environmentDefaults: [String: String] {
        var values: [String: String] = [:]
        values["LMS_SERVER"] = server
        values["LMS_THEME"] = theme
        values["LMS_PLAYER"] = player
        values["LMS_GLYPHS"] = glyphs?.rawValue
        values["LMS_SYNC_INTERVAL"] = syncInterval.map(String.init)
        return values
    }

    /// The file at `paths.configFile`, or defaults when there is none.
    public static func load(paths: Paths) throws(ConfigError) -> ClientConfig {
        let path = paths.configFile.path
        guard FileManager.default.fileExists(atPath: path) else { return ClientConfig() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, line: nil, problem: "cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws(ConfigError) -> ClientConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(path: path, line: error.source.begin.line, problem: "\(error.description) (text goes in quotes: name = \"value\")")
        } catch {
            throw ConfigError(path: path, line: nil, problem: "\(error)")
        }
        // TOMLKit keeps no positions for values: the line of a key is found in the text.
        func line(of key: String) -> Int? {
            text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix(key)
            }.map { $0 + 1 }
        }
        func fail(_ key: String, _ problem: String) -> ConfigError { ConfigError(path: path, line: line(of: key), problem: problem) }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = table[key] else { return nil }
            guard let string = value.string, !string.isEmpty else { throw fail(key, "'\(key)' must be text in quotes, such as \(key) = \"…\"") }
            return string
        }

        for key in table.keys where !keys.contains(key) {
            throw fail(key, "unknown setting '\(key)' (settings: \(keys.joined(separator: ", ")))")
        }
        var config = ClientConfig()
        config.server = try string("server")
        config.theme = try string("theme")
        config.player = try string("player")
        if let glyphs = try string("glyphs") {
            guard let known = Glyphs(rawValue: glyphs) else { throw fail("glyphs", "glyphs must be \"unicode\" or \"ascii\", not \"\(glyphs)\"") }
            config.glyphs = known
        }
        if let value = table["sync_interval"] {
            guard let seconds = value.int, seconds >= 0 else {
                throw fail("sync_interval", "sync_interval must be a whole number of seconds, 0 or more")
            }
            config.syncInterval = seconds
        }
        return config
    }
}

/// A config file that cannot be used, said with its path and line.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let problem: String

    public var description: String { "\(path)\(line.map { ", line \($0)" } ?? ""): \(problem)" }
}
