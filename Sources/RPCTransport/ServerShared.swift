import PaymentsLogging
import Synchronization

/// State that every event loop of one server reads: configuration, methods, counters, lifecycle.
final class ServerShared: Sendable {
    let configuration: RPCServerConfiguration
    let methods: [String: RPCServerMethod]
    let logger: Logger
    let limits: ServerConnectionStateMachine.Limits
    let openConnections = Atomic<Int>(0)
    let acceptedConnections = Atomic<Int>(0)
    let callsStarted = Atomic<Int>(0)
    let callsCompleted = Atomic<Int>(0)
    let callsEndedEarly = Atomic<Int>(0)
    private let connectionIDs = Atomic<UInt64>(0)
    // The listening socket and how many loops still watch it; the last loop to let go closes it.
    private let listener = Mutex<(descriptor: Int32, watchers: Int)>((-1, 0))
    // The server's loops, kept from start until the last one stops, and the loop of the next accepted connection.
    private let loops = Mutex<[ServerLoop]>([])
    private let nextLoopIndex = Atomic<Int>(0)
    // Loops still running and the tasks waiting for all of them to stop.
    private let lifecycle = Mutex<
        (running: Int, waiters: [CheckedContinuation<Void, Never>], onStopped: (@Sendable () -> Void)?)
    >((0, [], nil))

    init(configuration: RPCServerConfiguration, methods: [String: RPCServerMethod], logger: Logger) {
        self.configuration = configuration
        self.methods = methods
        self.logger = logger
        self.limits = ServerConnectionStateMachine.Limits(
            maxFrameSize: configuration.maxFrameSize, maxMessageSize: configuration.maxMessageSize,
            maxConcurrentCalls: configuration.maxConcurrentCallsPerConnection,
            initialStreamCredit: configuration.initialStreamCredit)
    }

    func nextConnectionID() -> UInt64 {
        connectionIDs.add(1, ordering: .relaxed).newValue
    }

    /// Counts a new connection; returns false when the server is at `maxConnections`.
    func reserveConnection() -> Bool {
        let count = openConnections.add(1, ordering: .relaxed).newValue
        guard count <= configuration.maxConnections else {
            openConnections.subtract(1, ordering: .relaxed)
            return false
        }
        acceptedConnections.add(1, ordering: .relaxed)
        return true
    }

    func releaseConnection() {
        openConnections.subtract(1, ordering: .relaxed)
    }

    func loopsStarted(_ started: [ServerLoop], listener descriptor: Int32, onStopped: @escaping @Sendable () -> Void) {
        lifecycle.withLock { state in
            state.running = started.count
            state.onStopped = onStopped
        }
        loops.withLock { $0 = started }
        listener.withLock { $0 = (descriptor, started.count) }
    }

    /// Returns the loop that serves the next accepted connection, or nil once the server stopped.
    ///
    /// The loops take turns, so connections spread evenly whichever loop accepted them.
    func loopForNextConnection() -> ServerLoop? {
        let index = nextLoopIndex.add(1, ordering: .relaxed).oldValue
        return loops.withLock { loops in
            loops.isEmpty ? nil : loops[index % loops.count]
        }
    }

    /// Records that one loop stopped watching the listener; closes it after the last one.
    ///
    /// Closing it at once, rather than when the loops end, makes the kernel reject new
    /// connections during a drain instead of queueing them where no loop accepts them.
    func releaseListener() {
        let descriptor: Int32? = listener.withLock { listener in
            listener.watchers -= 1
            guard listener.watchers == 0, listener.descriptor >= 0 else {
                return nil
            }
            defer { listener.descriptor = -1 }
            return listener.descriptor
        }
        if let descriptor {
            SystemCall.close(descriptor)
        }
    }

    func loopStopped() {
        let finished: ([CheckedContinuation<Void, Never>], (@Sendable () -> Void)?)? = lifecycle.withLock { state in
            state.running -= 1
            guard state.running == 0 else {
                return nil
            }
            let result = (state.waiters, state.onStopped)
            state.waiters = []
            state.onStopped = nil
            return result
        }
        if finished != nil {
            // The loops hold this object, so the list must not outlive them.
            loops.withLock { $0 = [] }
        }
        guard let (waiters, onStopped) = finished else {
            return
        }
        onStopped?()
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// Suspends until every loop stopped; returns at once when none runs.
    func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = lifecycle.withLock { state in
                if state.running == 0 {
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if stopped {
                continuation.resume()
            }
        }
    }
}
