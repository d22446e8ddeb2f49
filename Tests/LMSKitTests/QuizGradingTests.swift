import Foundation
import LMSKit
import Testing

@Suite("Quiz grading")
struct QuizGradingTests {
    private typealias T = TestData

    // One question of each type, stored out of position order.
    static let single = T.question(
        T.id(0x91), .singleChoice,
        options: [T.option("a", "var"), T.option("b", "let", correct: true), T.option("c", "func")], points: 2, position: 1)
    static let multiple = T.question(
        T.id(0x92), .multipleChoice,
        options: [T.option("s", "struct", correct: true), T.option("c", "class"), T.option("e", "enum", correct: true)],
        points: 3, position: 2)
    static let trueFalse = T.question(
        T.id(0x93), .trueFalse, options: [T.option("t", "True"), T.option("f", "False", correct: true)], position: 3)
    static let short = T.question(
        T.id(0x94), .shortAnswer,
        options: [T.option("0", "Protocol oriented", correct: true), T.option("1", "POP", correct: true)], points: 4,
        position: 4)
    static let quiz = [short, trueFalse, multiple, single]  // 10 points

    private func correct(_ question: QuizQuestion, selected: [String] = [], text: String? = nil) -> Bool {
        QuizGrader.isCorrect(QuizAnswer(questionID: question.id, selectedOptionIDs: selected, text: text), for: question)
    }

    // MARK: Question types

    @Test func singleChoice() {
        #expect(correct(Self.single, selected: ["b"]))
        #expect(!correct(Self.single, selected: ["a"]))
        #expect(!correct(Self.single, selected: []))
        #expect(!correct(Self.single, selected: ["b", "a"]))  // two selections are wrong even with the right one
        #expect(!correct(Self.single, selected: ["b", "b"]))
        #expect(!correct(Self.single, selected: ["zz"]))
    }

    @Test func trueFalse() {
        #expect(correct(Self.trueFalse, selected: ["f"]))
        #expect(!correct(Self.trueFalse, selected: ["t"]))
        #expect(!correct(Self.trueFalse, selected: ["t", "f"]))
    }

    @Test func multipleChoiceIsAllOrNothing() {
        #expect(correct(Self.multiple, selected: ["s", "e"]))
        #expect(correct(Self.multiple, selected: ["e", "s"]))  // order does not matter
        #expect(!correct(Self.multiple, selected: ["s"]))  // subset
        #expect(!correct(Self.multiple, selected: ["s", "c", "e"]))  // superset: ticking every box never pays
        #expect(!correct(Self.multiple, selected: []))
        #expect(!correct(Self.multiple, selected: ["c"]))
    }

    @Test func multipleChoiceWithoutAnyCorrectOptionCannotBeAnswered() {
        let broken = T.question(T.id(0x95), .multipleChoice, options: [T.option("x", "x"), T.option("y", "y")])
        #expect(!correct(broken, selected: []))
        #expect(!correct(broken, selected: ["x"]))
    }

    @Test(arguments: [
        "Protocol oriented", "protocol oriented", "  PROTOCOL   oriented\n", "Protocol\toriented", "pop", " POP ",
    ])
    func shortAnswerAccepted(text: String) {
        #expect(correct(Self.short, text: text))
    }

    @Test(arguments: ["Protocol-oriented", "Protocoloriented", "protocol oriented programming", "", "   ", "P O P"])
    func shortAnswerRejected(text: String) {
        #expect(!correct(Self.short, text: text))
    }

    @Test func blankAnswerNeverMatchesABlankAcceptedAnswer() {
        // Hand-entered JSONB can hold an empty accepted answer; an empty reply must still be wrong.
        let sloppy = T.question(T.id(0x97), .shortAnswer, options: [T.option("0", "closure"), T.option("1", " ")])
        #expect(!correct(sloppy, text: ""))
        #expect(!correct(sloppy, text: "  "))
        #expect(correct(sloppy, text: "Closure"))
    }

    @Test func shortAnswerNeedsText() {
        #expect(!correct(Self.short, selected: ["0"]))  // choosing the option id is not typing the answer
    }

    @Test func unknownQuestionTypeScoresNothingButCounts() throws {
        let future = T.question(T.id(0x96), .other("ordering"), options: [T.option("a", "1", correct: true)], points: 5)
        #expect(!correct(future, selected: ["a"]))
        let grade = try QuizGrader.grade(
            questions: [future, Self.single], answers: [
                QuizAnswer(questionID: future.id, selectedOptionIDs: ["a"]),
                QuizAnswer(questionID: Self.single.id, selectedOptionIDs: ["b"]),
            ])
        #expect(grade.score == 2)
        #expect(grade.maxScore == 7)
        #expect(!grade.passed)  // 2/7 = 28 %
    }

