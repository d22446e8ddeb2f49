import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// One question per page (radio, checkboxes or text), a review page, then the result — or
/// "pending grading" while offline. State is never shown by colour alone: marks and words too.
enum QuizScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String { "Quiz" }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard let quiz = state.quiz else { return }
        switch quiz.phase {
        case .answering:
            guard let question = quiz.current else { return }
            buffer.write("Question \(quiz.page + 1) of \(quiz.questions.count) · \(Words.count(question.points, "point")) · \(kind(question.type))",
                         x: area.x, y: area.y, maxWidth: area.width, style: theme.style("ui.text.dim"))
            let lines = TextWrap.wrap(question.question, width: area.width)
            for (index, line) in lines.prefix(4).enumerated() {
                buffer.write(line, x: area.x, y: area.y + 2 + index, style: theme.style("ui.title"))
            }
            let top = area.y + 3 + min(4, lines.count)
            if question.type == .shortAnswer {
                buffer.write("Your answer:", x: area.x, y: top, style: theme.style("ui.text"))
                quiz.text.render(Rect(x: area.x, y: top + 1, width: min(area.width, 50), height: 1), &buffer, style: theme.style("ui.input"), focused: true)
                buffer.write("Enter: next · ←: previous · Esc: leave", x: area.x, y: area.bottom - 1, maxWidth: area.width, style: theme.style("ui.text.dim"))
                return
            }
            let chosen = Set(quiz.answers[question.id]?.selectedOptionIDs ?? [])
            for (index, option) in question.options.enumerated() where top + index < area.bottom - 1 {
                let isChosen = chosen.contains(option.id)
                let mark = question.type == .multipleChoice
                    ? (isChosen ? "[x]" : "[ ]")
                    : (isChosen ? state.glyph("(●)", "(*)") : "( )")
                let style = index == quiz.cursor ? theme.style("ui.selection") : (isChosen ? theme.style("quiz.selected") : Style())
                buffer.write("\(index == quiz.cursor ? state.glyph("▶", ">") : " ") \(mark) \(option.text)", x: area.x, y: top + index, maxWidth: area.width, style: style)
            }
            let hint = question.type == .multipleChoice ? "Space: tick · Enter/→: next · ←: previous · Esc: leave" : "Space: choose · Enter: choose and next · ←: previous · Esc: leave"
            buffer.write(hint, x: area.x, y: area.bottom - 1, maxWidth: area.width, style: theme.style("ui.text.dim"))
        case .review:
            buffer.write("Review your answers", x: area.x, y: area.y, style: theme.style("ui.title"))
            for (index, question) in quiz.questions.enumerated() where area.y + 2 + index < area.bottom - 1 {
                let answer = quiz.answers[question.id]
                let text: String
                if let typed = answer?.text {
                    text = "\"\(typed)\""
                } else if let ids = answer?.selectedOptionIDs, !ids.isEmpty {
                    text = question.options.filter { ids.contains($0.id) }.map(\.text).joined(separator: ", ")
                } else {
                    text = "(no answer)"
                }
                buffer.write([Span("\(index + 1). "), Span(DisplayWidth.truncate(question.question, to: max(10, area.width / 2))), Span(" → "),
                              Span(text, style: answer == nil ? theme.style("warning") : theme.style("quiz.selected"))],
                             x: area.x, y: area.y + 2 + index, maxWidth: area.width)
            }
            buffer.write("Enter: submit · ←: change answers · Esc: leave without submitting", x: area.x, y: area.bottom - 1, maxWidth: area.width, style: theme.style("ui.help.key"))
        case .submitted(let attempt):
            renderResult(state, quiz: quiz, attempt: attempt, area, &buffer)
        }
    }

    static func kind(_ type: QuestionType) -> String {
        switch type {
        case .singleChoice: "choose one"
        case .multipleChoice: "choose all that apply"
        case .trueFalse: "true or false"
        case .shortAnswer: "type the answer"
        case .other(let name): name
        }
    }

    static func renderResult(_ state: AppState, quiz: QuizSession, attempt: UUID, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        if let result = state.library?.snapshot.quizResults.first(where: { $0.clientAttemptID == attempt }) {
            let verdict = result.passed ? state.glyph("✓ Passed", "PASSED") : state.glyph("✗ Not passed", "NOT PASSED")
            buffer.write(verdict, x: area.x, y: area.y, style: theme.style(result.passed ? "quiz.correct" : "quiz.incorrect"))
            buffer.write("Score: \(result.score)/\(result.maxScore) (\(result.percent)%) · attempt \(result.attemptNumber)", x: area.x, y: area.y + 1, style: theme.style("ui.title"))
            // Each question: right or wrong with its points, then what the learner answered.
            var y = area.y + 3
            for (index, graded) in result.answers.enumerated() {
                guard y + 1 < area.bottom - 1 else {
                    let left = result.answers.count - index
                    buffer.write("… and \(Words.count(left, "more question"))", x: area.x, y: y, maxWidth: area.width, style: theme.style("ui.text.dim"))
                    break
                }
                let question = quiz.questions.first { $0.id == graded.questionID }
                let mark = graded.isCorrect ? state.glyph("✓", "[right]") : state.glyph("✗", "[wrong]")
                let points = "  \(graded.pointsAwarded)/\(Words.count(graded.pointsPossible, "point"))"
                buffer.write([Span(mark + " ", style: theme.style(graded.isCorrect ? "quiz.correct" : "quiz.incorrect")),
                              Span(DisplayWidth.truncate(question?.question ?? "Question \(index + 1)", to: max(10, area.width - DisplayWidth.of(mark + points) - 1))),
                              Span(points, style: theme.style("ui.text.dim"))],
                             x: area.x, y: y, maxWidth: area.width)
                let verdict = graded.isCorrect ? "right" : "not right"
                buffer.write([Span("  " + answered(graded, question) + " — ", style: theme.style("ui.text.dim")),
                              Span(verdict, style: theme.style(graded.isCorrect ? "quiz.correct" : "quiz.incorrect"))],
                             x: area.x + 2, y: y + 1, maxWidth: area.width - 2)
                y += 2
            }
        } else {
            buffer.write(state.glyph("◷ Pending grading", "Pending grading"), x: area.x, y: area.y, style: theme.style("quiz.pending"))
            let message = state.sync.online == false
                ? "You are offline: the attempt is saved and will be graded when lms reaches the server."
                : "Sending your answers to the server for grading…"
            for (row, line) in TextWrap.wrap(message, width: area.width).prefix(max(0, area.height - 3)).enumerated() {
                buffer.write(line, x: area.x, y: area.y + 1 + row, maxWidth: area.width, style: theme.style("ui.text"))
            }
        }
        buffer.write("Enter/Esc: back to the lesson", x: area.x, y: area.bottom - 1, maxWidth: area.width, style: theme.style("ui.text.dim"))
    }

    /// What the learner answered to one graded question, in words.
    static func answered(_ graded: GradedAnswer, _ question: LearnerQuizQuestion?) -> String {
        if let text = graded.text, !text.isEmpty { return "you wrote \"\(text)\"" }
        guard !graded.selectedOptionIDs.isEmpty else { return "no answer" }
        let texts = graded.selectedOptionIDs.map { id in question?.options.first { $0.id == id }?.text ?? id }
        return "you picked " + texts.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// Earlier attempts of a quiz, newest first; offline ones marked pending.
    static func renderHistory(_ state: AppState, lessonID: UUID, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard let snapshot = state.library?.snapshot else { return }
        let results = snapshot.quizResults.filter { $0.lessonID == lessonID }.sorted { $0.attemptNumber > $1.attemptNumber }
        let pending = snapshot.pendingAttempts.filter { $0.lessonID == lessonID }
        guard !results.isEmpty || !pending.isEmpty else { return }
        buffer.write("Attempts", x: area.x, y: area.y, style: theme.style("ui.title"))
        var y = area.y + 1
        let when = { (date: Date) in Words.moment(date, timeZone: state.timeZone, locale: state.locale) }
        for attempt in pending where y < area.bottom {
            buffer.write("• \(when(attempt.takenAt)) · pending grading", x: area.x, y: y, maxWidth: area.width, style: theme.style("quiz.pending"))
            y += 1
        }
        for result in results where y < area.bottom {
            let verdict = result.passed ? "passed" : "not passed"
            buffer.write("• #\(result.attemptNumber) \(when(result.completedAt)) · \(result.score)/\(result.maxScore) · \(verdict)",
                         x: area.x, y: y, maxWidth: area.width, style: theme.style(result.passed ? "quiz.correct" : "quiz.incorrect"))
            y += 1
        }
    }
}

