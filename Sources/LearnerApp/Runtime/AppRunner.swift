import Foundation
import LMSClient
import Synchronization
import LMSKit
import TerminalUI

/// Messages from effects, handed to the UI thread. Effects run as tasks; the UI loop drains this
/// between key presses, so background work never touches the screen itself.
final class Mailbox: @unchecked Sendable {
    // @unchecked: `messages` is only touched under `lock`; `posted` is atomic.
    private let lock = NSLock()
    private var messages: [Msg] = []
    /// Whether `messages` may hold any: read without the lock, so the UI loop's check after
    /// every key costs one load when nothing was posted, as is nearly always the case.
    private let posted = Atomic<Bool>(false)

    func post(_ message: Msg) {
        lock.lock()
        messages.append(message)
        posted.store(true, ordering: .releasing)
        lock.unlock()
    }

    func drain() -> [Msg] {
        guard posted.load(ordering: .acquiring) else { return [] }
        lock.lock()
        posted.store(false, ordering: .relaxed)
        defer { lock.unlock() }
        let drained = messages
        messages = []
        return drained
    }
}

/// Where things come from: the signed-in session, theme folders, the player command.
public struct AppEnvironment: Sendable {
    public var session: ClientSession
    public var themeDirectories: [URL]
    public var player: String?
    public var syncOnStart: Bool
    /// Seconds between syncs while the app is open (0: only at start and when asked).
    public var syncInterval: Int

    public static let defaultSyncInterval = 300

    public init(session: ClientSession, themeDirectories: [URL], player: String?, syncOnStart: Bool = true, syncInterval: Int = 0) {
        self.session = session
        self.themeDirectories = themeDirectories
        self.player = player
        self.syncOnStart = syncOnStart
        self.syncInterval = syncInterval
    }
}

/// Runs the app: draw, wait for a key or a message, update, perform effects.
public final class AppRunner {
    private let terminal: Terminal
    private let environment: AppEnvironment
    private let mailbox = Mailbox()
    /// Private, so the optimizer sees every access and checks exclusivity at compile time
    /// rather than at run time on each key and frame.
    private var current: AppState {
        // Any change, however small, and the predicted frames are for a state that is gone.
        didSet { predictions.removeAll() }
    }
    public var state: AppState { current }
    /// Keys pressed lately, the latest first, each once: the next key is most likely one of them
    /// again (scrolling up and down, paging, typing the same letter).
    private var recentKeys: [Key] = []
    private static let keysPredicted = 4
    /// For each recent key whose update is a pure change of state: the state it leads to, and
    /// the number of the frame the terminal holds prepared for it. That key then costs a write
    /// instead of an update, a render and an encoding.
    private var predictions: [Key: (state: AppState, frame: Int)] = [:]
    /// Frames shown from a prediction (tests and benchmarks read it).
    public private(set) var predictedFramesShown = 0
    /// A frame went out, and the work that prepares for the next key waits for a quiet moment.
    private var preparationDue = false
    private var syncTask: Task<Void, Never>?
    /// Work was queued while a sync ran: sync again when it ends, so nothing waits for a key press.
    private var syncAgain = false
    /// Hooks the curses backend supplies: leave and re-enter the screen around a terminal player.
    public var suspend: () -> Void = {}
    public var resume: () -> Void = {}
    /// Stops the process until the shell continues it (`fg`); `lms` sends itself SIGTSTP.
    public var stopProcess: () -> Void = {}
    /// Polled between frames; returns true when the process was asked to stop (SIGINT/SIGTERM).
    public var shouldTerminate: () -> Bool = { false }

    public init(terminal: Terminal, environment: AppEnvironment, theme: Theme) {
        self.terminal = terminal
        self.environment = environment
        current = AppState(theme: theme)
        // A theme asked for and not found, or with problems, is said, not silently replaced.
        if let warning = theme.warnings.first { current.status = StatusMessage(text: warning, isError: true, sticky: true) }
        current.unicode = terminal.backend.capabilities.unicode
        current.timeZone = .current
        current.locale = .current
        current.monochrome = terminal.backend.capabilities.colors == .monochrome
        if let player = environment.player?.split(separator: " ").first { current.player = String(player) }
        current.playerAvailable = ExternalProgram.isAvailable(environment.player ?? "xdg-open")
        current.themeNames = Theme.available(in: environment.themeDirectories)
        current.sync.interval = environment.syncInterval
    }

    /// Loads the index and draws the first frame; returns before any network call.
    public func start() {
        let size = terminal.backend.size
        current.width = size.width
        current.height = size.height
        perform(.loadLibrary, synchronously: true)
        for message in mailbox.drain() { dispatch(message) }
        render()
        // Not as a key press: below the minimum size keys are ignored, and this sync must run.
        if environment.syncOnStart {
            // Quiet, like the periodic ones: the status line's "online" says it went well.
            current.sync.running = true
            current.sync.inBackground = true
            perform(.sync)
        }
    }

