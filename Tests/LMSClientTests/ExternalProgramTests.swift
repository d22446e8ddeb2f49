import LMSClient
import Testing

@Suite("External programs (player, browser)")
struct ExternalProgramTests {
    @Test func outcomesInWords() {
        #expect(ExternalProgram.run("true", "https://example.com") == nil)
        #expect(ExternalProgram.run("no-such-player-lms", "x") == "no-such-player-lms is not installed")
        #expect(ExternalProgram.run("sh -c", "exit 3") == "sh exited with status 3")
        #expect(ExternalProgram.run("", "x") == "No program to run")
    }
}
