import Foundation
import LMSClient
import LMSKit
import LearnerApp
import TerminalUI

/// Helpers for `scripts/bench/client.sh`: they read and write an account's files through the
/// client's own storage code, so the benchmark measures what `lms` does.
///
///     lms-bench lessons DATA_DIR                 each course's first lesson, when the learner may open it
///     lms-bench enqueue-progress DATA_DIR FILE ROUNDS
///                                                ROUNDS watching events per lesson id in FILE
///     lms-bench cache-files DATA_DIR             the index file and the largest course file
///     lms-bench grow-catalog DATA_DIR COUNT      the index grown to COUNT courses (copies of
///                                                the cached ones, new ids and titles); prints
///                                                their titles, one per line
///     lms-bench decode index|course FILE         MB/s of the client's reader on FILE
///     lms-bench frames THEMES_DIR STEPS          microseconds per catalog scroll step (update,
///                                                render and encode, and after the frame the work
///                                                that prepares the next), then with the frame
///                                                predicted and prepared, no terminal; the
///                                                account comes from $XDG_DATA_HOME. LMS_BENCH_PAUSE_US pauses
///                                                between steps (30000: caches go cold as between
///                                                key presses)
enum Bench {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch (arguments.first, arguments.count) {
        case ("lessons", 2): try lessons(store: store(arguments[1]))
        case ("enqueue-progress", 4): try enqueue(store: store(arguments[1]), file: arguments[2], rounds: Int(arguments[3]) ?? 1)
        case ("cache-files", 2): try cacheFiles(store: store(arguments[1]))
        case ("grow-catalog", 3): try growCatalog(store: store(arguments[1]), count: Int(arguments[2]) ?? 0)
        case ("decode", 3): try decode(kind: arguments[1], file: arguments[2])
        case ("frames", 3): try frames(themes: arguments[1], steps: Int(arguments[2]) ?? 1000)
        default:
            FileHandle.standardError.write(Data("usage: lms-bench lessons|enqueue-progress|cache-files|decode ...\n".utf8))
            exit(2)
        }
    }

    /// The one account under `$XDG_DATA_HOME/lms/<server>/<user>/`.
    static func store(_ dataDirectory: String) throws -> AccountStore {
        let root = URL(fileURLWithPath: dataDirectory).appendingPathComponent("lms")
        for server in try FileManager.default.contentsOfDirectory(atPath: root.path) {
            let serverDirectory = root.appendingPathComponent(server)
            for user in (try? FileManager.default.contentsOfDirectory(atPath: serverDirectory.path)) ?? [] {
                let directory = serverDirectory.appendingPathComponent(user)
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("index.json").path) {
                    return AccountStore(directory: directory)
                }
            }
        }
        throw BenchError("no synced account under \(root.path)")
    }

    /// A course's first lesson is open without finishing anything before it; a learner may watch
    /// it when the course is free or bought, or the lesson is a free preview.
    static func lessons(store: AccountStore) throws {
        var notices = AccountStore.Notices()
        let index = try store.index(notices: &notices)
        let learner = try store.learner(notices: &notices)
        let bought = Set(learner.purchases.filter { $0.status == .completed }.map(\.courseID))
        for course in index.courses {
            guard let file = try store.course(course.id, notices: &notices),
                  let first = file.outline.chapters.min(by: { $0.chapter.position < $1.chapter.position })?
                      .lessons.min(by: { $0.position < $1.position }),
                  first.type != .quiz, course.isFree || bought.contains(course.id) || first.isFree
            else { continue }
            print(first.id.uuidString)
        }
    }

    /// Watching progress as a player reports it: every lesson, then every lesson a bit further.
    static func enqueue(store: AccountStore, file: String, rounds: Int) throws {
        let ids = try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline).compactMap { UUID(uuidString: String($0)) }
        var kinds: [SyncMutation.Kind] = []
        for round in 1...max(1, rounds) {
            kinds += ids.map { .progressUpsert(ProgressUpsert(lessonID: $0, progressSeconds: round * 10)) }
        }
        try OutboxWriter(store: store).enqueue(contentsOf: kinds)
    }

    /// A catalog as long as the benchmark's list must be, written the way a sync writes the index.
    static func growCatalog(store: AccountStore, count: Int) throws {
        var notices = AccountStore.Notices()
        var index = try store.index(notices: &notices)
        let templates = index.courses
        guard !templates.isEmpty else { throw BenchError("the index has no courses to copy") }
        index.courses = (0..<count).map { number in
            var course = templates[number % templates.count]
            course.id = UUID()
            course.title = String(format: "Synthetic Course %06d", number)
            course.slug = "grown-\(number)"
            return course
        }
        try store.save(index: index)
        // The rows as plain text, for `less` to scroll the same list.
        var lines = ""
        for course in index.courses {
            let price = course.isFree ? "free" : "€" + MoneyText.format(course.price)
            lines += "\(course.title)\(String(repeating: " ", count: 64))\(price)   \(course.lessonsCount) lessons · \(course.duration / 60) min\n"
        }
        FileHandle.standardOutput.write(Data(lines.utf8))
    }

    static func cacheFiles(store: AccountStore) throws {
        let courses = store.directory.appendingPathComponent("courses")
        let largest = try FileManager.default.contentsOfDirectory(at: courses, includingPropertiesForKeys: [.fileSizeKey])
            .max { (try $0.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) < (try $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) }
        guard let largest else { throw BenchError("no course files in \(courses.path)") }
        print(store.directory.appendingPathComponent("index.json").path, largest.path)
    }

    /// Decodes the file as many times as fits in about a second of work and reports MB/s.
    static func decode(kind: String, file: String) throws {
        let url = URL(fileURLWithPath: file)
        let size = try Data(contentsOf: url).count
        let rounds = max(3, 200_000_000 / max(1, size))
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<rounds {
                switch kind {
                case "index": _ = try load(VersionedFile<CacheIndex>(url: url, schema: AccountStore.schema))
                case "course": _ = try load(VersionedFile<CourseFile>(url: url, schema: AccountStore.schema))
                default: throw BenchError("decode index or course, not \(kind)")
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(Double(size * rounds) / seconds / 1e6)
    }

    /// The app's own work per scroll step, with a backend that keeps nothing: what a keypress
    /// costs before the terminal is involved.
    static func frames(themes: String, steps: Int) throws {
        let session = try ClientSession.open(paths: Paths())
        let backend = DiscardingBackend(width: 120, height: 40)
        let directories = [URL(fileURLWithPath: themes)]
        let runner = AppRunner(
            terminal: Terminal(backend: backend),
            environment: AppEnvironment(session: session, themeDirectories: directories, player: nil, syncOnStart: false),
            theme: Theme.load("default", directories: directories))
        runner.start()
        // As the pty benchmark: the catalog, with the selection on the bottom row.
        for key in [Key.character("c")] + Array(repeating: Key.down, count: 38) {
            runner.handle(.key(key))
            runner.render()
        }
        // Paused between steps like a person (or the pty harness) typing: caches go cold as
        // they do in the real app, which a tight loop would hide.
        let pause = ProcessInfo.processInfo.environment["LMS_BENCH_PAUSE_US"].flatMap { UInt32($0) } ?? 0
        let clock = ContinuousClock()
        var elapsed = Duration.zero, handling = Duration.zero, preparing = Duration.zero
        backend.startCounting()
        for _ in 0..<steps {
            if pause > 0 { usleep(pause) }
            let started = clock.now
            runner.handle(.key(.down))
            handling += clock.now - started
            runner.drawFrame()
            let drawn = clock.now
            elapsed += drawn - started
            runner.prepareNextFrame()
            preparing += clock.now - drawn
        }
        func microseconds(_ duration: Duration) -> Double {
            (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) / Double(steps) * 1e6
        }
        print(String(format: "update %.1f us, render and encode %.1f us (after the frame: %.1f us predicting the next frames)",
                     microseconds(handling), microseconds(elapsed - handling), microseconds(preparing)))
        print(String(format: "%.1f us per step, %.0f bytes per step", microseconds(elapsed), Double(backend.bytes) / Double(steps)))
        // The same steps as the run loop takes them: the key is the last one again, so its frame
        // was prepared after the previous one and only has to be shown.
        let predictedBefore = runner.predictedFramesShown
        var showing = Duration.zero, following = Duration.zero
        backend.startCounting()
        for _ in 0..<steps {
            // The quiet moment after a frame, in which the run loop prepares the next.
            let quiet = clock.now
            runner.step(timeoutMilliseconds: 0)
            following += clock.now - quiet
            if pause > 0 { usleep(pause) }
            backend.queued = .key(.down)
            let started = clock.now
            runner.step(timeoutMilliseconds: 0)
            let shown = backend.lastWrite ?? started
            showing += shown - started
            following += clock.now - shown
        }
        let predicted = runner.predictedFramesShown - predictedBefore
        guard predicted == steps else { throw BenchError("only \(predicted) of \(steps) steps showed the predicted frame") }
        print(String(format: "predicted: %.1f us from key to frame (after the frame: %.1f us preparing the next), %.0f bytes per step",
                     microseconds(showing), microseconds(following), Double(backend.bytes) / Double(steps)))
    }

    static func load<Value>(_ file: VersionedFile<Value>) throws -> Value {
        guard case .current(let value) = try file.load() else { throw BenchError("\(file.url.path) did not load") }
        return value
    }
}

/// A terminal that takes the bytes `Terminal` encodes, as the real one does, and throws them away.
final class DiscardingBackend: Backend {
    let size: (width: Int, height: Int)
    let capabilities = Capabilities(colors: .indexed256, unicode: true)
    let sequences = ControlSequences.ansi
    /// Bytes sent since `startCounting()`.
    private(set) var bytes = 0
    /// When the last write came.
    private(set) var lastWrite: ContinuousClock.Instant?

    init(width: Int, height: Int) {
        size = (width, height)
    }

    func startCounting() {
        bytes = 0
    }

    func write(_ output: [UInt8]) {
        bytes += output.count
        lastWrite = ContinuousClock.now
    }

    /// The next event `nextEvent` hands out, once.
    var queued: Event?
    func nextEvent(timeoutMilliseconds: Int) -> Event? { queued.take() }
    func hasInput(withinMilliseconds timeoutMilliseconds: Int) -> Bool { queued != nil }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

try Bench.main()
