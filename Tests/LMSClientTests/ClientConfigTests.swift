import Foundation
import LMSClient
import LMSTestSupport
import Testing

@Suite("config.toml")
struct ClientConfigTests {
    @Test func everySetting() throws {
        let config = try ClientConfig.parse("""
            # mine
            server = "https://lms.example.com"
            theme = "dark"
            player = "mpv --really-quiet"
            glyphs = "ascii"
            sync_interval = 120
            """, path: "config.toml")
        #expect(config == ClientConfig(server: "https://lms.example.com", theme: "dark", player: "mpv --really-quiet", glyphs: .ascii, syncInterval: 120))
        #expect(config.environmentDefaults == ["LMS_SERVER": "https://lms.example.com", "LMS_THEME": "dark", "LMS_PLAYER": "mpv --really-quiet",
                                                "LMS_GLYPHS": "ascii", "LMS_SYNC_INTERVAL": "120"])
        #expect(try ClientConfig.parse("", path: "config.toml") == ClientConfig())
    }

    @Test("A bad file is refused with its path, its line and what to write instead", arguments: [
        ("server = \"x\"\nsever = \"y\"", 2, "unknown setting 'sever'"),
        ("theme = dark", 1, "text goes in quotes"),
        ("glyphs = \"emoji\"", 1, "glyphs must be \"unicode\" or \"ascii\""),
        ("\n\nsync_interval = -5", 3, "sync_interval must be a whole number"),
        ("player = 3", 1, "'player' must be text in quotes"),
    ])
    func badFiles(text: String, line: Int, says: String) {
        #expect {
            try ClientConfig.parse(text, path: "/home/ada/.config/lms/config.toml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.line == line && error.description.hasPrefix("/home/ada/.config/lms/config.toml, line \(line): ") && error.problem.contains(says)
        }
    }

    @Test("lms reads config.toml: flags beat the environment, which beats the file; a bad file stops lms with the line")
    func precedence() async throws {
        let home = try TestHome()
        try FileManager.default.createDirectory(at: home.paths.configDirectory, withIntermediateDirectories: true)
        try Data("glyphs = \"ascii\"\nserver = \"http://127.0.0.1:9\"\n".utf8).write(to: home.paths.configFile)
        // The file's server is the default for login; the environment beats it.
        let fromFile = try await CLI.run(["login", "--email", "a@b.c", "--password-stdin"], home: home, stdin: "x\n")
        #expect(fromFile.stderr.contains("Cannot reach http://127.0.0.1:9"), "\(fromFile.all)")
        let fromEnvironment = try await CLI.run(["login", "--email", "a@b.c", "--password-stdin"], home: home, stdin: "x\n",
                                                environment: ["LMS_SERVER": "http://127.0.0.1:7"])
        #expect(fromEnvironment.stderr.contains("Cannot reach http://127.0.0.1:7"), "\(fromEnvironment.all)")
        let fromFlag = try await CLI.run(["login", "http://127.0.0.1:5", "--email", "a@b.c", "--password-stdin"], home: home, stdin: "x\n",
                                         environment: ["LMS_SERVER": "http://127.0.0.1:7"])
        #expect(fromFlag.stderr.contains("Cannot reach http://127.0.0.1:5"), "\(fromFlag.all)")

        try Data("glyphs = \"ascii\"\ncolour = \"red\"\n".utf8).write(to: home.paths.configFile)
        let bad = try await CLI.run(["courses"], home: home)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("config.toml, line 2: unknown setting 'colour'"), "\(bad.all)")
    }
}
