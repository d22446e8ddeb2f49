import Foundation

/// Exponential backoff with full jitter (AWS's "full jitter"): the n-th wait is uniform in
/// [0, min(cap, base · 2ⁿ)], so many clients coming back online do not retry in lockstep.
public struct Backoff: Sendable {
    public var base: Double = 0.5
    public var cap: Double = 30
    public var maxAttempts = 4
    /// The most all waits of one `run` add up to: someone is waiting for it, and a server that
    /// asks for longer (Retry-After) is tried again later, in the background.
    public var budget: Double = 8

    public init(base: Double = 0.5, cap: Double = 30, maxAttempts: Int = 4, budget: Double = 8) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
        self.budget = budget
    }

    public func delay(attempt: Int, retryAfter: Int? = nil, random: Double = .random(in: 0...1)) -> Double {
        if let retryAfter { return min(Double(retryAfter), 120) }
        return random * min(cap, base * pow(2, Double(attempt)))
    }

    /// Runs `operation`, retrying failures worth a quick retry (a broken connection, 429, 5xx)
    /// within `budget`; a server that cannot be reached, or does not answer, fails at once.
    public func run<T: Sendable>(_ operation: () async throws(ClientError) -> T) async throws(ClientError) -> T {
        var attempt = 0
        var waited = 0.0
        while true {
            do {
                return try await operation()
            } catch {
                attempt += 1
                guard error.isWorthRetryingNow, attempt < maxAttempts else { throw error }
                var retryAfter: Int?
                if case .rateLimited(let seconds) = error { retryAfter = seconds }
                let wait = delay(attempt: attempt, retryAfter: retryAfter)
                guard waited + wait <= budget else { throw error }
                waited += wait
                do {
                    try await Task.sleep(for: .seconds(wait))
                } catch {
                    throw .cancelled
                }
            }
        }
    }
}
