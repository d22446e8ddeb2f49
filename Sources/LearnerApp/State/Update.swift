import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// The app's only state transition: pure, no I/O, no clock reads except through `now`.
public enum App {
    /// `now` is read only by the few changes that record a time (a lesson completed, a quiz
    /// submitted), not on every key.
    public static func update(_ state: inout AppState, _ msg: Msg, now: @autoclosure () -> Date = Date()) -> [Effect] {
        switch msg {
        case .resize(let width, let height):
            state.width = width
            state.height = height
            return []
        case .libraryLoaded(let library, let notices):
            state.library = library
            state.catalogSearch = nil
            CatalogModel.refreshSearch(&state)
            state.notices = notices
            if let first = notices.first { state.status = StatusMessage(text: first, isError: true) }
            // Outlines of the courses being taken load in the background (for "continue" on Home).
            var effects = library.myCourses.filter { state.courses[$0.id] == nil }.map { Effect.loadCourse($0.id) }
            for (id, _) in state.courses { effects.append(.loadCourse(id)) }
            return effects
        case .courseLoaded(let file):
            state.courses[file.course.id] = file
            return []
        case .courseMissing(let id):
            if case .course(id) = state.route {
                state.status = StatusMessage(text: "This course's outline is not downloaded yet: press s to sync", isError: true)
            }
            return []
        case .syncProgress(let phase):
            state.sync.running = true
            state.sync.phase = phase
            return []
        case .syncFinished(let report, let error, let offline):
            state.sync.running = false
            state.sync.phase = nil
            state.sync.online = !offline
            state.sync.lastError = error
            if let error {
                state.status = StatusMessage(text: error, isError: true)
            } else if let report {
                var text = "Synced: \(report.pushed) sent, \(report.pulledChanges) received"
                if let rejected = report.newlyRejected.first {
                    text = "Refused by the server: \(rejected.rejection?.message ?? rejected.mutation.typeName)"
                }
                if !report.awardedBadges.isEmpty {
                    let names = report.awardedBadges.compactMap { award in state.library?.snapshot.badges.first { $0.id == award.badgeID }?.name }
                    text = "New badge: \(names.isEmpty ? "earned" : names.joined(separator: ", "))! " + text
                }
                state.status = StatusMessage(text: text, isError: !report.newlyRejected.isEmpty)
            }
            return [.loadLibrary]
        case .enqueued(let label):
            state.status = StatusMessage(text: label, isError: false)
            return [.loadLibrary, .sync]
        case .enqueueFailed(let reason), .libraryFailed(let reason), .themeNotSaved(let reason):
            state.status = StatusMessage(text: reason, isError: true)
            return []
        case .playerFinished(let lessonID, let seconds, let error):
            if let error {
                state.status = StatusMessage(text: error, isError: true)
                return []
            }
            guard seconds > 0 else { return [] }
            let watched = max(seconds, state.library?.snapshot.progress.first { $0.lessonID == lessonID }?.progressSeconds ?? 0)
            return [.enqueue(.progressUpsert(ProgressUpsert(lessonID: lessonID, progressSeconds: watched)), label: "Recorded \(DurationText.format(seconds: seconds)) watched")]
        case .themeLoaded(let theme):
            state.theme = theme
            if let warning = theme.warnings.first { state.status = StatusMessage(text: warning, isError: true) }
            return []
        case .previewLoaded(let outline, let error):
            state.preview = outline
            if let error { state.status = StatusMessage(text: error, isError: true) }
            return []
        case .key(let key):
            return handle(key, &state, now: now)
        }
    }

    // MARK: Keys

    static func handle(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect] {
        if Keymap.interrupt.command(for: key) == .quit {
            state.quitting = true
            return [.quit]
        }
        // Below the minimum size only quitting works (the screen says "q: quit").
        if state.width < Layout.minimumWidth || state.height < Layout.minimumHeight {
            if key == .character("q") || key == .escape {
                state.quitting = true
                return [.quit]
            }
            return []
        }
        if state.filter != nil { return handleFilter(key, &state) }
        if case .quiz = state.route, let effects = handleQuiz(key, &state, now: now) { return effects }
        if case .themes = state.route, let effects = handleThemes(key, &state) { return effects }
        guard let command = Keymap.command(for: key, on: state.route) else { return [] }
        return perform(command, key: key, &state, now: now)
    }

