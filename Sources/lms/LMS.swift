import ArgumentParser
import Foundation
import LMSClient

@main
struct LMS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lms",
        abstract: "Learn from the terminal: courses, lessons, quizzes, progress and badges, online or offline.",
        discussion: """
            Exit codes: 0 success · 1 unexpected error · 2 bad usage · 3 not signed in or session ended · \
            4 server unreachable (work is kept and synced later) · 5 refused by the server (not found, locked, \
            forbidden) · 6 local files unavailable (locked by another lms, or from a newer version).
            """,
        version: HTTPSession.version,
        subcommands: [
            Open.self, Demo.self, Login.self, Logout.self, Sync.self, Status.self, Courses.self, CourseCommand.self, Next.self, Complete.self,
            ProgressCommand.self, Badges.self, Preview.self,
        ],
        defaultSubcommand: Open.self
    )

    /// ArgumentParser ends bad usage with 64 (EX_USAGE); lms documents 2, like most tools.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