    public func run() {
        start()
        while !current.quitting, !shouldTerminate() { step(timeoutMilliseconds: 50) }
        syncTask?.cancel()
    }

    /// One turn of the loop: waits up to `timeoutMilliseconds` for input, takes every key already
    /// typed and every message from background work, and shows the frame they lead to.
    public func step(timeoutMilliseconds: Int) {
        if preparationDue {
            preparationDue = false
            // The frame just written is first the terminal's to show: on a machine with few
            // cores, work started at once competes with the terminal (or ssh) for the CPU and
            // delays it. A key typed within that moment is drawn without the preparation.
            if !terminal.backend.hasInput(withinMilliseconds: 1) { prepareNextFrame() }
        }
        var changed = false
        if let event = terminal.backend.nextEvent(timeoutMilliseconds: timeoutMilliseconds) {
            var more = terminal.backend.nextEvent(timeoutMilliseconds: 0)
            if more == nil, case .key(let key) = event, showPredictedFrame(for: key) { return }
            handle(event)
            // Take every key already typed before drawing, so fast typing never lags.
            while let next = more {
                handle(next)
                more = terminal.backend.nextEvent(timeoutMilliseconds: 0)
            }
            changed = true
        }
        let messages = mailbox.drain()
        for message in messages { dispatch(message) }
        // A frame depends on the state alone, which only events and messages change: an idle
        // app draws nothing and costs no CPU.
        if changed || !messages.isEmpty {
            drawFrame()
            preparationDue = true
        }
    }

    public func handle(_ event: Event) {
        switch event {
        case .key(let key):
            remember(key)
            dispatch(.key(key))
        case .resize(let width, let height):
            terminal.invalidate()
            dispatch(.resize(width: width, height: height))
        }
    }

    public func dispatch(_ message: Msg) {
        // Dropped before the update rather than after it (by `current`'s observer): the update
        // then changes storage that no prediction shares, and copies nothing.
        predictions.removeAll()
        if case .syncFinished = message {
            syncTask = nil
            if syncAgain {
                syncAgain = false
                perform(.sync)
            }
        }
        for effect in App.update(&current, message) { perform(effect) }
    }

    /// Draws a frame for the state, then prepares the next one at once (the run loop waits for a
    /// quiet moment instead).
    public func render() {
        drawFrame()
        prepareNextFrame()
        preparationDue = false
    }

    public func drawFrame() {
        terminal.draw(background: Screen.background(current)) { buffer in Screen.render(current, into: &buffer) }
    }

    /// Work done once a frame reached the terminal, for the next: the frames that pressing one
    /// of the recent keys again leads to are drawn and prepared. Only for keys whose update is a
    /// pure change of state: one that asks for effects or reads the clock is left to happen when
    /// pressed. Stops as soon as a key arrives, which then waits for no more of this work.
    public func prepareNextFrame() {
        terminal.discardPrepared()
        predictions.removeAll()
        for key in recentKeys {
            var next = current
            var readsClock = false
            let effects = App.update(&next, .key(key), now: { readsClock = true; return Date() }())
            guard effects.isEmpty, !readsClock else { continue }
            let frame = terminal.prepare(background: Screen.background(next)) { buffer in Screen.render(next, into: &buffer) }
            predictions[key] = (next, frame)
            if terminal.backend.hasInput(withinMilliseconds: 0) { break }
        }
    }

    private func remember(_ key: Key) {
        recentKeys.removeAll { $0 == key }
        recentKeys.insert(key, at: 0)
        if recentKeys.count > Self.keysPredicted { recentKeys.removeLast() }
    }

    /// Shows the frame prepared for `key`, if there is one and nothing changed since. The state
    /// becomes the predicted one; messages that came meanwhile get a frame of their own.
    private func showPredictedFrame(for key: Key) -> Bool {
        // The predicted state is adopted after the write: the bytes leave first.
        guard let predicted = predictions[key], terminal.showPrepared(predicted.frame) else { return false }
        current = predicted.state
        remember(key)
        predictedFramesShown += 1
        let messages = mailbox.drain()
        for message in messages { dispatch(message) }
        if !messages.isEmpty { drawFrame() }
        preparationDue = true
        return true
    }

    /// Waits for background work to report (tests and the demo use it).
    public func settle(timeout: TimeInterval = 10) {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let messages = mailbox.drain()
            for message in messages { dispatch(message) }
            if messages.isEmpty, !current.sync.running, syncTask == nil { break }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        render()
    }

    // MARK: Effects

