import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// A lesson: video (duration, watched, play), text (wrapped, scrollable) or quiz (intro and attempts).
enum LessonScreen: ScreenFeature {
    static func title(_ route: Route, _ state: AppState) -> String {
        guard case .lesson(let course, let lesson) = route else { return "Lesson" }
        return state.courses[course]?.lessons.first { $0.id == lesson }?.title ?? "Lesson"
    }

    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer) {
        let theme = state.theme
        guard case .lesson(let courseID, let lessonID) = state.route, let library = state.library, let file = state.courses[courseID], let lesson = file.lessons.first(where: { $0.id == lessonID }) else {
            buffer.write("Loading…", x: area.x, y: area.y, style: theme.style("ui.text.dim"))
            return
        }
        let row = library.snapshot.progress.first { $0.lessonID == lessonID }
        buffer.write("\(state.lessonGlyph(lesson.type)) \(lesson.title)", x: area.x, y: area.y, maxWidth: area.width, style: theme.style("ui.title"))
        var facts = [Span("\(lesson.type.rawValue) · \(DurationText.format(seconds: lesson.duration))", style: theme.style("ui.text.dim"))]
        if row?.completed == true { facts.append(Span(state.glyph("  ✓ completed", "  [x] completed"), style: theme.style("lesson.done"))) }
        buffer.write(facts, x: area.x, y: area.y + 1, maxWidth: area.width)
        let body = Rect(x: area.x, y: area.y + 3, width: area.width, height: area.height - 3)
        let content = file.content(of: lessonID)
        switch lesson.type {
        case .video:
            let watched = row?.progressSeconds ?? 0
            ProgressBar(fraction: lesson.duration > 0 ? Double(watched) / Double(lesson.duration) : 0,
                        label: "\(DurationText.format(seconds: watched)) of \(DurationText.format(seconds: lesson.duration)) watched",
                        filledStyle: theme.style("progress.done"), emptyStyle: theme.style("progress.todo"), unicode: state.unicode)
                .render(Rect(x: body.x, y: body.y, width: min(body.width, 60), height: 1), &buffer)
            let play = state.playerAvailable ? "Enter/o: play in \(state.player)" : "No video player found (set LMS_PLAYER, e.g. mpv)"
            buffer.write("\(play) · m: mark complete", x: body.x, y: body.y + 2, maxWidth: body.width,
                         style: theme.style(state.playerAvailable ? "ui.help.key" : "warning"))
            if let url = lesson.videoURL { buffer.write(url, x: body.x, y: body.y + 3, maxWidth: body.width, style: theme.style("ui.text.dim")) }
        case .text:
            guard let text = content?.body else {
                buffer.write("This lesson's text is not downloaded yet: press s to sync.", x: body.x, y: body.y, style: theme.style("ui.text.dim"))
                return
            }
            let (hintRow, textArea) = body.splitBottom(1)
            TextView(text).render(textArea, &buffer, offset: state.scroll)
            buffer.write("j/k scroll · m: mark complete", x: hintRow.x, y: hintRow.y, maxWidth: hintRow.width, style: theme.style("ui.text.dim"))
        case .quiz:
            let questions = content?.questions?.count ?? 0
            buffer.write(questions > 0 ? "\(Words.count(questions, "question")) · Enter: start" : "The questions are not downloaded yet: press s to sync.",
                         x: body.x, y: body.y, maxWidth: body.width, style: theme.style("ui.help.key"))
            let passMark = QuizPassMark(course: file.course).percent
            buffer.write("Pass mark: \(passMark)%", x: body.x, y: body.y + 1, style: theme.style("ui.text.dim"))
            QuizScreen.renderHistory(state, lessonID: lessonID, Rect(x: body.x, y: body.y + 3, width: body.width, height: body.height - 3), &buffer)
        case .other(let type):
            buffer.write("Lessons of type '\(type)' need a newer lms.", x: body.x, y: body.y, style: theme.style("warning"))
        }
    }
}

extension LessonScreen {
    static let keys: Keymap.Table? = Keymap.Table(context: "lesson", bindings: [
        Keymap.bind([.character("m")], .markComplete, "mark complete"),
        Keymap.bind([.character("o")], .play, "play the video"),
    ])
}

// MARK: Rows and Enter

extension LessonScreen {
    /// Enter on a video lesson plays it; on a quiz starts it.
    static func activate(_ state: inout AppState) -> [Effect] {
        guard case .lesson(let courseID, let lessonID) = state.route, let lesson = state.courses[courseID]?.lessons.first(where: { $0.id == lessonID }) else { return [] }
        switch lesson.type {
        case .video: return App.play(&state)
        case .quiz: return QuizScreen.start(course: courseID, lesson: lessonID, &state)
        default: return []
        }
    }
}

extension LessonScreen {
    /// A text lesson scrolls until its last line shows (title, facts and a blank line above it,
    /// the hint below: four rows).
    static func scrollLimit(_ state: AppState) -> Int? {
        guard case .lesson(let course, let lesson) = state.route, let text = state.courses[course]?.content(of: lesson)?.body,
              state.courses[course]?.lessons.first(where: { $0.id == lesson })?.type == .text else { return 0 }
        return max(0, TextWrap.wrap(text, width: Layout.content(state).width).count - (Layout.content(state).height - 4))
    }
}
