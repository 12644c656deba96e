import Synchronization

/// An event loop thread that reads and writes the connections of the clients that use it.
///
/// Every client uses ``shared`` unless its configuration names another loop. A load generator spreads its
/// connections over several loops to use more than one core. Code run on a loop's ``executor`` must never
/// block, because it would stall the reads of every connection on that loop.
///
/// Every method may be called from any thread; the connections and the read buffer are used on the loop
/// thread only, which is why the class can be `@unchecked Sendable`.
public final class ClientEventLoop: @unchecked Sendable {
    /// The process-wide client loop, started on first use and never stopped.
    public static let shared: ClientEventLoop = {
        do {
            return try ClientEventLoop(name: "rpc-client-loop")
        } catch {
            fatalError("cannot start the RPC client event loop: \(error)")
        }
    }()

    let loop: EventLoop
    /// 64 KiB receive buffer used on the loop thread.
    let readBuffer: UnsafeMutableBufferPointer<UInt8>
    // Loop thread only.
    private var connections: [ObjectIdentifier: ClientConnection] = [:]

    /// Starts a loop on a new thread called `name`.
    ///
    /// - Throws: `RPCTransportError` `systemCallFailed` when the loop's epoll or eventfd descriptor cannot be
    ///   created.
    public init(name: String) throws(RPCTransportError) {
        loop = try EventLoop()
        readBuffer = .allocate(capacity: 65_536)
        loop.onTick = { [unowned self] in
            let now = ContinuousClock.now
            for connection in Array(connections.values) {
                connection.checkKeepalive(now: now)
            }
        }
        loop.start(name: name)
    }

    /// The executor of the loop thread.
    ///
    /// A task that prefers it, through `withTaskExecutorPreference(_:operation:)`, runs its calls on that
    /// thread, so a response resumes the caller in the loop turn that read it.
    public var executor: any TaskExecutor {
        loop
    }

    /// Fails the calls on the loop's connections with UNAVAILABLE, closes the connections and ends the thread.
    ///
    /// Later connections of clients that use this loop fail with UNAVAILABLE. ``shared`` must not be stopped.
    public func stop() {
        precondition(self !== Self.shared, "the shared client event loop serves every default client; never stop it")
        loop.execute { [self] in
            for connection in Array(connections.values) {
                connection.close(with: .connectionLost("the client event loop was stopped"))
            }
            loop.stop()
        }
    }

    /// Registers a connected socket and flushes its preface.
    func add(_ connection: ClientConnection, descriptor: Int32) {
        let queued = loop.execute { [self] in
            guard connection.state.withLock({ $0.descriptor }) == descriptor else {
                return
            }
            do throws(RPCTransportError) {
                try loop.register(descriptor, events: EpollEvents.input, channel: connection)
                connections[ObjectIdentifier(connection)] = connection
            } catch {
                connection.close(with: .connectionLost("cannot watch the socket: \(error.message)"))
            }
        }
        if !queued {
            connection.close(with: .unavailableNotProcessed("the client event loop was stopped"))
        }
    }

    /// Deregisters a socket on the loop thread, after reads in this turn are done, and closes it
    /// unless a sending thread will.
    func remove(_ connection: ClientConnection, descriptor: Int32, closeDescriptor: Bool) {
        let queued = loop.execute { [self] in
            loop.deregister(descriptor)
            if closeDescriptor {
                SystemCall.close(descriptor)
            }
            connections[ObjectIdentifier(connection)] = nil
        }
        // A stopped loop watches nothing any more, so the socket can close here.
        if !queued && closeDescriptor {
            SystemCall.close(descriptor)
        }
    }
}
