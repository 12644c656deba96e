import Synchronization

/// A rate limit for repeated log lines: at most one line per interval for each key, with a count of the
/// lines held back.
///
/// A failure that hits every call, such as a database outage, would otherwise write one line per call. The caller logs only when ``admit(_:now:)`` returns a count, and adds
/// that count to the line, so the held-back lines are still accounted for. Lines held back in the last
/// interval before the failures stop are counted on the next line for the same key.
public final class LogThrottle: Sendable {
    private struct Window {
        var lastAdmitted: ContinuousClock.Instant
        var heldBack: Int
    }

    /// Shortest time between two lines for the same key.
    public let interval: Duration
    private let windows = Mutex<[String: Window]>([:])

    public init(interval: Duration) {
        self.interval = interval
    }

    /// Returns nil when a line for `key` went out less than `interval` ago, and counts it as held back.
    /// Otherwise returns the number of lines held back since the last one for `key`.
    ///
    /// Keys should come from a small set, such as an error code and a method name: each key keeps a few bytes.
    public func admit(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        windows.withLock { windows in
            if var window = windows[key], now - window.lastAdmitted < interval {
                window.heldBack += 1
                windows[key] = window
                return nil
            }
            let heldBack = windows[key]?.heldBack ?? 0
            windows[key] = Window(lastAdmitted: now, heldBack: 0)
            return heldBack
        }
    }
}