    // MARK: Whole attempts

    private func answers(
        single: [String] = ["b"], multiple: [String] = ["s", "e"], trueFalse: [String] = ["f"],
        short: String? = "pop"
    ) -> [QuizAnswer] {
        [
            QuizAnswer(questionID: Self.single.id, selectedOptionIDs: single),
            QuizAnswer(questionID: Self.multiple.id, selectedOptionIDs: multiple),
            QuizAnswer(questionID: Self.trueFalse.id, selectedOptionIDs: trueFalse),
            QuizAnswer(questionID: Self.short.id, text: short),
        ]
    }

    @Test func allCorrect() throws {
        let grade = try QuizGrader.grade(questions: Self.quiz, answers: answers())
        #expect(grade.score == 10)
        #expect(grade.maxScore == 10)
        #expect(grade.passed)
        #expect(grade.answers.allSatisfy { $0.isCorrect })
    }

    @Test func pointsAreWeighted() throws {
        // Wrong on the 4-point short answer only: 6 of 10.
        let grade = try QuizGrader.grade(questions: Self.quiz, answers: answers(short: "objects"))
        #expect(grade.score == 6)
        #expect(grade.answers.map(\.pointsAwarded) == [2, 3, 1, 0])
        #expect(grade.answers.map(\.pointsPossible) == [2, 3, 1, 4])
    }

    @Test func negativePointsCountAsZero() throws {
        var penalty = Self.trueFalse
        penalty.points = -3
        let grade = try QuizGrader.grade(
            questions: [Self.single, penalty], answers: [QuizAnswer(questionID: Self.single.id, selectedOptionIDs: ["b"])])
        #expect(grade.score == 2)
        #expect(grade.maxScore == 2)
        #expect(grade.answers[1].pointsPossible == 0)
    }

    @Test func gradedAnswersFollowQuestionPosition() throws {
        let grade = try QuizGrader.grade(questions: Self.quiz, answers: answers().reversed())
        #expect(grade.answers.map(\.questionID) == [Self.single.id, Self.multiple.id, Self.trueFalse.id, Self.short.id])
        let first = try #require(grade.answers.first)
        #expect(first.selectedOptionIDs == ["b"])
        #expect(first.text == nil)
        #expect(grade.answers[3].text == "pop")
    }

    @Test func unansweredQuestionsAreWrongAndListed() throws {
        let grade = try QuizGrader.grade(
            questions: Self.quiz, answers: [QuizAnswer(questionID: Self.multiple.id, selectedOptionIDs: ["s", "e"])])
        #expect(grade.score == 3)
        #expect(grade.maxScore == 10)
        #expect(grade.answers.count == 4)
        #expect(grade.answers.map(\.isCorrect) == [false, true, false, false])
        #expect(grade.answers[0].selectedOptionIDs.isEmpty)
        #expect(grade.answers[3].text == nil)
        #expect(!grade.passed)
    }

    @Test func defaultPassMarkIs70Percent() throws {
        #expect(QuizPassMark.defaultPercent == 70)
        #expect(QuizPassMark().percent == 70)
        // Multiple choice wrong: 7 of 10 passes. Short answer left blank: 6 of 10 fails.
        let sevenOfTen = try QuizGrader.grade(questions: Self.quiz, answers: answers(multiple: ["s"]))
        #expect(sevenOfTen.score == 7)
        #expect(sevenOfTen.passed)
        let sixOfTen = try QuizGrader.grade(questions: Self.quiz, answers: answers(short: nil))
        #expect(sixOfTen.score == 6)
        #expect(!sixOfTen.passed)
    }

    @Test func passMarkUsesIntegerArithmetic() {
        let mark = QuizPassMark()
        #expect(mark.isPassed(score: 7, maxScore: 10))
        #expect(!mark.isPassed(score: 6, maxScore: 10))
        #expect(!mark.isPassed(score: 699, maxScore: 1_000))  // 69.9 % does not round up
        #expect(mark.isPassed(score: 700, maxScore: 1_000))
        #expect(!mark.isPassed(score: 2, maxScore: 3))  // 66 %
    }

