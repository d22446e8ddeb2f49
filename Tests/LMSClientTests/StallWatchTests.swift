import Foundation
import LMSClient
import Testing

@testable import LMSClient

/// The rule that calls an exchange stalled, fed times and byte counts by hand.
@Suite("Stall watch")
struct StallWatchTests {
    let second: UInt64 = 1_000_000_000
    let patience = Patience(connectSeconds: 6, stallSeconds: 5, minimumBytesPerSecond: 64)

    @Test("silence for the whole window is a stall, even after a burst that came before it")
    func silenceAfterABurst() {
        var watch = StallWatch(patience: patience)
        _ = watch.isStalled(bytes: 0, at: 0)
        let afterRequest = watch.isStalled(bytes: 600, at: second / 10)  // the request went out
        #expect(!afterRequest)
        for tick in 1...5 {
            let stalled = watch.isStalled(bytes: 600, at: UInt64(tick) * second)
            #expect(!stalled, "at \(tick) s")
        }
        // Five seconds after the last byte moved.
        let stalled = watch.isStalled(bytes: 600, at: 5 * second + second / 10)
        #expect(stalled)
    }

    @Test("a byte a second is a stall; a slow but real transfer is not")
    func trickleAndSlow() {
        var trickle = StallWatch(patience: patience)
        var slow = StallWatch(patience: patience)
        var stalledAt: Int?
        for tick in 0...12 {
            if trickle.isStalled(bytes: Int64(tick), at: UInt64(tick) * second), stalledAt == nil { stalledAt = tick }
            let slowStalled = slow.isStalled(bytes: Int64(tick) * 2_000, at: UInt64(tick) * second)
            #expect(!slowStalled, "at \(tick) s")
        }
        #expect(stalledAt == 5)
    }
}