// MARK: Keys

extension QuizScreen {
    static func start(course: UUID, lesson: UUID, _ state: inout AppState) -> [Effect] {
        guard let content = state.courses[course]?.content(of: lesson), let questions = content.questions, !questions.isEmpty else {
            state.status = StatusMessage(text: "The questions are not downloaded yet: press s to sync", isError: true)
            return []
        }
        var resumed = state.quizzes[lesson].map { $0.questions == questions } ?? false
        if !resumed {
            var session = QuizSession(lessonID: lesson, questions: questions)
            // A draft from an earlier run of the app, if the questions are still the same.
            if let draft = state.quizDrafts.removeValue(forKey: lesson), !draft.answers.isEmpty {
                let ids = Set(questions.map(\.id))
                if draft.answers.allSatisfy({ ids.contains($0.questionID) }) {
                    session.answers = Dictionary(draft.answers.map { ($0.questionID, $0) }, uniquingKeysWith: { a, _ in a })
                    session.page = min(max(0, draft.page), questions.count - 1)
                    loadText(&session)
                    resumed = true
                }
            }
            state.quizzes[lesson] = session
        }
        let effects = App.push(.quiz(course: course, lesson: lesson), &state)
        if resumed {
            let answered = state.quizzes[lesson]?.answers.count ?? 0
            state.status = StatusMessage(text: "Welcome back: your \(Words.count(answered, "answer")) so far \(answered == 1 ? "is" : "are") kept", isError: false, untilKey: true)
        }
        return effects
    }