    static func perform(_ command: Command, key: Key, _ state: inout AppState, now: () -> Date) -> [Effect] {
        switch command {
        case .up, .down, .pageUp, .pageDown, .first, .last:
            return move(command, &state)
        case .back:
            if key == .escape || key == .character("q"), state.status != nil, state.route == .help {
                state.status = nil
            }
            return back(&state)
        case .quit:
            state.quitting = true
            return [.quit]
        case .help: return push(.help, &state)
        case .catalog: return push(.catalog, &state)
        case .progress: return push(.progress, &state)
        case .badges: return push(.badges, &state)
        case .themes:
            state.themeBeforePicker = state.theme.name
            // The picker opens on the theme in use, so Enter without moving keeps it.
            state.lists[.themes] = ListState(selected: state.themeNames.firstIndex(of: state.theme.name) ?? 0)
            return push(.themes, &state)
        case .sync:
            guard !state.sync.running else { return [] }
            state.sync.running = true
            state.status = StatusMessage(text: "Syncing…", isError: false)
            return [.sync]
        case .next:
            guard let (course, lesson) = HomeModel.nextLesson(state) else {
                state.status = StatusMessage(text: "Nothing to study next: open a course first", isError: false)
                return []
            }
            return open(lesson: lesson, course: course.id, &state)
        case .filter:
            state.filter = TextInput(state.filterText)
            return []
        case .fold:
            return toggleChapter(&state)
        case .preview:
            guard case .course(let id) = state.route, let course = state.courses[id]?.course,
                  state.user?.role == .admin || course.instructorID == state.user?.id
            else { return [] }
            state.preview = nil
            return push(.preview(course.slug), &state) + [.loadPreview(slug: course.slug)]
        case .markComplete:
            return markComplete(&state, now: now())
        case .play:
            return play(&state)
        case .open:
            return activate(&state)
        default:
            // The filter's, the theme picker's and the quiz's commands are theirs alone.
            return []
        }
    }

    static func isCourse(_ route: Route) -> Bool { if case .course = route { true } else { false } }

    static func push(_ route: Route, _ state: inout AppState) -> [Effect] {
        if state.route != route { state.stack.append(route) }
        state.scroll = 0
        return []
    }

    static func back(_ state: inout AppState) -> [Effect] {
        if state.stack.count <= 1 {
            state.quitting = true
            return [.quit]
        }
        if case .quiz = state.route { state.quiz = nil }
        state.stack.removeLast()
        state.scroll = 0
        return []
    }

    /// Moves the selection (or scrolls text) of the current screen.
    static func move(_ command: Command, _ state: inout AppState) -> [Effect] {
        let count = rowCount(state)
        let page = max(1, state.height - 4)
        let delta: Int? = switch command {
        case .up: -1
        case .down: 1
        case .pageUp: -page
        case .pageDown: page
        case .first: Int.min / 2
        case .last: Int.max / 2
        default: nil
        }
        guard let delta else { return [] }
        switch state.route {
        case .lesson, .help, .preview:
            state.scroll = max(0, min(state.scroll + max(-100_000, min(100_000, delta)), Screen.scrollLimit(state)))
            return []
        default: break
        }
        state.lists[state.route, default: ListState()].move(delta, count: count)
        return []
    }

    static func rowCount(_ state: AppState) -> Int {
        switch state.route {
        case .home: HomeModel.items(state).count
        case .catalog: CatalogModel.courses(state).count
        case .course(let id): CourseModel.rows(state, courseID: id).count
        case .badges: state.library?.snapshot.badges.count ?? 0
        case .progress: state.library?.myCourses.count ?? 0
        case .themes: state.themeNames.count
        default: 0
        }
    }