    private func perform(_ effect: Effect, synchronously: Bool = false) {
        let session = environment.session
        let mailbox = self.mailbox
        switch effect {
        case .quit:
            current.quitting = true
        case .suspend:
            suspend()
            stopProcess()
            // Continued: the shell may have drawn anything meanwhile.
            resume()
            terminal.invalidate()
            drawFrame()
        case .loadLibrary:
            let load = {
                var notices = AccountStore.Notices()
                do {
                    let library = try CourseLibrary.load(session, notices: &notices)
                    mailbox.post(.libraryLoaded(library, notices: notices.messages))
                } catch {
                    mailbox.post(.libraryFailed("Could not read the local files: \(error)"))
                }
            }
            if synchronously { load() } else { Task.detached { load() } }
        case .loadCourse(let id):
            Task.detached {
                var notices = AccountStore.Notices()
                if let file = try? session.store.course(id, notices: &notices) {
                    mailbox.post(.courseLoaded(file))
                } else {
                    mailbox.post(.courseMissing(id))
                }
            }
        case .sync:
            guard syncTask == nil else {
                syncAgain = true
                return
            }
            syncTask = Task.detached {
                do {
                    let report = try await session.sync { phase in mailbox.post(.syncProgress(phase)) }
                    mailbox.post(.syncFinished(report, error: nil, offline: false))
                } catch let error as ClientError {
                    mailbox.post(.syncFinished(nil, error: error.description, offline: error.isTransient))
                } catch {
                    mailbox.post(.syncFinished(nil, error: "\(error)", offline: false))
                }
            }
        case .enqueue(let kind, let label):
            do {
                try OutboxWriter(store: session.store).enqueue(kind)
                mailbox.post(.enqueued(label))
            } catch {
                mailbox.post(.enqueueFailed("Not saved: \(error)"))
            }
        case .openPlayer(let url, let lesson, let duration):
            playVideo(url: url, lesson: lesson, duration: duration)
        case .loadTheme(let name):
            let directories = environment.themeDirectories
            mailbox.post(.themeLoaded(Theme.load(name, directories: directories)))
        case .saveThemeChoice(let name):
            let file = session.paths.configDirectory.appendingPathComponent("theme")
            do {
                try AtomicFile.write(Data((name + "\n").utf8), to: file)
            } catch {
                mailbox.post(.themeNotSaved("Theme '\(name)' is used now but not remembered: \(error)"))
            }
        case .checkout(let courseID):
            Task.detached {
                do throws(ClientError) {
                    let checkout = try await session.api.checkout(courseID: courseID)
                    mailbox.post(.checkoutStarted(courseID: courseID, url: checkout.checkoutURL))
                } catch {
                    mailbox.post(.checkoutFailed(error.description))
                }
            }
        case .openPage(let url):
            // A browser the learner named may be a terminal one (lynx); xdg-open hands over and returns.
            let browser = ExternalProgram.browser
            let failure = runExternal(browser, url, ownsTerminal: browser != "xdg-open")
            mailbox.post(.pageClosed(error: failure.map { "\($0). The address is on the course page" }))
        case .syncLater(let seconds, let ticket):
            // Jitter over the upper half, so clients that lost the server together do not all
            // come back in the same second.
            let wait = seconds * Double.random(in: 0.5...1)
            Task.detached {
                do { try await Task.sleep(for: .seconds(wait)) } catch { return }
                mailbox.post(.syncDue(ticket: ticket))
            }
        case .saveQuizDrafts(let drafts):
            // At once, in order: a quit right after must not lose the last answer.
            do {
                try session.store.save(quizDrafts: drafts)
            } catch {
                mailbox.post(.enqueueFailed("Your quiz answers are not saved on disk: \(error)"))
            }
        case .loadPreview(let slug):
            Task.detached {
                do throws(ClientError) {
                    mailbox.post(.previewLoaded(try await session.api.instructorOutline(slug: slug), error: nil))
                } catch {
                    mailbox.post(.previewLoaded(nil, error: error.description))
                }
            }
        }
    }

    /// Runs the player with the terminal handed over, and counts the seconds it was open as
    /// seconds watched (never more than the lesson lasts).
    private func playVideo(url: String, lesson: UUID, duration: Int) {
        let started = Date()
        let failure = runExternal(environment.player ?? "xdg-open", url, ownsTerminal: environment.player != nil)
            .map { "\($0). Set LMS_PLAYER to your video player" }
        // xdg-open returns at once (the player runs on its own): nothing measurable was watched.
        let seconds = environment.player == nil ? 0 : min(duration, Int(Date().timeIntervalSince(started)))
        mailbox.post(.playerFinished(lesson: lesson, seconds: seconds, error: failure))
    }

    /// Runs `command` with `argument`, the terminal handed over until it exits when the program
    /// needs it. Returns why it failed, if it did.
    private func runExternal(_ command: String, _ argument: String, ownsTerminal: Bool) -> String? {
        guard ownsTerminal else { return ExternalProgram.run(command, argument, ownsTerminal: false) }
        suspend()
        defer {
            resume()
            terminal.invalidate()
        }
        return ExternalProgram.run(command, argument, ownsTerminal: true)
    }
}