    /// Quiz keys; nil when the key is not the quiz's (global keys then apply). A change to the
    /// answers (or the page) is written to disk at once, so quitting never loses them.
    static func handle(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect]? {
        let before = drafts(state)
        guard let effects = handleQuizKey(key, &state, now: now) else { return nil }
        let after = drafts(state)
        return after == before ? effects : effects + [.saveQuizDrafts(after)]
    }

    /// The quizzes still being answered, as drafts, with those of an earlier run not opened yet.
    static func drafts(_ state: AppState) -> [QuizDraft] {
        let current = state.quizzes.values.compactMap { quiz -> QuizDraft? in
            switch quiz.phase {
            case .answering, .review:
                guard !quiz.answers.isEmpty else { return nil }
                let answers = quiz.questions.compactMap { quiz.answers[$0.id] }
                return QuizDraft(lessonID: quiz.lessonID, answers: answers, page: quiz.page)
            case .submitted: return nil
            }
        }
        let earlier = state.quizDrafts.values.filter { state.quizzes[$0.lessonID] == nil }
        return (current + earlier).sorted { $0.lessonID.precedes($1.lessonID) }
    }

    static func handleQuizKey(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect]? {
        guard var quiz = state.quiz, case .quiz = state.route else { return nil }
        // Leaving keeps the answers as a draft (`state.quizzes`); only a closed result drops it.
        var leaving = false
        var finished = false
        defer {
            if finished { state.quizzes[quiz.lessonID] = nil } else { state.quizzes[quiz.lessonID] = quiz }
            if leaving {
                App.leaveScreen(&state)
                state.stack.removeLast()
            }
        }
        switch quiz.phase {
        case .submitted:
            guard resultKeys.command(for: key) == .closeResult else { return nil }
            leaving = true
            finished = true
            return []
        case .review:
            switch reviewKeys.command(for: key) {
            case .submit?:
                let attempt = UUID()
                let submission = QuizSubmission(
                    clientAttemptID: attempt, answers: quiz.questions.compactMap { quiz.answers[$0.id] }, completedAt: now())
                quiz.phase = .submitted(clientAttemptID: attempt)
                return [.enqueue(.quizSubmit(lessonID: quiz.lessonID, submission), label: "Quiz submitted")]
            case .reviewAnswers?:
                quiz.phase = .answering
                quiz.page = max(0, quiz.questions.count - 1)
                loadText(&quiz)
                return []
            case .leaveQuiz?:
                leaving = true
                return []
            default: return []
            }
        case .answering:
            guard let question = quiz.current else { return nil }
            if question.type == .shortAnswer {
                switch textKeys.command(for: key) {
                case .nextQuestion?:
                    saveText(&quiz, question)
                    advance(&quiz)
                case .previousQuestion?:
                    saveText(&quiz, question)
                    retreat(&quiz)
                case .leaveQuiz?:
                    leaving = true
                default:
                    _ = quiz.text.handle(key)
                }
                return []
            }
            switch choiceKeys.command(for: key) {
            case .optionUp?: quiz.cursor = max(0, quiz.cursor - 1)
            case .optionDown?: quiz.cursor = min(question.options.count - 1, quiz.cursor + 1)
            case .choose?: choose(&quiz, question)
            case .chooseAndNext?:
                if quiz.answers[question.id] == nil { choose(&quiz, question) }
                advance(&quiz)
            case .nextQuestion?: advance(&quiz)
            case .previousQuestion?: retreat(&quiz)
            case .leaveQuiz?:
                leaving = true
            default: return nil
            }
            return []
        }
    }