    /// Enter on the selected row.
    static func activate(_ state: inout AppState) -> [Effect] {
        let selected = state.list(state.route).selected
        switch state.route {
        case .home:
            let items = HomeModel.items(state)
            guard items.indices.contains(selected) else { return [] }
            switch items[selected] {
            case .resume(let course, let lesson): return open(lesson: lesson, course: course.id, &state)
            case .course(let course): return openCourse(course.id, &state)
            case .browse: return push(.catalog, &state)
            case .progress: return push(.progress, &state)
            case .badges: return push(.badges, &state)
            }
        case .catalog:
            let courses = CatalogModel.courses(state)
            guard courses.indices.contains(selected) else { return [] }
            return openCourse(courses[selected].id, &state)
        case .progress:
            let courses = state.library?.myCourses ?? []
            guard courses.indices.contains(selected) else { return [] }
            return openCourse(courses[selected].id, &state)
        case .course(let id):
            let rows = CourseModel.rows(state, courseID: id)
            guard rows.indices.contains(selected) else { return [] }
            switch rows[selected] {
            case .chapter: return toggleChapter(&state)
            case .lesson(let lesson, let lessonState):
                if case .locked(let reason) = lessonState {
                    state.status = StatusMessage(text: "Locked: \(reason)", isError: true)
                    return []
                }
                return open(lesson: lesson, course: id, &state)
            }
        case .lesson(let courseID, let lessonID):
            guard let lesson = state.courses[courseID]?.lessons.first(where: { $0.id == lessonID }) else { return [] }
            switch lesson.type {
            case .video: return play(&state)
            case .quiz: return startQuiz(course: courseID, lesson: lessonID, &state)
            default: return []
            }
        default:
            return []
        }
    }

    static func openCourse(_ id: UUID, _ state: inout AppState) -> [Effect] {
        state.status = nil
        return push(.course(id), &state) + [.loadCourse(id)]
    }

    static func open(lesson: Lesson, course: UUID, _ state: inout AppState) -> [Effect] {
        if let library = state.library, let file = state.courses[course],
           let reason = LessonAccess.decide(lesson: lesson, in: file.outline, for: library.learner()).lockReason {
            state.status = StatusMessage(text: "Locked: \(reason.description)", isError: true)
            return []
        }
        state.status = nil
        // Going from lesson to lesson (n) replaces the page instead of piling up a long way back.
        switch state.route {
        case .lesson, .quiz:
            state.quiz = nil
            state.stack.removeLast()
        default: break
        }
        return push(.lesson(course: course, lesson: lesson.id), &state)
    }

    static func toggleChapter(_ state: inout AppState) -> [Effect] {
        guard case .course(let id) = state.route else { return [] }
        let rows = CourseModel.rows(state, courseID: id)
        let selected = state.list(state.route).selected
        guard rows.indices.contains(selected) else { return [] }
        let chapterID: UUID? = switch rows[selected] {
        case .chapter(let chapter, _, _, _): chapter.id
        case .lesson(let lesson, _): lesson.chapterID
        }
        guard let chapterID else { return [] }
        if state.collapsed.contains(chapterID) { state.collapsed.remove(chapterID) } else { state.collapsed.insert(chapterID) }
        // Keep the selection on the chapter's header.
        if let header = CourseModel.rows(state, courseID: id).firstIndex(where: { if case .chapter(let c, _, _, _) = $0 { c.id == chapterID } else { false } }) {
            state.lists[state.route, default: ListState()].selected = header
        }
        return []
    }

    static func currentLesson(_ state: AppState) -> (UUID, Lesson)? {
        guard case .lesson(let courseID, let lessonID) = state.route,
              let lesson = state.courses[courseID]?.lessons.first(where: { $0.id == lessonID })
        else { return nil }
        return (courseID, lesson)
    }

    static func markComplete(_ state: inout AppState, now: Date) -> [Effect] {
        guard let (_, lesson) = currentLesson(state) else { return [] }
        guard lesson.type != .quiz else {
            state.status = StatusMessage(text: "A quiz completes when you pass it", isError: false)
            return []
        }
        if state.library?.snapshot.completedLessonIDs.contains(lesson.id) == true {
            state.status = StatusMessage(text: "Already completed", isError: false)
            return []
        }
        return [.enqueue(
            .progressUpsert(ProgressUpsert(lessonID: lesson.id, progressSeconds: lesson.duration, completed: true, completedAt: now)),
            label: "Completed '\(lesson.title)'")]
    }

