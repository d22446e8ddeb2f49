import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// Where the learner is. The app keeps a stack: Esc/q goes back one step.
public enum Route: Hashable, Sendable {
    case home
    case catalog
    case course(UUID)
    case lesson(course: UUID, lesson: UUID)
    case quiz(course: UUID, lesson: UUID)
    case progress
    case badges
    case preview(String)
    case help
    case themes
}

/// A quiz being taken: one question per page, then a review page, then the result.
public struct QuizSession: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        case answering
        case review
        /// Submitted; waiting for (or showing) the server's grade.
        case submitted(clientAttemptID: UUID)
    }

    public var lessonID: UUID
    public var questions: [LearnerQuizQuestion]
    public var page = 0
    public var cursor = 0
    public var answers: [UUID: QuizAnswer] = [:]
    public var text = TextInput()
    public var phase: Phase = .answering

    public init(lessonID: UUID, questions: [LearnerQuizQuestion]) {
        self.lessonID = lessonID
        self.questions = questions.sorted { $0.position != $1.position ? $0.position < $1.position : $0.id.precedes($1.id) }
    }

    public var current: LearnerQuizQuestion? { questions.indices.contains(page) ? questions[page] : nil }
}

/// Sync state for the status line.
public struct SyncStatus: Hashable, Sendable {
    public var running = false
    public var phase: SyncPhase?
    /// nil until the first attempt.
    public var online: Bool?
    public var lastError: String?
    /// Syncs finished so far: a wait for the next sync is valid only until another finishes.
    public var finished = 0
    /// Syncs that failed in a row because the server could not be reached; each waits longer
    /// before the next try.
    public var failedInARow = 0
    /// Seconds between syncs while the app is open; 0: only at start and when asked.
    public var interval = 0
    /// The running sync was started by the app, not the learner: its failure stays quiet.
    public var inBackground = false

    /// Seconds before the next try after `failedInARow` failures: 2, 4, 8… up to a minute.
    public var retryDelay: Double { min(60, 2 * pow(2, Double(max(0, failedInARow - 1)))) }
}

/// A payment page offered for a course, until the purchase arrives.
public struct PendingCheckout: Hashable, Sendable {
    public var courseID: UUID
    public var url: String
}

/// A line for the learner on the status bar. It belongs to the screen it was raised on and goes
/// when the learner moves to another, unless it is `sticky` (problems with the local files or the
/// theme, which concern every screen).
public struct StatusMessage: Hashable, Sendable {
    public var text: String
    public var isError: Bool
    /// Stays until replaced (problems with local files or the theme).
    public var sticky = false
    /// News that asks nothing of the learner (a sync's outcome, a badge, welcome back): gone
    /// with the next key, so it never outlives its moment.
    public var untilKey = false

    public init(text: String, isError: Bool, sticky: Bool = false, untilKey: Bool = false) {
        self.text = text
        self.isError = isError
        self.sticky = sticky
        self.untilKey = untilKey
    }
}

/// The whole state of the app. `update` changes it; screens only read it.
public struct AppState: Sendable {
    public var stack: [Route] = [.home]
    public var library: CourseLibrary?
    /// Course files opened so far (outlines load when a course is opened, not at start-up).
    public var courses: [UUID: CourseFile] = [:]
    public var lists: [Route: ListState] = [:]
    /// Chapters the learner folded away, per course.
    public var collapsed: Set<UUID> = []
    public var filter: TextInput?
    public var filterText = ""
    /// What the catalog filter matched, kept up to date by `App.update` (see `CatalogSearch`).
    public internal(set) var catalogSearch: CatalogSearch?
    public var scroll = 0
    /// Quizzes begun and not submitted, by lesson: leaving one (back, `n`, another screen) keeps
    /// its answers, and opening it again goes on from there.
    public var quizzes: [UUID: QuizSession] = [:]
    /// Quizzes left half-way in an earlier run of the app, read once at start; opening one
    /// turns its draft into a session.
    public var quizDrafts: [UUID: QuizDraft] = [:]
    /// The quiz of the current route, if it is a quiz.
    public var quiz: QuizSession? {
        get {
            guard case .quiz(_, let lesson) = route else { return nil }
            return quizzes[lesson]
        }
        set {
            guard case .quiz(_, let lesson) = route else { return }
            quizzes[lesson] = newValue
        }
    }
    public var sync = SyncStatus()
    public var status: StatusMessage?
    public var theme: Theme
    public var themeNames: [String] = []
    public var themeBeforePicker: String?
    public var preview: InstructorOutline?
    public var checkout: PendingCheckout?
    public var width = 80
    public var height = 24
    public var unicode = true
    /// The terminal shows no colour (NO_COLOR, TERM=dumb): the theme's screen background is left
    /// out, or downsampling would turn the whole screen into reverse video and hide the selection.
    public var monochrome = false
    /// The command that plays videos, for the lesson page (set from the environment by the runner,
    /// so rendering reads no environment variable).
    public var player = "xdg-open"
    /// Whether `player` is installed: a lesson never offers to play in a missing program.
    public var playerAvailable = true
    /// Where and how the learner reads dates (set from the system by the runner, so rendering
    /// reads no environment).
    public var timeZone = TimeZone(identifier: "UTC")!
    public var locale = Locale(identifier: "en_US_POSIX")
    public var quitting = false
    public var notices: [String] = []

    public init(theme: Theme) {
        self.theme = theme
    }

    public var route: Route { stack.last ?? .home }

    public func list(_ route: Route) -> ListState { lists[route] ?? ListState() }

    /// The learner's cached view, or an empty one before the first load.
    public var user: User? { library?.me }
}
