import Foundation
import LMSKit
import Testing

@Suite("Learner view of quiz questions")
struct LearnerViewTests {
    /// Every object key anywhere in a JSON document.
    private static func keys(in value: JSONValue) -> Set<String> {
        switch value {
        case .object(let object): Set(object.keys).union(object.values.flatMap { keys(in: $0) })
        case .array(let items): Set(items.flatMap { keys(in: $0) })
        default: []
        }
    }

    private static let questions: [QuizQuestion] = [
        TestData.question(
            TestData.id(0x91), .singleChoice,
            options: [TestData.option("a", "var"), TestData.option("b", "let", correct: true)], position: 1),
        TestData.question(
            TestData.id(0x92), .multipleChoice,
            options: [
                TestData.option("s", "struct", correct: true), TestData.option("c", "class"),
                TestData.option("e", "enum", correct: true),
            ], position: 2),
        TestData.question(
            TestData.id(0x93), .trueFalse,
            options: [TestData.option("t", "True", correct: true), TestData.option("f", "False")], position: 3),
        TestData.question(
            TestData.id(0x94), .shortAnswer, options: [TestData.option("0", "protocol", correct: true)], position: 4),
    ]

    @Test func fullQuestionDoesCarryTheAnswerKey() throws {
        // The control: the instructor's form has the key, so the checks below can fail.
        let json = try TestData.jsonValue(of: Self.questions)
        #expect(Self.keys(in: json).contains("correct"))
    }

    @Test func learnerViewHasNoAnswerKey() throws {
        let views = Self.questions.map(\.learnerView)
        let json = try TestData.jsonValue(of: views)
        #expect(!Self.keys(in: json).contains("correct"))
        #expect(!(try TestData.encodedString(views)).contains("\"correct\""))
        #expect(Self.keys(in: json) == ["id", "lesson_id", "question", "type", "options", "points", "position", "text"])
    }

    @Test func learnerViewKeepsTheQuestion() {
        let question = Self.questions[1]
        let view = question.learnerView
        #expect(view.id == question.id)
        #expect(view.lessonID == question.lessonID)
        #expect(view.question == question.question)
        #expect(view.type == .multipleChoice)
        #expect(view.options == [
            LearnerQuizOption(id: "s", text: "struct"), LearnerQuizOption(id: "c", text: "class"),
            LearnerQuizOption(id: "e", text: "enum"),
        ])
        #expect(view.points == question.points)
        #expect(view.position == 2)
    }

    @Test func shortAnswerViewHasNoOptions() throws {
        let view = Self.questions[3].learnerView
        #expect(view.type == .shortAnswer)
        #expect(view.options.isEmpty)
        // The accepted answer's text must not appear anywhere in what the learner receives.
        #expect(!(try TestData.encodedString(view)).contains("protocol"))
    }

    @Test func lessonContentCarriesLearnerQuestionsOnly() throws {
        let content = LessonContent(
            lesson: TestData.loopsQuiz, courseID: TestData.courseID, questions: Self.questions.map(\.learnerView))
        let json = try TestData.jsonValue(of: content)
        #expect(!Self.keys(in: json).contains("correct"))
        #expect(try TestData.roundTrip(content) == content)
    }
}
