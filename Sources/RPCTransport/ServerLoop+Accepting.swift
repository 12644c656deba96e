import PaymentsLogging
import RPCMessages

#if canImport(Glibc)
    import Glibc
#endif

extension ServerLoop {
    /// Accepts waiting connections; this object is the listener's channel.
    func handleEvents(_ events: UInt32) {
        for _ in 0..<64 {
            let accepted: (Int32, SocketAddress)?
            do {
                accepted = try Socket.accept(listener)
            } catch {
                shared.logger.error("accept failed", metadata: ["error": error.message])
                if error.errorNumber == EMFILE || error.errorNumber == ENFILE || error.errorNumber == ENOMEM {
                    pauseAccepting()
                }
                return
            }
            guard let (descriptor, peer) = accepted else {
                return
            }
            handOver(descriptor, peer: peer)
        }
    }

    /// Admits an accepted connection on the loop whose turn it is. The kernel wakes whichever loop waits on the
    /// listener, and one loop could otherwise take most of a burst of connections.
    private func handOver(_ descriptor: Int32, peer: SocketAddress) {
        guard let target = shared.loopForNextConnection(), target !== self else {
            admit(descriptor, peer: peer)
            return
        }
        let queued = target.loop.execute {
            target.admitHandedOver(descriptor, peer: peer)
        }
        if !queued {
            admit(descriptor, peer: peer)
        }
    }

    /// Admits a connection that another loop accepted, unless this loop stopped listening to drain.
    private func admitHandedOver(_ descriptor: Int32, peer: SocketAddress) {
        guard listening else {
            SystemCall.close(descriptor)
            return
        }
        admit(descriptor, peer: peer)
    }

    func flush() {}

    /// Stops watching the listener for one tick, because a listener that stays readable while
    /// accept fails would make the loop spin.
    func pauseAccepting() {
        guard listening, acceptResumesAt == nil else {
            return
        }
        loop.deregister(listener)
        acceptResumesAt = .now + .milliseconds(100)
    }

    func resumeAcceptingIfDue(now: ContinuousClock.Instant) {
        guard listening, let resumesAt = acceptResumesAt, now >= resumesAt else {
            return
        }
        acceptResumesAt = nil
        do {
            try loop.register(listener, events: EpollEvents.input | EpollEvents.exclusive, channel: self)
        } catch {
            shared.logger.error("cannot watch the listening socket again", metadata: ["error": error.message])
            acceptResumesAt = now + .seconds(1)
        }
    }

    private func admit(_ descriptor: Int32, peer: SocketAddress) {
        guard shared.reserveConnection() else {
            // One line per 1,000 refusals, so that a connection flood cannot flood the log too.
            if refusedConnections % 1_000 == 0 {
                shared.logger.warning(
                    "connection rejected: maxConnections reached",
                    metadata: [
                        "net.peer": "\(peer)", "rpc.max_connections": "\(shared.configuration.maxConnections)",
                        "rpc.rejected_connections": "\(refusedConnections + 1)",
                    ])
            }
            refusedConnections += 1
            SystemCall.close(descriptor)
            return
        }
        try? Socket.setOption(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        let connection = ServerConnection(
            id: shared.nextConnectionID(), descriptor: descriptor, peer: peer, server: self, limits: shared.limits)
        do {
            try loop.register(descriptor, events: EpollEvents.input, channel: connection)
        } catch {
            shared.logger.error("epoll registration failed", metadata: ["error": error.message])
            SystemCall.close(descriptor)
            shared.releaseConnection()
            return
        }
        connections[connection.id] = connection
        shared.logger.debug(
            "connection opened", metadata: ["net.peer": "\(peer)", "rpc.connection_id": "\(connection.id)"])
    }
}
