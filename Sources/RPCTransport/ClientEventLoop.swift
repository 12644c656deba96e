import Synchronization

/// The event loop thread shared by every client connection in the process.
final class ClientEventLoop: @unchecked Sendable {
    /// The process-wide client loop, started on first use.
    static let shared: ClientEventLoop = {
        do {
            return try ClientEventLoop()
        } catch {
            fatalError("cannot start the RPC client event loop: \(error)")
        }
    }()

    let loop: EventLoop
    /// 64 KiB receive buffer used on the loop thread.
    let readBuffer: UnsafeMutableBufferPointer<UInt8>
    // Loop thread only.
    private var connections: [ObjectIdentifier: ClientConnection] = [:]

    private init() throws(RPCTransportError) {
        loop = try EventLoop()
        readBuffer = .allocate(capacity: 65_536)
        loop.onTick = { [unowned self] in
            let now = ContinuousClock.now
            for connection in Array(connections.values) {
                connection.checkKeepalive(now: now)
            }
        }
        loop.start(name: "rpc-client-loop")
    }

    /// Registers a connected socket and flushes its preface.
    func add(_ connection: ClientConnection, descriptor: Int32) {
        loop.execute { [self] in
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
    }

    /// Deregisters a socket on the loop thread, after reads in this turn are done, and closes it
    /// unless a sending thread will.
    func remove(_ connection: ClientConnection, descriptor: Int32, closeDescriptor: Bool) {
        loop.execute { [self] in
            loop.deregister(descriptor)
            if closeDescriptor {
                SystemCall.close(descriptor)
            }
            connections[ObjectIdentifier(connection)] = nil
        }
    }
}
