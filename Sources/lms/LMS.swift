import ArgumentParser
import Foundation
import LMSClient
import LMSKit
import Logging

@main
struct LMS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lms",
        abstract: "Learn from the terminal: courses, lessons, quizzes, progress and badges, online or offline.",
        discussion: """
            --verbose (with any command) logs each request on standard error; the log of every run is in \
            $XDG_STATE_HOME/lms/lms.log (see lms status). \
            Exit codes: 0 success · 1 unexpected error · 2 bad usage · 3 not signed in or session ended · \
            4 server unreachable (work is kept and synced later) · 5 refused by the server (not found, locked, \
            forbidden) · 6 local files unavailable (locked by another lms, or from a newer version).
            """,
        version: "lms \(LMSVersion.current)",
        subcommands: [
            Open.self, Demo.self, Login.self, Logout.self, Sync.self, Status.self, Courses.self, CourseCommand.self, Next.self, Complete.self,
            ProgressCommand.self, Badges.self, Buy.self, Preview.self,
        ],
        defaultSubcommand: Open.self
    )

    /// ArgumentParser ends bad usage with 64 (EX_USAGE); lms documents 2, like most tools.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let json = arguments.contains("--json")
        // --verbose works with every command: each request is logged on standard error too
        // (but for the full-screen app, whose screen it would break).
        let verbose = arguments.contains("--verbose")
        arguments.removeAll { $0 == "--verbose" }
        let fullScreen = arguments.first.map { ["open", "demo"].contains($0) || $0.hasPrefix("-") } ?? true
        let log = ClientLog(file: Paths().logFile, echoToStandardError: verbose && !fullScreen)
        LoggingSystem.bootstrap { label in log.handler(label: label, level: verbose ? .debug : .info) }
        // config.toml: each setting becomes the default of its environment variable.
        do {
            for (name, value) in try ClientConfig.load(paths: Paths()).environmentDefaults { setenv(name, value, 0) }
        } catch {
            usageFailure("\(error)", json: json, prefix: "lms: ")
        }
        // Without this, a mistyped command would reach the default command as a stray argument.
        if let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first) {
            let suggestion = commandNames.first { $0.hasPrefix(String(first.prefix(2))) }.map { " Did you mean '\($0)'?" } ?? ""
            usageFailure("unknown command '\(first)'.\(suggestion) Commands: \(commandNames.joined(separator: ", ")) (see lms --help)", json: json, prefix: "lms: ")
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                usageFailure(fullMessage(for: error), json: json)
            }
            exit(withError: error)
        }
    }

    static var commandNames: [String] {
        configuration.subcommands.map { $0._commandName } + ["help"]
    }

    static func usageFailure(_ message: String, json: Bool, prefix: String = "") -> Never {
        FileHandle.standardError.write(Data((prefix + message + "\n").utf8))
        if json {
            // Scripts read stdout: the same failure, as JSON.
            do { try Output.printJSON(["error": Failure(code: "usage", message: message, exitCode: 2)]) } catch {}
        }
        Foundation.exit(2)
    }
}
