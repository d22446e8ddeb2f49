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
            if state.library == nil { state.quizDrafts = library.quizDrafts }
            state.library = library
            state.catalogSearch = nil
            CatalogModel.refreshSearch(&state)
            state.notices = notices
            if let first = notices.first { state.status = StatusMessage(text: first, isError: true, sticky: true) }
            if let checkout = state.checkout, let course = library.index.courses.first(where: { $0.id == checkout.courseID }),
               library.ownership(of: course) != nil {
                state.checkout = nil
                state.status = StatusMessage(text: "Bought '\(course.title)': the course is yours", isError: false, untilKey: true)
            }
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
            let quiet = state.sync.inBackground
            let wasOffline = state.sync.failedInARow > 0
            state.sync.running = false
            state.sync.inBackground = false
            state.sync.phase = nil
            state.sync.online = !offline
            state.sync.lastError = error
            state.sync.finished += 1
            if offline {
                // Queued work leaves by itself once the server is back: try again later.
                state.sync.failedInARow += 1
                if !quiet, let error { state.status = StatusMessage(text: error, isError: true) }
                return [.loadLibrary, .syncLater(after: state.sync.retryDelay, ticket: state.sync.finished)]
            }
            state.sync.failedInARow = 0
            // While the app is open, what others changed arrives by itself every `interval`.
            let next: [Effect] = state.sync.interval > 0 ? [.syncLater(after: Double(state.sync.interval), ticket: state.sync.finished)] : []
            if let error {
                state.status = StatusMessage(text: error, isError: true)
            } else if let report {
                if quiet, !wasOffline, report.newlyRejected.isEmpty, report.awardedBadges.isEmpty { return [.loadLibrary] + next }
                var text = wasOffline ? "Back online: " + Self.moved(report) : report.pushed + report.pulledChanges == 0 ? "Up to date" : "Synced: " + Self.moved(report)
                if let rejected = report.newlyRejected.first {
                    text = "Refused by the server: \(rejected.rejection?.message ?? rejected.mutation.typeName)"
                }
                if !report.awardedBadges.isEmpty {
                    let names = report.awardedBadges.compactMap { award in state.library?.snapshot.badges.first { $0.id == award.badgeID }?.name }
                    text = "New badge: \(names.isEmpty ? "earned" : names.joined(separator: ", "))! " + text
                }
                state.status = StatusMessage(text: text, isError: !report.newlyRejected.isEmpty, untilKey: report.newlyRejected.isEmpty)
            }
            return [.loadLibrary] + next
        case .syncDue(let ticket):
            // A wait from before a later sync is stale: that sync set its own.
            guard !state.sync.running, ticket == state.sync.finished else { return [] }
            state.sync.running = true
            state.sync.inBackground = true
            return [.sync]
        case .enqueued(let label):
            // The confirmation stays; the sync that sends the work reports only news (a badge,
            // a refusal, being back online), not that it did its job.
            state.status = StatusMessage(text: label, isError: false)
            if !state.sync.running {
                state.sync.running = true
                state.sync.inBackground = true
            }
            return [.loadLibrary, .sync]
        case .enqueueFailed(let reason), .libraryFailed(let reason), .themeNotSaved(let reason):
            state.status = StatusMessage(text: reason, isError: true)
            return []
        case .checkoutStarted(let courseID, let url):
            guard let url else {
                state.status = StatusMessage(text: "Enrolled: the course is yours", isError: false)
                state.sync.running = true
                return [.sync]
            }
            state.checkout = PendingCheckout(courseID: courseID, url: url)
            state.status = StatusMessage(text: "Pay on the page shown: o opens it; after paying, s unlocks the course", isError: false)
            return []
        case .checkoutFailed(let reason):
            state.status = StatusMessage(text: "Could not start the purchase: \(reason)", isError: true)
            return []
        case .pageClosed(let error):
            if let error { state.status = StatusMessage(text: error, isError: true) }
            return []
        case .playerFinished(let lessonID, let seconds, let error):
            if let error {
                state.status = StatusMessage(text: error, isError: true)
                return []
            }
            // "Playing…" is over either way.
            state.status = nil
            guard seconds > 0 else { return [] }
            let watched = max(seconds, state.library?.snapshot.progress.first { $0.lessonID == lessonID }?.progressSeconds ?? 0)
            return [.enqueue(.progressUpsert(ProgressUpsert(lessonID: lessonID, progressSeconds: watched)), label: "Recorded \(DurationText.format(seconds: seconds)) watched")]
        case .themeLoaded(let theme):
            state.theme = theme
            if let warning = theme.warnings.first { state.status = StatusMessage(text: warning, isError: true, sticky: true) }
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
        switch Keymap.interrupt.command(for: key) {
        case .quit?:
            state.quitting = true
            return [.quit]
        case .suspend?:
            return [.suspend]
        default: break
        }
        // News that asked nothing of the learner has been seen by now.
        if state.status?.untilKey == true { state.status = nil }
        // Below the minimum size only quitting works (the screen says "q: quit").
        if !Layout.fits(state) {
            if key == .character("q") {
                state.quitting = true
                return [.quit]
            }
            return []
        }
        if let effects = state.route.screen.handle(key, &state, now: now) { return effects }
        guard let command = Keymap.command(for: key, on: state.route) else { return [] }
        return perform(command, key: key, &state, now: now)
    }

    static func perform(_ command: Command, key: Key, _ state: inout AppState, now: () -> Date) -> [Effect] {
        switch command {
        case .up, .down, .pageUp, .pageDown, .first, .last:
            return move(command, &state)
        case .back, .backOrQuit:
            if state.status != nil, state.route == .help { state.status = nil }
            if command == .backOrQuit, state.stack.count <= 1 {
                state.quitting = true
                return [.quit]
            }
            return back(&state)
        case .quit:
            state.quitting = true
            return [.quit]
        case .help: return push(.help, &state)
        case .catalog: return push(.catalog, &state)
        case .progress: return push(.progress, &state)
        case .badges, .buy: return push(.badges, &state)
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
                let taking = state.library?.myCourses.count ?? 0
                let text = taking == 0
                    ? "You are not taking a course yet: c opens the catalog"
                    : state.library?.myCourses.allSatisfy({ state.courses[$0.id] != nil }) == true
                        ? "All done: every course you take is complete (c: catalog)"
                        : "Your courses are still loading: try n again in a moment"
                state.status = StatusMessage(text: text, isError: false, untilKey: true)
                return []
            }
            return open(lesson: lesson, course: course.id, &state)
        case .filter:
            state.filter = TextInput(state.filterText)
            return []
        case .fold:
            return toggleChapter(&state)
        case .preview:
            guard case .course(let id) = state.route, let course = state.courses[id]?.course else { return [] }
            return openPreview(course, &state)
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

    /// What a sync moved, in words: "sent 1 change, received 3".
    static func moved(_ report: SyncReport) -> String {
        var parts: [String] = []
        if report.pushed > 0 { parts.append("sent \(Words.count(report.pushed, "change"))") }
        if report.pulledChanges > 0 { parts.append("received \(Words.count(report.pulledChanges, "change"))") }
        return parts.isEmpty ? "nothing to send or receive" : parts.joined(separator: ", ")
    }

    /// The instructor's preview of a course they teach (or any, for an admin).
    static func openPreview(_ course: Course, _ state: inout AppState) -> [Effect] {
        guard state.user?.role == .admin || course.instructorID == state.user?.id else { return [] }
        state.preview = nil
        return push(.preview(course.slug), &state) + [.loadPreview(slug: course.slug)]
    }

    static func isCourse(_ route: Route) -> Bool { if case .course = route { true } else { false } }

    static func push(_ route: Route, _ state: inout AppState) -> [Effect] {
        if state.route != route {
            leaveScreen(&state)
            state.stack.append(route)
        }
        state.scroll = 0
        return []
    }

    static func back(_ state: inout AppState) -> [Effect] {
        guard state.stack.count > 1 else { return [] }
        leaveScreen(&state)
        state.stack.removeLast()
        state.scroll = 0
        return []
    }

    /// A screen's messages go with it.
    static func leaveScreen(_ state: inout AppState) {
        if state.status?.sticky != true { state.status = nil }
    }

    /// Moves the selection (or scrolls text) of the current screen.
    static func move(_ command: Command, _ state: inout AppState) -> [Effect] {
        let count = rowCount(state)
        let page = Layout.pageRows(state)
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
        if let limit = state.route.screen.scrollLimit(state) {
            state.scroll = max(0, min(state.scroll + max(-100_000, min(100_000, delta)), limit))
            return []
        }
        state.lists[state.route, default: ListState()].move(delta, count: count)
        return []
    }

    /// Rows of the current screen's list (each screen counts its own).
    static func rowCount(_ state: AppState) -> Int { state.route.screen.rowCount(state) }

    /// Enter on the current screen (each screen decides what its selection opens).
    static func activate(_ state: inout AppState) -> [Effect] { state.route.screen.activate(&state) }

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
        if case .quiz(_, lesson.id) = state.route {
            state.status = StatusMessage(text: "This quiz is the next lesson: answer it, or Esc to leave it for now", isError: false, untilKey: true)
            return []
        }
        state.status = nil
        // Going from lesson to lesson (n) replaces the page instead of piling up a long way back;
        // from a quiz, its lesson page goes too. The quiz's answers stay as a draft.
        if case .quiz = state.route { state.stack.removeLast() }
        if case .lesson = state.route { state.stack.removeLast() }
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
        guard state.playerAvailable else {
            state.status = StatusMessage(text: "No video player found: set LMS_PLAYER (e.g. mpv). The video is at \(url)", isError: true)
            return []
        }
        state.status = StatusMessage(text: "Playing… (close the player to come back)", isError: false)
        return [.openPlayer(url: url, lesson: lesson.id, duration: lesson.duration)]
    }
}
