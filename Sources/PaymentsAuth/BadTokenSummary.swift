/// Counters of failed authentications over one summary interval, for one log line.
public struct BadTokenSummary: Sendable, Hashable, CustomStringConvertible {
    /// Failed authentications in the interval, suppressed ones included.
    public var badTokens = 0
    /// Failures that found their peer's bucket empty.
    public var suppressed = 0
    /// Peers tracked when the summary was taken.
    public var peers = 0
    /// Peers dropped from the full table while it still had failures to forget.
    public var evictedPeers = 0

    /// `badTokens=N suppressed=M peers=K evictedPeers=E`.
    public var description: String {
        "badTokens=\(badTokens) suppressed=\(suppressed) peers=\(peers) evictedPeers=\(evictedPeers)"
    }

    /// The counters under dotted keys for the logger, such as `auth.bad_tokens`.
    public var metadata: [String: String] {
        [
            "auth.bad_tokens": String(badTokens),
            "auth.suppressed": String(suppressed),
            "auth.peers": String(peers),
            "auth.evicted_peers": String(evictedPeers),
        ]
    }
}
