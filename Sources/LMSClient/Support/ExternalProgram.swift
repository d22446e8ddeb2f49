import Foundation

/// Another program lms hands something to: a video player, a browser. `command` may carry
/// arguments ("mpv --really-quiet"); the thing to open comes last.
public enum ExternalProgram {
    /// Whether `command`'s program can be run: an executable path, or a name found on `PATH`.
    /// Checked before a program is offered, so nothing promises what cannot happen.
    public static func isAvailable(_ command: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let name = command.split(separator: " ").first.map(String.init) else { return false }
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    /// Runs it and waits for it to exit. Returns why it failed, in words, or nil.
    ///
    /// `ownsTerminal`: a terminal program (mpv in the terminal) is handed the terminal, which
    /// the caller has given up for the while. Anything else (a browser, xdg-open) never writes
    /// on it: its output, and that of whatever it starts and leaves running, goes to a file
    /// read for the reason of a failure, so nothing lands on a screen that curses draws.
    public static func run(_ command: String, _ argument: String, ownsTerminal: Bool = false) -> String? {
        var parts = command.split(separator: " ").map(String.init)
        guard let name = parts.first else { return "No program to run" }
        guard isAvailable(command) else { return "\(name) is not installed" }
        parts.append(argument)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = parts
        var errors: URL?
        if !ownsTerminal {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("lms-\(name.split(separator: "/").last ?? "program")-\(UUID().uuidString).log")
            if FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) {
                process.standardOutput = handle
                process.standardError = handle
                errors = file
            } else {
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
            }
            process.standardInput = FileHandle.nullDevice
        }
        defer { if let errors { try? FileManager.default.removeItem(at: errors) } }
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return "Could not start \(name): \(error.localizedDescription)"
        }
        let said = errors.flatMap { try? String(contentsOf: $0, encoding: .utf8) }?
            .split(separator: "\n").last.map { ": " + $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch process.terminationStatus {
        case 0: return nil
        // env's own status when the program is not there.
        case 127: return "\(name) is not installed"
        default: return "\(name) exited with status \(process.terminationStatus)\(said)"
        }
    }

    /// The learner's browser: `$BROWSER`, else xdg-open.
    public static var browser: String {
        ProcessInfo.processInfo.environment["BROWSER"].flatMap { $0.isEmpty ? nil : $0 } ?? "xdg-open"
    }
}