    @Test func courseOverridesThePassMark() throws {
        #expect(QuizPassMark(course: T.course()).percent == 70)
        let strict = QuizPassMark(course: T.course(quizPassPercent: 80))
        #expect(strict.percent == 80)
        let grade = try QuizGrader.grade(questions: Self.quiz, answers: answers(multiple: ["s"]), passMark: strict)
        #expect(grade.score == 7)
        #expect(!grade.passed)
        let lenient = QuizPassMark(course: T.course(quizPassPercent: 50))
        #expect(try QuizGrader.grade(questions: Self.quiz, answers: answers(short: nil), passMark: lenient).passed)
    }

    @Test func passMarkIsClamped() {
        #expect(QuizPassMark(percent: 150).percent == 100)
        #expect(QuizPassMark(percent: -20).percent == 0)
        #expect(QuizPassMark(course: T.course(quizPassPercent: 101)).percent == 100)
        #expect(QuizPassMark(percent: 0).isPassed(score: 0, maxScore: 10))
        #expect(!QuizPassMark(percent: 100).isPassed(score: 9, maxScore: 10))
        #expect(QuizPassMark(percent: 100).isPassed(score: 10, maxScore: 10))
    }

    @Test func quizWorthNoPointsPasses() throws {
        var free = Self.single
        free.points = 0
        let grade = try QuizGrader.grade(questions: [free], answers: [], passMark: QuizPassMark(percent: 100))
        #expect(grade.score == 0)
        #expect(grade.maxScore == 0)
        #expect(grade.passed)
        #expect(try QuizGrader.grade(questions: [], answers: []).passed)
    }

    // MARK: Errors

    @Test func answerToAQuestionNotInTheQuiz() {
        let stray = T.id(0x99)
        #expect(throws: QuizGradingError.unknownQuestion(stray)) {
            try QuizGrader.grade(questions: Self.quiz, answers: answers() + [QuizAnswer(questionID: stray)])
        }
        #expect(
            QuizGradingError.unknownQuestion(stray).description
                == "Answer given for question \(stray), which is not part of this quiz")
    }

    @Test func questionAnsweredTwice() {
        let again = QuizAnswer(questionID: Self.single.id, selectedOptionIDs: ["a"])
        #expect(throws: QuizGradingError.duplicateAnswer(Self.single.id)) {
            try QuizGrader.grade(questions: Self.quiz, answers: answers() + [again])
        }
        #expect(
            QuizGradingError.duplicateAnswer(Self.single.id).description
                == "Question \(Self.single.id) was answered more than once")
    }

    @Test func quizResultPercentAndPerfect() {
        #expect(T.quizResult(score: 2, maxScore: 3, passed: false).percent == 66)
        #expect(T.quizResult(score: 3, maxScore: 3, passed: true).isPerfect)
        #expect(!T.quizResult(score: 2, maxScore: 3, passed: false).isPerfect)
        #expect(T.quizResult(score: 0, maxScore: 0, passed: true).percent == 100)
    }
}

@Suite("The quiz figure of a course")
struct QuizSummaryTests {
    func result(_ lesson: UUID, _ score: Int, of max: Int, attempt: Int) -> QuizResult {
        QuizResult(id: UUID(), userID: UUID(), lessonID: lesson, score: score, maxScore: max, passed: score * 100 / max >= 70, answers: [],
                   attemptNumber: attempt, completedAt: Date(timeIntervalSince1970: Double(attempt)), createdAt: Date(timeIntervalSince1970: Double(attempt)))
    }

    @Test("the best score of each quiz, averaged over the quizzes taken: 40 % then 100 % is 100 %, not 70 %")
    func bestPerQuiz() throws {
        let first = UUID(), second = UUID(), untaken = UUID(), elsewhere = UUID()
        let results = [result(first, 2, of: 5, attempt: 1), result(first, 5, of: 5, attempt: 2), result(second, 1, of: 2, attempt: 1),
                       result(elsewhere, 0, of: 3, attempt: 1)]
        let summary = try #require(QuizSummary.of(results: results, quizLessons: [first, second, untaken]))
        #expect(summary.averageOfBest == 75 && summary.taken == 2 && summary.quizzes == 3)
        #expect(summary.text == "best quiz scores 75% (2 of 3 quizzes taken)")
        #expect(QuizSummary.of(results: [result(first, 2, of: 5, attempt: 1)], quizLessons: [first])?.text == "best quiz scores 40% (1 of 1 quiz taken)")
        #expect(QuizSummary.of(results: results, quizLessons: [untaken]) == nil)
    }
}
