/// At most a few in-process servers at once: keeps PostgreSQL connections and the two cores of
/// a CI machine in check when the test runner starts many tests together.
package actor ServerSlots {
    package static let shared = ServerSlots(limit: 3)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    package func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    package func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
