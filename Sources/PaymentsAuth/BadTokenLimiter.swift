import Synchronization

/// Per-peer token buckets for failed authentications, with a bounded peer table and a summary
/// for the log.
///
/// Each failure takes one unit from the peer's bucket, which holds up to `burst` units and refills
/// at `refillPerSecond`. A failure that finds the bucket empty is suppressed: the server should
/// stop serving that peer (for example reject its calls without checking the token, or close the
/// connection) until `isLimited(peer:)` is false again. Successful calls do not touch the limiter,
/// so a peer that sends one bad token keeps using its connection with a correct one.
///
/// The table tracks at most `maxPeers` peers, so that many addresses cannot grow memory. When it
/// is full, a new peer first drops the peers whose buckets have refilled completely, and then the
/// peer seen least recently. An evicted peer starts again with a full bucket.
///
/// Instead of a log line per failure, the server calls `takeSummary(now:)` and logs the counters
/// at most once per `summaryInterval`. Thread-safe: all state sits behind one `Mutex`.
public final class BadTokenLimiter: Sendable {
    /// Limits of a limiter. The defaults are meant for one server process.
    public struct Configuration: Sendable {
        /// Failures a peer may make in a row before it is limited.
        public var burst: Int
        /// Failures per second a peer regains, up to `burst`.
        public var refillPerSecond: Double
        /// Maximum peers tracked at once.
        public var maxPeers: Int
        /// Minimum time between two summaries.
        public var summaryInterval: Duration

        /// Creates a configuration. Preconditions: `burst` and `maxPeers` are at least 1,
        /// `refillPerSecond` is greater than 0.
        public init(
            burst: Int = 10, refillPerSecond: Double = 1, maxPeers: Int = 4096, summaryInterval: Duration = .seconds(10)
        ) {
            precondition(burst >= 1, "burst must be at least 1")
            precondition(refillPerSecond > 0, "refillPerSecond must be greater than 0")
            precondition(maxPeers >= 1, "maxPeers must be at least 1")
            self.burst = burst
            self.refillPerSecond = refillPerSecond
            self.maxPeers = maxPeers
            self.summaryInterval = summaryInterval
        }
    }

    /// Time source of the limiter. Every method takes `now` so that tests can pass instants.
    public typealias Instant = ContinuousClock.Instant

    struct Bucket {
        var units: Double
        var updated: Instant
    }

    struct State {
        var buckets: [String: Bucket] = [:]
        var summary = BadTokenSummary()
        var lastSummary: Instant?
    }

    /// The limits in force.
    public let configuration: Configuration
    private let state = Mutex(State())

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Records a failed authentication from `peer` and returns whether it is within the limit.
    ///
    /// `peer` identifies the remote host, such as an IP address without the port, so that new
    /// connections from one host share a bucket. Returns false when the failure is suppressed.
    @discardableResult
    public func recordFailure(peer: String, now: Instant = .now) -> Bool {
        state.withLock { state in
            var bucket = state.buckets[peer] ?? admit(peer, into: &state, now: now)
            refill(&bucket, now: now)

            let allowed = bucket.units >= 1
            if allowed {
                bucket.units -= 1
            } else {
                state.summary.suppressed += 1
            }
            state.summary.badTokens += 1
            state.buckets[peer] = bucket
            return allowed
        }
    }

    /// Returns whether `peer`'s bucket is empty, meaning its last failure was suppressed and
    /// its calls should be rejected without checking the token.
    public func isLimited(peer: String, now: Instant = .now) -> Bool {
        state.withLock { state in
            guard var bucket = state.buckets[peer] else {
                return false
            }
            refill(&bucket, now: now)
            return bucket.units < 1
        }
    }

    /// The number of peers currently tracked, at most `configuration.maxPeers`.
    public var trackedPeerCount: Int {
        state.withLock { $0.buckets.count }
    }

    /// Returns the counters gathered since the last summary and resets them, or nil when there
    /// were no failures or less than `summaryInterval` has passed since the last summary.
    public func takeSummary(now: Instant = .now) -> BadTokenSummary? {
        state.withLock { state in
            guard state.summary.badTokens > 0 else {
                return nil
            }
            if let last = state.lastSummary, now - last < configuration.summaryInterval {
                return nil
            }
            var summary = state.summary
            summary.peers = state.buckets.count
            state.summary = BadTokenSummary()
            state.lastSummary = now
            return summary
        }
    }

    private func refill(_ bucket: inout Bucket, now: Instant) {
        let elapsed = now - bucket.updated
        guard elapsed > .zero else {
            return
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        bucket.units = min(Double(configuration.burst), bucket.units + seconds * configuration.refillPerSecond)
        bucket.updated = now
    }

    /// Makes room for a new peer when the table is full and returns its full bucket.
    private func admit(_ peer: String, into state: inout State, now: Instant) -> Bucket {
        if state.buckets.count >= configuration.maxPeers {
            let burst = Double(configuration.burst)
            state.buckets = state.buckets.filter { _, bucket in
                var refilled = bucket
                refill(&refilled, now: now)
                return refilled.units < burst
            }
        }
        while state.buckets.count >= configuration.maxPeers {
            guard let oldest = state.buckets.min(by: { $0.value.updated < $1.value.updated })?.key else {
                break
            }
            state.buckets.removeValue(forKey: oldest)
            state.summary.evictedPeers += 1
        }
        return Bucket(units: Double(configuration.burst), updated: now)
    }
}
