import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// Everything that can happen to the app: keys, resizes, and results of effects.
public enum Msg: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case libraryLoaded(CourseLibrary, notices: [String])
    case courseLoaded(CourseFile)
    case courseMissing(UUID)
    case syncProgress(SyncPhase)
    case syncFinished(SyncReport?, error: String?, offline: Bool)
    /// A checkout began: the page to pay on, or nil when the course was free and is owned now.
    case checkoutStarted(courseID: UUID, url: String?)
    case checkoutFailed(String)
    case pageClosed(error: String?)
    /// The wait set when sync number `ticket` finished is over: sync, quietly (unless another sync
    /// finished since, which set its own wait).
    case syncDue(ticket: Int)
    case enqueued(String)
    /// Learner work that could not be written to the outbox.
    case enqueueFailed(String)
    /// The local cache could not be read.
    case libraryFailed(String)
    /// The chosen theme could not be remembered for the next start.
    case themeNotSaved(String)
    case playerFinished(lesson: UUID, seconds: Int, error: String?)
    case themeLoaded(Theme)
    case previewLoaded(InstructorOutline?, error: String?)
}

/// Work `update` asks for; the runtime performs it off the input path and answers with messages.
public enum Effect: Hashable, Sendable {
    case loadLibrary
    case loadCourse(UUID)
    case sync
    case enqueue(SyncMutation.Kind, label: String)
    case openPlayer(url: String, lesson: UUID, duration: Int)
    case loadTheme(String)
    case saveThemeChoice(String)
    case loadPreview(slug: String)
    /// Quizzes left half-way, written with the account's files (all of them, each time).
    case saveQuizDrafts([QuizDraft])
    /// Start buying a course (`.checkoutStarted` or `.checkoutFailed` answers).
    case checkout(courseID: UUID)
    /// Open a web page in the learner's browser, the terminal handed over meanwhile.
    case openPage(String)
    /// Post `.syncDue(ticket)` after about `seconds` (the runner adds jitter).
    case syncLater(after: Double, ticket: Int)
    /// Stop the process as Ctrl-Z does in other terminal programs, the terminal given back
    /// meanwhile and redrawn on `fg`.
    case suspend
    case quit
}

