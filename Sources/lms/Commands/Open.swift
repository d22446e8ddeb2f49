import ArgumentParser
import CursesBackend
import Foundation
import LMSClient
import LMSKit
import LearnerApp
import TerminalUI

/// `lms` with no subcommand: the terminal app.
struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Open the terminal app (the default).")

    @Option(help: "Colour theme: a name from the themes folder, or a path to a .toml file.")
    var theme: String?

    @Flag(help: "Do not sync when the app starts.")
    var noSync = false

    func run() async throws {
        try await runReporting {
            let paths = Paths()
            let session: ClientSession
            do {
                session = try ClientSession.open(paths: paths)
            } catch ClientError.notSignedIn {
                guard try await TerminalLogin.run(paths: paths) else { return }
                session = try ClientSession.open(paths: paths)
            }
            try await runApp(session: session, theme: theme, syncOnStart: !noSync)
        }
    }
}

/// Runs the app on a thread of its own and waits for it to end. The UI loop blocks in `poll`
/// between keys: on one of Swift concurrency's threads (as many as cores) it would leave the
/// background work it starts (syncs, outline loads) a thread short, on two cores half of them.
func runApp(session: ClientSession, theme requested: String?, syncOnStart: Bool) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let thread = Thread {
            do {
                try runAppOnThisThread(session: session, theme: requested, syncOnStart: syncOnStart)
                continuation.resume()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.name = "lms-ui"
        // 8 MB, as the main thread has: other threads get less by default.
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Runs the app on the real terminal and always gives the terminal back: on quit, on error and
/// on SIGINT/SIGTERM/SIGHUP.
private func runAppOnThisThread(session: ClientSession, theme requested: String?, syncOnStart: Bool) throws {
    let directories = ThemeLocator.directories(paths: session.paths)
    var notices = AccountStore.Notices()
    let tenantTheme = (try? session.store.index(notices: &notices))?.me?.tenant?.preferredTheme
    let environment = ProcessInfo.processInfo.environment
    let name = requested ?? environment["LMS_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? ThemeLocator.savedChoice(paths: session.paths)
        ?? tenantTheme ?? "default"
    let theme = Theme.load(name, directories: directories)
    let backend = CursesBackend()
    defer { backend.close() }
    let runner = AppRunner(
        terminal: Terminal(backend: backend),
        environment: AppEnvironment(
            session: session, themeDirectories: directories,
            player: environment["LMS_PLAYER"].flatMap { $0.isEmpty ? nil : $0 }, syncOnStart: syncOnStart,
            syncInterval: environment["LMS_SYNC_INTERVAL"].flatMap { Int($0) } ?? AppEnvironment.defaultSyncInterval),
        theme: theme)
    runner.suspend = { backend.suspend() }
    runner.resume = { backend.resume() }
    runner.stopProcess = { _ = kill(getpid(), SIGTSTP) }
    runner.shouldTerminate = { backend.takeSignal() != nil }
    runner.run()
}

/// Where themes are looked for, first match wins: the user's, `$LMS_THEMES_DIR`, then the
/// `themes/` folder shipped beside the binary (or in the source tree it was built from).
enum ThemeLocator {
    static func directories(paths: Paths) -> [URL] {
        var directories = [paths.configDirectory.appendingPathComponent("themes")]
        if let custom = ProcessInfo.processInfo.environment["LMS_THEMES_DIR"], !custom.isEmpty {
            directories.append(URL(fileURLWithPath: custom))
        }
        // The binary itself, however it was started (argv[0] may be a bare name found on PATH).
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        // Installed by scripts/install.sh: PREFIX/bin/lms and PREFIX/share/lms/themes.
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/lms/themes")
        if FileManager.default.fileExists(atPath: installed.appendingPathComponent("default.toml").path) { directories.append(installed) }
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("themes")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("default.toml").path) {
                directories.append(candidate)
                break
            }
            folder = folder.deletingLastPathComponent()
        }
        directories.append(URL(fileURLWithPath: "/usr/share/lms/themes"))
        return directories
    }

    /// The theme picked in the app last time, if any.
    static func savedChoice(paths: Paths) -> String? {
        let file = paths.configDirectory.appendingPathComponent("theme")
        guard let data = try? AtomicFile.read(file) else { return nil }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }
}