    static func choose(_ quiz: inout QuizSession, _ question: LearnerQuizQuestion) {
        guard question.options.indices.contains(quiz.cursor) else { return }
        let optionID = question.options[quiz.cursor].id
        var answer = quiz.answers[question.id] ?? QuizAnswer(questionID: question.id)
        if question.type == .multipleChoice {
            if let index = answer.selectedOptionIDs.firstIndex(of: optionID) {
                answer.selectedOptionIDs.remove(at: index)
            } else {
                answer.selectedOptionIDs.append(optionID)
            }
        } else {
            answer.selectedOptionIDs = [optionID]
        }
        quiz.answers[question.id] = answer
    }

    static func saveText(_ quiz: inout QuizSession, _ question: LearnerQuizQuestion) {
        let text = quiz.text.value
        quiz.answers[question.id] = text.isEmpty ? nil : QuizAnswer(questionID: question.id, text: text)
    }

    static func loadText(_ quiz: inout QuizSession) {
        guard let question = quiz.current else { return }
        quiz.text = TextInput(quiz.answers[question.id]?.text ?? "")
        quiz.cursor = 0
    }

    static func advance(_ quiz: inout QuizSession) {
        if quiz.page + 1 >= quiz.questions.count {
            quiz.phase = .review
        } else {
            quiz.page += 1
            loadText(&quiz)
        }
    }

    static func retreat(_ quiz: inout QuizSession) {
        quiz.page = max(0, quiz.page - 1)
        loadText(&quiz)
    }
}

extension QuizScreen {
    static var modeKeys: [Keymap.Table] { [choiceKeys, textKeys, reviewKeys, resultKeys] }

    static let choiceKeys = Keymap.Table(context: "quiz question", bindings: [
        Keymap.bind([.up, .character("k")], .optionUp, "previous option"),
        Keymap.bind([.down, .character("j")], .optionDown, "next option"),
        Keymap.bind([.character(" ")], .choose, "choose / tick an option"),
        Keymap.bind([.enter], .chooseAndNext, "choose (if none yet) and go on"),
        Keymap.bind([.right, .character("l"), .tab], .nextQuestion, "next question"),
        Keymap.bind([.left, .character("h"), .backTab], .previousQuestion, "previous question"),
        Keymap.bind([.escape, .character("q")], .leaveQuiz, "leave the quiz"),
    ])

    static let textKeys = Keymap.Table(context: "quiz, typed answer", bindings: [
        Keymap.bind([.enter, .right, .tab], .nextQuestion, "keep the answer, next question"),
        Keymap.bind([.left, .backTab], .previousQuestion, "keep the answer, previous question"),
        Keymap.bind([.escape], .leaveQuiz, "leave the quiz"),
    ])

    static let reviewKeys = Keymap.Table(context: "quiz review page", bindings: [
        Keymap.bind([.enter], .submit, "submit"),
        Keymap.bind([.left, .backspace, .character("h")], .reviewAnswers, "back to the questions"),
        Keymap.bind([.escape, .character("q")], .leaveQuiz, "leave the quiz"),
    ])

    static let resultKeys = Keymap.Table(context: "quiz result", bindings: [
        Keymap.bind([.enter, .escape, .character("q")], .closeResult, "back to the lesson"),
    ])
}
