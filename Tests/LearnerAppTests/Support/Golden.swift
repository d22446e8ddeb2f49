import Foundation

import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp

/// Golden screens: `Golden/<name>-<w>x<h>.txt` holds the expected text of a whole frame (trailing
/// spaces trimmed). `UPDATE_GOLDEN=1 swift test --filter LearnerAppTests` rewrites them from what
/// the app renders now; review the diff before committing.
enum Golden {
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// The text of a frame as stored: one line per row, trailing spaces dropped. Nothing needs
    /// masking: the data has fixed ids and dates, and rendering reads no environment.
    static func text(_ lines: [String]) -> String {
        lines.map { line in
            var line = line
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }

    static func check(_ name: String, _ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = text(lines)
        let file = "\(name).txt"
        if updating {
            try FileManager.default.createDirectory(at: sourceDirectory, withIntermediateDirectories: true)
            try actual.write(to: sourceDirectory.appendingPathComponent(file), atomically: true, encoding: .utf8)
            return
        }
        let bundled = Bundle.module.resourceURL?.appendingPathComponent("Golden").appendingPathComponent(file)
        let url = bundled.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil } ?? sourceDirectory.appendingPathComponent(file)
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("No golden file \(file): run with UPDATE_GOLDEN=1 to create it. The screen was:\n\(actual)", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let expectedLines = expected.components(separatedBy: "\n"), actualLines = actual.components(separatedBy: "\n")
        var report: [String] = []
        for row in 0..<max(expectedLines.count, actualLines.count) {
            let e = row < expectedLines.count ? expectedLines[row] : "<none>"
            let a = row < actualLines.count ? actualLines[row] : "<none>"
            if e != a { report.append("row \(row):\n  expected |\(e)|\n  actual   |\(a)|") }
        }
        Issue.record("\(file) differs (UPDATE_GOLDEN=1 rewrites it):\n\(report.joined(separator: "\n"))\n--- actual screen ---\n\(actual)",
                     sourceLocation: sourceLocation)
    }
}

/// Renders a state like the runtime does: into a fresh buffer through `Terminal` and `TestBackend`,
/// so what is checked is what reached the (test) terminal after diffing.
func renderScreen(_ state: AppState, width: Int? = nil, height: Int? = nil, capabilities: Capabilities = Capabilities(colors: .sixteen, unicode: true)) -> TestBackend {
    let backend = TestBackend(width: width ?? state.width, height: height ?? state.height, capabilities: capabilities)
    Terminal(backend: backend).draw { Screen.render(state, into: &$0) }
    return backend
}
