import Foundation
import LMSTestSupport
import LMSClient
import LMSKit
import Testing

@testable import LMSServer

/// Offline work under stress: processes killed mid-write, two devices disagreeing, two processes
/// at once.
@Suite("Offline work")
struct OfflineTests {
    @Test("lms killed at random while writing the outbox never leaves it half-written")
    func killedDuringOutboxWrite() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let lesson = try await server.lessonID("Installing the toolchain").uuidString.lowercased()

            // How long one undisturbed run takes, to spread the kills over it.
            let started = Date()
            let clean = try await CLI.run(["complete", lesson, "--offline"], home: home)
            try #require(clean.status == 0, "lms complete --offline: \(clean.all)")
            let runtime = Date().timeIntervalSince(started)

            var finished = 1
            for _ in 0..<16 {
                let running = try CLI.start(["complete", lesson, "--offline"], home: home)
                try await Task.sleep(for: .seconds(Double.random(in: 0...(runtime * 1.2))))
                running.kill()
                let result = await running.wait()
                if !result.signalled, result.status == 0 { finished += 1 }
                #expect(result.signalled || result.status == 0, "lms complete: \(result.all)")
            }

            // Every write landed whole or not at all.
            var notices = AccountStore.Notices()
            let outbox = try session.store.outbox(notices: &notices)
            #expect(notices.messages.isEmpty, "\(notices.messages)")
            #expect(outbox.count >= finished && outbox.count <= 17)
            #expect(Set(outbox.map(\.id)).count == outbox.count)
            for entry in outbox {
                #expect(entry.state == .pending && entry.rejection == nil)
                guard case .progressUpsert(let update) = entry.mutation.kind else {
                    Issue.record("unexpected mutation \(entry.mutation)")
                    continue
                }
                #expect(update.lessonID.uuidString.lowercased() == lesson && update.completed && update.completedAt != nil)
            }
            // The lock died with its holder: the next lms gets it at once, and clears the
            // temporary files the killed writers left.
            let after = try await CLI.run(["complete", lesson, "--offline"], home: home)
            #expect(after.status == 0, "\(after.all)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: session.store.directory.path).filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "\(leftovers)")

            let report = try await session.engine().run()
            #expect(report.pushed == outbox.count + 1)
            #expect(report.newlyRejected.isEmpty)
            #expect(try session.outbox().isEmpty)
            #expect(try await server.progressRows(lesson: try await server.lessonID("Installing the toolchain")) == 1)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == outbox.count + 1)
            try await expectConsistent(session, server)
        }
    }

    /// Device A watches a lesson, then completes it; device B completed it earlier with fewer
    /// seconds. Both also watch a second lesson without finishing it.
    struct TwoDevices {
        let completedEarlier = wholeSecondsAgo(7200)
        let completedLater = wholeSecondsAgo(3600)

        func enqueueA(_ session: ClientSession, install: UUID, aiueo: UUID) throws {
            try session.outboxWriter.enqueue(watching(install, seconds: 350), at: wholeSecondsAgo(4000))
            try session.outboxWriter.enqueue(completion(install, seconds: 400, at: completedLater), at: completedLater)
            try session.outboxWriter.enqueue(watching(aiueo, seconds: 100), at: wholeSecondsAgo(3000))
        }

        func enqueueB(_ session: ClientSession, install: UUID, aiueo: UUID) throws {
            try session.outboxWriter.enqueue(completion(install, seconds: 120, at: completedEarlier), at: completedEarlier)
            try session.outboxWriter.enqueue(watching(aiueo, seconds: 250), at: wholeSecondsAgo(5000))
        }
    }

    @Test("two devices offline on the same lessons converge whatever the sync order", arguments: [true, false])
    func twoDevicesConverge(aFirst: Bool) async throws {
        try await withLiveServer { server in
            let install = try await server.lessonID("Installing the toolchain")
            let aiueo = try await server.lessonID("あいうえお")
            let homeA = try TestHome(), homeB = try TestHome()
            let a = try await homeA.login(server), b = try await homeB.login(server)
            _ = try await a.engine().run()
            _ = try await b.engine().run()
            #expect(a.deviceID != b.deviceID)

            let plan = TwoDevices()
            try plan.enqueueA(a, install: install, aiueo: aiueo)
            try plan.enqueueB(b, install: install, aiueo: aiueo)
            let order = aFirst ? [a, b, a] : [b, a, b]
            for device in order {
                let report = try await device.engine().run()
                #expect(report.newlyRejected.isEmpty)
            }

            // completed = either, seconds = the most, completed_at = the earliest.
            let rows = try await a.api.progress()
            let installed = try #require(rows.first { $0.lessonID == install })
            #expect(installed.completed)
            #expect(installed.progressSeconds == 400)
            #expect(installed.completedAt == plan.completedEarlier)
            let watched = try #require(rows.first { $0.lessonID == aiueo })
            #expect(!watched.completed && watched.completedAt == nil)
            #expect(watched.progressSeconds == 250)
            #expect(try await server.progressRows(lesson: install) == 1)
            #expect(try await server.progressRows(lesson: aiueo) == 1)
            #expect(try await server.count("applied_mutations", where: "user_id = \(bind: server.learnerID)") == 5)
            // Both devices see the same rows.
            for device in [a, b] {
                let cached = try device.learnerRecords().progress
                #expect(cached.first { $0.lessonID == install } == installed)
                #expect(cached.first { $0.lessonID == aiueo } == watched)
                try await expectConsistent(device, server)
            }
        }
    }

    @Test("a second lms waits for the account lock, then fails naming the holder; free again it succeeds")
    func secondProcessWaitsForTheLock() async throws {
        try await withLiveServer { server in
            let home = try TestHome()
            let session = try await home.login(server)
            _ = try await session.engine().run()
            let lesson = try await server.lessonID("Installing the toolchain").uuidString.lowercased()

            let blocked: CLI.Result
            let waited: TimeInterval
            do {
                let lock = try session.store.lock()
                let started = Date()
                blocked = try await CLI.run(["complete", lesson, "--offline"], home: home)
                waited = Date().timeIntervalSince(started)
                withExtendedLifetime(lock) {}
            }
            #expect(blocked.status == 6, "\(blocked.all)")
            #expect(blocked.stderr.contains("Another lms process (pid \(getpid()))"), "\(blocked.stderr)")
            #expect(waited >= 4, "gave up after \(waited)s instead of waiting for the lock")
            #expect(try session.outbox().isEmpty)

            // The lock is released when its holder lets go of it.
            let free = try await CLI.run(["complete", lesson, "--offline"], home: home)
            #expect(free.status == 0, "\(free.all)")
            #expect(free.stdout.contains("Completed 'Installing the toolchain'"))
            #expect(try session.outbox().count == 1)
            try await expectConsistent(session, server)
        }
    }
}
