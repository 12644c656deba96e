import Synchronization

/// A token bucket that caps retries at about `ratio` of the calls, plus a burst of `capacity`.
final class RetryBudget: Sendable {
    private let ratio: Double
    private let capacity: Double
    private let tokens: Mutex<Double>

    init(ratio: Double, capacity: Double) {
        self.ratio = ratio
        self.capacity = capacity
        self.tokens = Mutex(capacity)
    }

    /// Credits one call.
    func recordCall() {
        tokens.withLock { $0 = min(capacity, $0 + ratio) }
    }

    /// Takes one token for a retry; returns false when the budget is spent.
    func withdraw() -> Bool {
        tokens.withLock { tokens in
            guard tokens >= 1 else {
                return false
            }
            tokens -= 1
            return true
        }
    }
}
