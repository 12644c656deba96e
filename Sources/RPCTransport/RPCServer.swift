import PaymentsLogging
import Synchronization

/// Counters of a server, for its stop summary and for tests.
public struct RPCServerStatistics: Sendable, Equatable {
    /// Connections open now.
    public var openConnections: Int
    /// Connections accepted since start, including closed ones.
    public var acceptedConnections: Int
    /// Calls whose handler started.
    public var callsStarted: Int
    /// Calls that ended with a status sent by their handler.
    public var callsCompleted: Int
    /// Calls that ended before their handler sent a status: cancelled by the client, past their deadline,
    /// or on a connection that closed. Calls still running are in neither count.
    public var callsEndedEarly: Int
}

/// The RPC server: event loops on a few threads, handlers as tasks.
///
/// Each event loop runs epoll on its own thread and accepts from the shared
/// listening socket. Each handler runs as a task that prefers the loop of its
/// connection, so its code runs on that loop thread, and work it awaits on
/// other threads resumes it there. Only a task left running after its loop
/// stopped finishes on Swift's global executor, and it sends its response from
/// there through the connection's shared output.
public final class RPCServer: Sendable {
    private enum State {
        case idle
        case running(loops: [ServerLoop], listener: Int32)
        case stopping
        case stopped
    }

    private let shared: ServerShared
    private let state = Mutex<State>(.idle)

    /// Creates a server for `services`; a method path served twice keeps the last service's method.
    public init(configuration: RPCServerConfiguration, services: [any RPCService], logger: Logger) {
        var methods: [String: RPCServerMethod] = [:]
        for service in services {
            for method in service.methods {
                methods[method.path] = method
            }
        }
        shared = ServerShared(configuration: configuration, methods: methods, logger: logger)
    }

    /// Binds, listens and starts the event loops; returns the bound address (the real port when 0 was asked).
    ///
    /// Raises the process's open-descriptor soft limit to its hard limit first.
    /// - Throws: `RPCTransportError` for an invalid configuration, a failed bind, or a second start.
    public func start() throws -> SocketAddress {
        let configuration = shared.configuration
        try configuration.validate()
        try state.withLock { state throws(RPCTransportError) in
            guard case .idle = state else {
                throw RPCTransportError(.invalidState, "the server was already started; create a new RPCServer")
            }
            state = .stopping
        }

        let descriptorLimit = Socket.raiseDescriptorLimit()
        let listener: Int32
        let address: SocketAddress
        do {
            (listener, address) = try Socket.listen(
                on: SocketAddress(host: configuration.host, port: configuration.port),
                backlog: configuration.listenBacklog)
        } catch {
            state.withLock { $0 = .stopped }
            throw error
        }
        var loops: [ServerLoop] = []
        do {
            for _ in 0..<configuration.eventLoopCount {
                loops.append(try ServerLoop(shared: shared, listener: listener))
            }
        } catch {
            SystemCall.close(listener)
            state.withLock { $0 = .stopped }
            throw error
        }
        shared.loopsStarted(loops, listener: listener) { [self] in
            state.withLock { $0 = .stopped }
            let statistics = self.statistics
            shared.logger.info(
                "stopped",
                metadata: [
                    "rpc.accepted_connections": "\(statistics.acceptedConnections)",
                    "rpc.calls_started": "\(statistics.callsStarted)",
                    "rpc.calls_completed": "\(statistics.callsCompleted)",
                    "rpc.calls_ended_early": "\(statistics.callsEndedEarly)",
                ])
        }
        for (index, loop) in loops.enumerated() {
            try loop.start(name: "rpc-loop-\(index)")
        }
        state.withLock { $0 = .running(loops: loops, listener: listener) }
        shared.logger.debug(
            "listening",
            metadata: [
                "net.address": "\(address)", "rpc.event_loops": "\(loops.count)",
                "process.descriptor_limit": "\(descriptorLimit)",
            ])
        return address
    }

    /// Stops accepting, sends GOAWAY on every connection, and lets open calls finish.
    ///
    /// Calls that arrive after the GOAWAY fail with UNAVAILABLE, retryable and
    /// not processed. After `drainTimeout` the remaining connections are closed.
    public func beginGracefulShutdown() {
        guard let loops = runningLoops() else {
            return
        }
        let timeout = shared.configuration.drainTimeout
        shared.logger.info("draining", metadata: ["rpc.open_connections": "\(statistics.openConnections)"])
        for loop in loops {
            loop.loop.execute { loop.beginDrain(timeout: timeout) }
        }
    }

    /// Closes every connection at once; open calls are cancelled and their clients see UNAVAILABLE.
    public func stopNow() {
        guard let loops = runningLoops() else {
            return
        }
        for loop in loops {
            loop.loop.execute { loop.closeAll(reason: "server stopped") }
        }
    }

    /// Suspends until every event loop stopped after a shutdown; returns at once if the server never started.
    public func waitUntilStopped() async {
        await shared.waitUntilStopped()
    }

    /// Current counters.
    public var statistics: RPCServerStatistics {
        RPCServerStatistics(
            openConnections: shared.openConnections.load(ordering: .relaxed),
            acceptedConnections: shared.acceptedConnections.load(ordering: .relaxed),
            callsStarted: shared.callsStarted.load(ordering: .relaxed),
            callsCompleted: shared.callsCompleted.load(ordering: .relaxed),
            callsEndedEarly: shared.callsEndedEarly.load(ordering: .relaxed))
    }

    /// The event loops while the server runs, empty before `start()` and after it stopped.
    public var eventLoops: [ServerEventLoop] {
        (runningLoops() ?? []).map { ServerEventLoop(loop: $0.loop) }
    }

    /// Iterations of all event loops so far; an idle server adds about 20 per loop per second.
    var eventLoopTurns: Int {
        (runningLoops() ?? []).reduce(0) { $0 + $1.loop.turnCount.load(ordering: .relaxed) }
    }

    /// Connections each event loop serves, counted on the loops' threads; for tests.
    func connectionCountsPerLoop() async -> [Int] {
        var counts: [Int] = []
        for serverLoop in runningLoops() ?? [] {
            let count = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
                let queued = serverLoop.loop.execute {
                    continuation.resume(returning: serverLoop.connections.count)
                }
                if !queued {
                    continuation.resume(returning: 0)
                }
            }
            counts.append(count)
        }
        return counts
    }

    private func runningLoops() -> [ServerLoop]? {
        state.withLock { state in
            guard case .running(let loops, _) = state else {
                return nil
            }
            return loops
        }
    }
}
