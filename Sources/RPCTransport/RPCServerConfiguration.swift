/// Settings and limits of an `RPCServer`.
///
/// Every limit has a default that suits a service of a few thousand calls per
/// second and 10,000 mostly idle connections. The protocol document lists
/// what happens when each limit is hit.
public struct RPCServerConfiguration: Sendable {
    /// Address to listen on, an IPv4 literal such as `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// TCP port; 0 lets the system choose a free port, which `RPCServer.start()` returns.
    public var port: Int
    /// Event-loop threads; each runs its own epoll instance.
    public var eventLoopCount: Int
    /// Largest frame payload in bytes. A longer frame is a protocol error: GOAWAY and close.
    public var maxFrameSize: UInt32
    /// Largest request message in bytes. A larger one fails only its call with RESOURCE_EXHAUSTED.
    public var maxMessageSize: UInt32
    /// Calls open at once on one connection. More fail with RESOURCE_EXHAUSTED, not processed.
    public var maxConcurrentCallsPerConnection: UInt32
    /// Open connections across the server. Further connections are accepted and closed at once.
    public var maxConnections: Int
    /// Time a new connection has to send the preface and SETTINGS before it is closed.
    public var handshakeTimeout: Duration
    /// Time a connection with no open call and no received byte stays open.
    public var idleTimeout: Duration
    /// Time queued output may wait on a peer that reads nothing before the connection is closed.
    public var writeStallTimeout: Duration
    /// Messages a server-streaming call may send before the client grants CREDIT, used when the
    /// client's SETTINGS gives 0.
    public var initialStreamCredit: UInt32
    /// Time a graceful shutdown waits for open calls before it closes what remains.
    public var drainTimeout: Duration
    /// Length of the kernel's queue of connections not yet accepted.
    public var listenBacklog: Int32
    /// When set, an event loop with nothing to do polls for up to `limit` instead of sleeping while
    /// `isAwaited` returns true. Nil, the default, lets the loops sleep.
    public var spinWait: SpinWait?

    public init(
        host: String = "127.0.0.1", port: Int = 0, eventLoopCount: Int = RPCServerConfiguration.defaultLoopCount,
        maxFrameSize: UInt32 = 16 << 20, maxMessageSize: UInt32 = 4 << 20,
        maxConcurrentCallsPerConnection: UInt32 = 256, maxConnections: Int = 20_000,
        handshakeTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(300),
        writeStallTimeout: Duration = .seconds(30), initialStreamCredit: UInt32 = 64,
        drainTimeout: Duration = .seconds(30), listenBacklog: Int32 = 1024
    ) {
        self.host = host
        self.port = port
        self.eventLoopCount = eventLoopCount
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection
        self.maxConnections = maxConnections
        self.handshakeTimeout = handshakeTimeout
        self.idleTimeout = idleTimeout
        self.writeStallTimeout = writeStallTimeout
        self.initialStreamCredit = initialStreamCredit
        self.drainTimeout = drainTimeout
        self.listenBacklog = listenBacklog
    }

    /// Half the processors, between 1 and 4, leaving the rest to handler tasks.
    public static var defaultLoopCount: Int {
        max(1, min(4, ProcessInfoCount.activeProcessors / 2))
    }

    func validate() throws(RPCTransportError) {
        guard (1...64).contains(eventLoopCount) else {
            throw RPCTransportError(
                .invalidConfiguration, "eventLoopCount \(eventLoopCount) is out of range; use 1 to 64")
        }
        guard maxFrameSize >= 1024, maxMessageSize >= 1, maxMessageSize <= maxFrameSize - 1024 else {
            throw RPCTransportError(
                .invalidConfiguration,
                "maxMessageSize \(maxMessageSize) and maxFrameSize \(maxFrameSize) are inconsistent; "
                    + "maxFrameSize must exceed maxMessageSize by at least 1024 bytes for the call header")
        }
        guard (0...65_535).contains(port) else {
            throw RPCTransportError(.invalidConfiguration, "port \(port) is out of range; use 0 to 65535")
        }
        guard maxConcurrentCallsPerConnection >= 1, maxConnections >= 1, initialStreamCredit >= 1 else {
            throw RPCTransportError(
                .invalidConfiguration,
                "maxConcurrentCallsPerConnection, maxConnections and initialStreamCredit must be at least 1")
        }
    }
}

/// Lets an event loop poll instead of sleeping while its handlers wait for work on another thread.
///
/// Waking a thread that sleeps costs tens of microseconds when its CPU has gone idle (about 35 µs on the
/// benchmark machine), which is a large part of a call that waits for a disk write. Polling avoids that
/// wake-up at the price of a CPU kept busy for the wait. `isAwaited` runs on the loop thread between polls, so it must be cheap, such as an atomic
/// load.
public struct SpinWait: Sendable {
    /// Maximum time one poll lasts before the loop sleeps.
    public var limit: Duration
    /// True while the loop's handlers wait for work on another thread that will resume them.
    public var isAwaited: @Sendable () -> Bool

    public init(limit: Duration, isAwaited: @escaping @Sendable () -> Bool) {
        self.limit = limit
        self.isAwaited = isAwaited
    }
}