    static func play(_ state: inout AppState) -> [Effect] {
        guard let (_, lesson) = currentLesson(state), lesson.type == .video else { return [] }
        guard let url = lesson.videoURL ?? lesson.videoID else {
            state.status = StatusMessage(text: "This lesson has no video address", isError: true)
            return []
        }
        state.status = StatusMessage(text: "Playing… (close the player to come back)", isError: false)
        return [.openPlayer(url: url, lesson: lesson.id, duration: lesson.duration)]
    }

    // MARK: Quiz

    static func startQuiz(course: UUID, lesson: UUID, _ state: inout AppState) -> [Effect] {
        guard let content = state.courses[course]?.content(of: lesson), let questions = content.questions, !questions.isEmpty else {
            state.status = StatusMessage(text: "The questions are not downloaded yet: press s to sync", isError: true)
            return []
        }
        state.quiz = QuizSession(lessonID: lesson, questions: questions)
        return push(.quiz(course: course, lesson: lesson), &state)
    }

    /// Quiz keys; nil when the key is not the quiz's (global keys then apply).
    static func handleQuiz(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect]? {
        guard var quiz = state.quiz, case .quiz = state.route else { return nil }
        // Leaving the quiz drops the session; otherwise the edited copy is stored back.
        var leaving = false
        defer { state.quiz = leaving ? nil : quiz }
        switch quiz.phase {
        case .submitted:
            guard Keymap.quizResult.command(for: key) == .closeResult else { return nil }
            leaving = true
            state.stack.removeLast()
            return []
        case .review:
            switch Keymap.quizReview.command(for: key) {
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
                state.stack.removeLast()
                return []
            default: return []
            }
        case .answering:
            guard let question = quiz.current else { return nil }
            if question.type == .shortAnswer {
                switch Keymap.quizText.command(for: key) {
                case .nextQuestion?:
                    saveText(&quiz, question)
                    advance(&quiz)
                case .previousQuestion?:
                    saveText(&quiz, question)
                    retreat(&quiz)
                case .leaveQuiz?:
                    leaving = true
                    state.stack.removeLast()
                default:
                    _ = quiz.text.handle(key)
                }
                return []
            }
            switch Keymap.quizChoices.command(for: key) {
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
                state.stack.removeLast()
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

    // MARK: Filter and themes

    static func handleFilter(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var filter = state.filter else { return [] }
        switch Keymap.filtering.command(for: key) {
        case .keepFilter?:
            state.filterText = filter.value
            state.filter = nil
        case .clearFilter?:
            state.filter = nil
            state.filterText = ""
        case let leave? where leave == .leaveFilterUp || leave == .leaveFilterDown:
            state.filterText = filter.value
            state.filter = nil
            return move(leave == .leaveFilterUp ? .up : .down, &state)
        default:
            _ = filter.handle(key)
            state.filter = filter
        }
        CatalogModel.refreshSearch(&state)
        state.lists[.catalog] = ListState()
        return []
    }

    /// Moving in the theme list previews the theme at once; Enter keeps it, Esc restores.
    static func handleThemes(_ key: Key, _ state: inout AppState) -> [Effect]? {
        let names = state.themeNames
        var list = state.list(.themes)
        switch Keymap.themePicker.command(for: key) {
        case let step? where [.up, .down, .first, .last].contains(step):
            _ = move(step, &state)
            list = state.list(.themes)
            return names.indices.contains(list.selected) ? [.loadTheme(names[list.selected])] : []
        case .keepTheme?:
            state.themeBeforePicker = nil
            state.stack.removeLast()
            guard names.indices.contains(list.selected) else { return [] }
            let name = names[list.selected]
            state.status = StatusMessage(text: "Theme '\(name)' saved", isError: false)
            // What is saved is what is shown, even if the selection was never previewed.
            return [.saveThemeChoice(name)] + (name == state.theme.name ? [] : [.loadTheme(name)])
        case .cancelTheme?:
            state.stack.removeLast()
            // Always restore: a preview asked for by a key typed just before may not have
            // arrived yet, so the theme shown now says nothing about the one still to come.
            guard let previous = state.themeBeforePicker else { return [] }
            state.themeBeforePicker = nil
            return [.loadTheme(previous)]
        default:
            return nil
        }
    }
}
