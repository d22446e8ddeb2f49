import Foundation

/// Another program lms hands something to: a video player, a browser. `command` may carry
/// arguments ("mpv --really-quiet"); the thing to open comes last.
public enum ExternalProgram {
    /// Runs it and waits for it to exit. Returns why it failed, in words, or nil.
    public static func run(_ command: String, _ argument: String) -> String? {
        var parts = command.split(separator: " ").map(String.init)
        guard let name = parts.first else { return "No program to run" }
        parts.append(argument)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = parts
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return "Could not start \(name): \(error.localizedDescription)"
        }
        switch process.terminationStatus {
        case 0: return nil
        // env's own status when the program is not there.
        case 127: return "\(name) is not installed"
        default: return "\(name) exited with status \(process.terminationStatus)"
        }
    }

    /// The learner's browser: `$BROWSER`, else xdg-open.
    public static var browser: String {
        ProcessInfo.processInfo.environment["BROWSER"].flatMap { $0.isEmpty ? nil : $0 } ?? "xdg-open"
    }
}
