import Foundation
import LMSClient
import LMSKit
import LMSTestSupport
import TerminalUI
import Testing

@testable import LearnerApp

/// A quiz left half-way survives quitting the app: every change to its answers is written with
/// the account's files, and the next run of the app goes on from there.
@Suite("Quiz drafts", .serialized)
struct QuizDraftTests {
    let quizLesson = DemoFixture.lesson("Check your understanding")
    var questions: [QuizQuestion] { DemoFixture.swift.questions[quizLesson.id]! }

    @Test("each answer asks for the drafts to be saved, reading no clock; moving around alone does not")
    func answersAreSaved() {
        var state = DemoFixture.stateAtSwiftQuiz()
        press(&state, .enter)
        #expect(press(&state, .down).isEmpty)
        let chosen = press(&state, .character(" "))
        let draft = QuizDraft(lessonID: quizLesson.id, answers: [QuizAnswer(questionID: questions[0].id, selectedOptionIDs: ["b"])], page: 0)
        #expect(chosen == [.saveQuizDrafts([draft])])
        var moved = draft
        moved.page = 1
        #expect(press(&state, .right) == [.saveQuizDrafts([moved])])
        #expect(press(&state, .down).isEmpty)
    }

    @Test("a draft from an earlier run is taken up when the quiz opens, and the others are kept")
    func draftsAreResumed() {
        let other = QuizDraft(lessonID: DemoFixture.lesson("Shell quiz").id, answers: [QuizAnswer(questionID: UUID(), selectedOptionIDs: ["x"])], page: 0)
        let mine = QuizDraft(lessonID: quizLesson.id, answers: [
            QuizAnswer(questionID: questions[0].id, selectedOptionIDs: ["b"]), QuizAnswer(questionID: questions[1].id, selectedOptionIDs: ["a"]),
        ], page: 1)
        let base = DemoFixture.library(records: DemoFixture.records(completing: DemoFixture.swiftBeforeQuiz))
        let library = CourseLibrary(index: base.index, snapshot: base.snapshot, store: base.store, userID: base.userID, quizDrafts: [mine, other])
        var state = DemoFixture.state(library: library)
        press(&state, .character("n"), .enter)
        #expect(state.quiz?.page == 1)
        #expect(state.quiz?.answers[questions[0].id]?.selectedOptionIDs == ["b"])
        #expect(state.status?.text == "Welcome back: your 2 answers so far are kept")
        // A change saves this quiz's draft and keeps the unopened one.
        let effects = press(&state, .character(" "))
        guard case .saveQuizDrafts(let drafts)? = effects.last else {
            Issue.record("\(effects)")
            return
        }
        #expect(Set(drafts.map(\.lessonID)) == [quizLesson.id, other.lessonID])
        // The welcome-back note went with that key.
        #expect(state.status == nil)
    }

    @Test("saved through the runner, read back by the next run: quitting loses no answer")
    func survivesQuitting() async throws {
        let account = try DemoFixture.Account(records: DemoFixture.records(completing: DemoFixture.swiftBeforeQuiz))
        do {
            let harness = RunnerHarness(session: try account.session())
            harness.runner.start()
            try await harness.waitForText("Continue: Check your understanding")
            harness.press(.enter, .enter, .down, .character(" "), .right, .character(" "))
            #expect(harness.text.contains("Question 2 of 4"))
            harness.press(.character("q"))
        }
        var notices = AccountStore.Notices()
        let saved = try account.session().store.quizDrafts(notices: &notices)
        #expect(saved.count == 1 && saved.first?.answers.count == 2 && saved.first?.page == 1, "\(saved)")

        let again = RunnerHarness(session: try account.session())
        again.runner.start()
        try await again.waitForText("Continue: Check your understanding")
        again.press(.enter, .enter)
        #expect(again.text.contains("Question 2 of 4"), "\(again.text)")
        #expect(again.text.contains("Welcome back: your 2 answers so far are kept"))
    }
}
