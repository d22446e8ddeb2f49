import Foundation
import LMSKit
import TerminalUI
import LMSTestSupport
import Testing

@testable import LearnerApp

/// The run loop prepares the frames of the last few keys pressed again, and shows one when its
/// key comes: each turn here is one `step` with the keys the backend holds, as in `lms`.
@Suite("AppRunner: frames predicted from the recent keys", .serialized)
struct PredictedFrameTests {
    /// A quiet moment (a turn of the run loop with no input, in which it prepares the next
    /// frame), then a turn with these events waiting.
    static func step(_ harness: RunnerHarness, _ events: Event...) {
        harness.runner.step(timeoutMilliseconds: 0)
        harness.backend.pendingEvents = events
        harness.runner.step(timeoutMilliseconds: 0)
    }

    /// A runner started on the demo account, once the outlines it loads in the background are
    /// in: a message arriving later would rightly drop a prediction and upset the counts.
    static func started(_ account: DemoFixture.Account, width: Int, height: Int) async throws -> RunnerHarness {
        let harness = RunnerHarness(session: try account.session(), width: width, height: height)
        harness.runner.start()
        try await harness.wait("the outlines of the courses being taken") { harness in
            guard let library = harness.state.library else { return false }
            return library.myCourses.allSatisfy { harness.state.courses[$0.id] != nil }
        }
        return harness
    }

    /// The screen equals what drawing the state from scratch gives, styles included.
    static func expectFreshFrame(_ harness: RunnerHarness, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let fresh = renderScreen(harness.state)
        #expect(harness.backend.screen.cells == fresh.screen.cells,
                "\(what): the screen shows\n\(harness.lines.joined(separator: "\n"))\nnot\n\(fresh.lines.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    @Test("Repeated keys show predicted frames; any other input draws its frame as before")
    func predictedFramesEqualDrawnFrames() async throws {
        let account = try DemoFixture.Account()
        let harness = try await Self.started(account, width: 90, height: 12)
        let runner = harness.runner
        Self.step(harness, .key(.character("c")))
        #expect(harness.lines[0].hasPrefix(" lms › Home › Catalog"))
        #expect(runner.predictedFramesShown == 0)

        // Down the catalog: the first press is drawn, the next ones were prepared.
        for press in 1...3 {
            Self.step(harness, .key(.down))
            Self.expectFreshFrame(harness, "down #\(press)")
        }
        #expect(runner.predictedFramesShown == 2)
        #expect(runner.state.lists[runner.state.route]?.selected == 3)

        // Another direction is another key: drawn, then predicted.
        Self.step(harness, .key(.character("k")))
        Self.step(harness, .key(.character("k")))
        Self.expectFreshFrame(harness, "up twice")
        #expect(runner.predictedFramesShown == 3)
        #expect(runner.state.lists[runner.state.route]?.selected == 1)

        // Both directions are recent now: every press of either is predicted, in any order.
        for (press, key) in [Key.down, .character("k"), .down, .down, .character("k")].enumerated() {
            Self.step(harness, .key(key))
            Self.expectFreshFrame(harness, "mixed press #\(press)")
        }
        #expect(runner.predictedFramesShown == 8)
        #expect(runner.state.lists[runner.state.route]?.selected == 2)
        Self.step(harness, .key(.character("k")))
        #expect(runner.predictedFramesShown == 9)

        // A message changed the state between two presses, and its frame is not drawn yet:
        // the prediction was made from a state that is gone.
        runner.step(timeoutMilliseconds: 0)
        runner.dispatch(.syncProgress(.pushing(sent: 0, total: 1)))
        harness.backend.pendingEvents = [.key(.character("k"))]
        runner.step(timeoutMilliseconds: 0)
        Self.expectFreshFrame(harness, "after a message")
        #expect(harness.text.contains("sending 0/1"))
        #expect(runner.predictedFramesShown == 9)

        // Keys typed together are taken together, never from a prediction, even when the first
        // is the predicted one.
        Self.step(harness, .key(.character("k")), .key(.character("j")), .key(.character("j")))
        Self.expectFreshFrame(harness, "three keys at once")
        #expect(runner.state.lists[runner.state.route]?.selected == 2)
        #expect(runner.predictedFramesShown == 9)

        // A key typed right after a frame, before the quiet moment: nothing was prepared.
        harness.backend.pendingEvents = [.key(.character("k"))]
        runner.step(timeoutMilliseconds: 0)
        Self.expectFreshFrame(harness, "a key at once")
        #expect(runner.state.lists[runner.state.route]?.selected == 1)
        #expect(runner.predictedFramesShown == 9)

        // A frame prepared at one size, a resize, then the predicted key: the resize's frame
        // is drawn and the key's too, at the new size.
        runner.step(timeoutMilliseconds: 0)
        harness.backend.resize(width: 70, height: 14)
        runner.step(timeoutMilliseconds: 0)
        harness.backend.pendingEvents = [.key(.character("k"))]
        runner.step(timeoutMilliseconds: 0)
        Self.expectFreshFrame(harness, "after a resize")
        #expect(harness.lines.count == 14 && harness.lines[0].count == 70)
        #expect(runner.state.lists[runner.state.route]?.selected == 0)
        #expect(runner.predictedFramesShown == 9)
        // Predictions resume at the new size.
        Self.step(harness, .key(.character("j")))
        Self.step(harness, .key(.character("j")))
        Self.expectFreshFrame(harness, "predicted at the new size")
        #expect(runner.state.lists[runner.state.route]?.selected == 2)
        #expect(runner.predictedFramesShown == 11)
    }

    @Test("A key whose update asks for an effect is not predicted: q quits only when pressed")
    func effectsAreNeverPredicted() async throws {
        let account = try DemoFixture.Account()
        let harness = try await Self.started(account, width: 90, height: 20)
        let runner = harness.runner
        Self.step(harness, .key(.character("c")))
        Self.step(harness, .key(.character("q")))
        #expect(harness.lines[0].hasPrefix(" lms › Home") && !harness.lines[0].contains("Catalog"))
        #expect(!runner.state.quitting)
        Self.step(harness, .key(.character("q")))
        #expect(runner.state.quitting)
        #expect(runner.predictedFramesShown == 0)
    }

    @Test("Typing a filter, letter after letter, shows each letter's frame")
    func typingIsNeverMistakenForTheLastKey() async throws {
        let account = try DemoFixture.Account()
        let harness = try await Self.started(account, width: 90, height: 20)
        let runner = harness.runner
        Self.step(harness, .key(.character("c")))
        Self.step(harness, .key(.character("/")))
        for letter in "ssw" { Self.step(harness, .key(.character(letter))) }
        #expect(harness.text.contains("Filter: ssw"))
        Self.expectFreshFrame(harness, "filter typed")
        // The second s was the first s again: prepared while the person typed.
        #expect(runner.predictedFramesShown == 1)
    }
}
