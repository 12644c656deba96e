/// Settings of an `RPCClient`: where to connect, limits, retries, keepalive and default call options.
public struct RPCClientConfiguration: Sendable {
    /// Server address, an IPv4 literal such as `127.0.0.1`.
    public var host: String
    public var port: Int
    /// Time a connection attempt may take before the call fails with UNAVAILABLE.
    public var connectTimeout: Duration
    /// Largest frame payload in bytes accepted from the server; a longer one closes the connection.
    public var maxFrameSize: UInt32
    /// Largest message in bytes accepted from or sent to the server.
    public var maxMessageSize: UInt32
    /// Messages a server-streaming call may receive before the client grants more.
    ///
    /// The client grants half of this window each time the caller has consumed half of it.
    public var initialStreamCredit: UInt32
    /// With calls pending and nothing received for this long, the client sends a PING.
    public var keepaliveInterval: Duration
    /// A PING unanswered for this long marks the connection dead: its calls fail with UNAVAILABLE.
    public var keepaliveTimeout: Duration
    public var retryPolicy: RetryPolicy
    /// Options merged into every call; values set on a call win.
    public var defaultOptions: CallOptions
    /// The loop thread that reads and writes the client's connection.
    public var eventLoop: ClientEventLoop

    public init(
        host: String = "127.0.0.1", port: Int, connectTimeout: Duration = .seconds(5),
        maxFrameSize: UInt32 = 16 << 20, maxMessageSize: UInt32 = 4 << 20, initialStreamCredit: UInt32 = 64,
        keepaliveInterval: Duration = .milliseconds(500), keepaliveTimeout: Duration = .milliseconds(500),
        retryPolicy: RetryPolicy = RetryPolicy(), defaultOptions: CallOptions = CallOptions(),
        eventLoop: ClientEventLoop = .shared
    ) {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.initialStreamCredit = initialStreamCredit
        self.keepaliveInterval = keepaliveInterval
        self.keepaliveTimeout = keepaliveTimeout
        self.retryPolicy = retryPolicy
        self.defaultOptions = defaultOptions
        self.eventLoop = eventLoop
    }
}

/// When and how often a failed call is sent again.
///
/// A call is retried only when it failed as UNAVAILABLE and the caller marked it
/// safe to retry, or when the server reported it retryable and not processed.
/// Each retry waits a random time between zero and the current backoff (full
/// jitter), and takes one token from a budget that refills by `budgetRatio`
/// tokens per call, so retries stay near that share of the calls.
public struct RetryPolicy: Sendable {
    /// Attempts per call, the first included; 1 disables retries.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Factor applied to the backoff after each attempt.
    public var backoffMultiplier: Double
    /// Tokens added to the retry budget per call.
    public var budgetRatio: Double
    /// Tokens in a full budget, and so the retries allowed in a burst when calls fail at once.
    public var budgetCapacity: Double

    public init(
        maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(25), maxBackoff: Duration = .seconds(1),
        backoffMultiplier: Double = 2, budgetRatio: Double = 0.2, budgetCapacity: Double = 20
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.backoffMultiplier = backoffMultiplier
        self.budgetRatio = budgetRatio
        self.budgetCapacity = budgetCapacity
    }

    /// Full-jitter wait before retry number `retry` (1 for the first retry).
    func backoff(beforeRetry retry: Int) -> Duration {
        var ceiling = initialBackoff
        for _ in 1..<max(1, retry) {
            ceiling = min(maxBackoff, ceiling * backoffMultiplier)
        }
        let nanoseconds = max(
            1, Int64(ceiling.components.seconds) * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000)
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }
}
