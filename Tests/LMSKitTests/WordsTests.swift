import LMSKit
import Testing

@Suite("Words")
struct WordsTests {
    @Test func counts() {
        #expect(Words.count(1, "chapter") == "1 chapter")
        #expect(Words.count(0, "lesson") == "0 lessons")
        #expect(Words.count(2, "quiz", plural: "quizzes") == "2 quizzes")
    }

    @Test func timeLeft() {
        #expect(Words.left(seconds: 0) == "all done")
        #expect(Words.left(seconds: 720) == "12m left")
    }

    @Test func sizes() {
        #expect(Words.bytes(0) == "0 bytes")
        #expect(Words.bytes(1) == "1 byte")
        #expect(Words.bytes(372_000) == "372 KB")
        #expect(Words.bytes(5_800_000) == "5.8 MB")
    }
}
