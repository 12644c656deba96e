import PaymentsLogging
import RPCMessages
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The server's work on one event loop: accepting, reading, dispatching calls, timeouts.
///
/// Every method except `init` runs on the loop's thread; handler tasks reach
/// it through `EventLoop.execute`, which is why it can be `@unchecked Sendable`.
final class ServerLoop: EventLoopChannel, @unchecked Sendable {
    let loop: EventLoop
    private let shared: ServerShared
    private let listener: Int32
    private var connections: [UInt64: ServerConnection] = [:]
    private var actions: [ServerConnectionStateMachine.Action] = []
    /// 64 KiB receive buffer shared by every connection of this loop.
    let readBuffer: UnsafeMutableBufferPointer<UInt8>
    private var listening = false
    private var drainDeadline: ContinuousClock.Instant?

    init(shared: ServerShared, listener: Int32) throws(RPCTransportError) {
        self.shared = shared
        self.listener = listener
        self.loop = try EventLoop()
        self.readBuffer = .allocate(capacity: 65_536)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Registers the listener and starts the loop thread.
    func start(name: String) throws(RPCTransportError) {
        try loop.register(listener, events: EpollEvents.input | EpollEvents.exclusive, channel: self)
        listening = true
        loop.onTick = { [unowned self] in tick() }
        loop.onStop = { [shared] in shared.loopStopped() }
        loop.start(name: name)
    }

    // MARK: Accepting

    /// Accepts waiting connections; this object is the listener's channel.
    func handleEvents(_ events: UInt32) {
        for _ in 0..<64 {
            let accepted: (Int32, SocketAddress)?
            do {
                accepted = try Socket.accept(listener)
            } catch {
                shared.logger.error("accept failed", metadata: ["error": error.message])
                return
            }
            guard let (descriptor, peer) = accepted else {
                return
            }
            admit(descriptor, peer: peer)
        }
    }

    func flush() {}

    private func admit(_ descriptor: Int32, peer: SocketAddress) {
        guard shared.reserveConnection() else {
            shared.logger.warning("connection refused: too many connections", metadata: ["net.peer": "\(peer)"])
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

    // MARK: Frames and calls

    func receive(_ bytes: UnsafeRawBufferPointer, on connection: ServerConnection) {
        actions.removeAll(keepingCapacity: true)
        connection.machine.receive(bytes, into: &actions)
        for action in actions {
            perform(action, on: connection)
        }
        connection.markDirty()
    }

    private func perform(_ action: ServerConnectionStateMachine.Action, on connection: ServerConnection) {
        switch action {
        case .startCall(let callID, let header, let message):
            startCall(callID, header: header, message: message, on: connection)
        case .cancelCall(let callID):
            if let entry = connection.calls.removeValue(forKey: callID) {
                entry.call.cancel(RPCError(code: .cancelled, message: "the client cancelled the call"))
                entry.task.cancel()
            }
        case .addCredit(let callID, let count):
            connection.calls[callID]?.call.addCredit(count)
        case .close(let error):
            if let error, error.code != .invalidPreface {
                shared.logger.debug(
                    "closing connection after a protocol error",
                    metadata: ["net.peer": "\(connection.peer)", "error": error.message])
            }
            if error?.code == .invalidPreface {
                close(connection, reason: "invalid preface")
            } else {
                // Send the GOAWAY that explains the error before closing.
                connection.flush()
                close(connection, reason: error?.message ?? "closed")
            }
        }
    }

    private func startCall(_ callID: UInt32, header: CallHeader, message: [UInt8], on connection: ServerConnection) {
        guard let method = shared.methods[header.method] else {
            let error = RPCError(
                code: .unimplemented, message: "method \(header.method) is not served here", notProcessed: true)
            connection.machine.completeCall(callID, message: nil, status: error.callStatus)
            return
        }
        var deadline: ContinuousClock.Instant?
        if header.timeoutMicros > 0 {
            let micros = Int64(clamping: min(header.timeoutMicros, UInt64(Int64.max)))
            deadline = .now + .microseconds(micros)
        }
        let call = ServerCall(
            callID: callID, connectionID: connection.id, deadline: deadline, loop: loop, server: self,
            initialCredit: connection.machine.peerStreamCredit, maxMessageSize: Int(shared.limits.maxMessageSize),
            logger: shared.logger)
        let context = ServerCallContext(
            method: header.method, header: header, deadline: deadline, peer: connection.peer.description,
            connectionID: connection.id, call: call)
        shared.callsStarted.add(1, ordering: .relaxed)
        let task = Task {
            await method.invoke(message, context, call)
        }
        connection.calls[callID] = (call, task)
    }

    func completeCall(connectionID: UInt64, callID: UInt32, message: [UInt8]?, status: CallStatus) {
        guard let connection = connections[connectionID],
            connection.calls.removeValue(forKey: callID) != nil
        else {
            return
        }
        shared.callsCompleted.add(1, ordering: .relaxed)
        connection.machine.completeCall(callID, message: message, status: status)
        connection.markDirty()
    }

    func sendMessage(connectionID: UInt64, callID: UInt32, message: [UInt8]) {
        guard let connection = connections[connectionID] else {
            return
        }
        if connection.machine.sendMessage(callID, message: message) {
            connection.markDirty()
        }
    }

    // MARK: Closing and timeouts

    func close(_ connection: ServerConnection, reason: String) {
        guard !connection.isClosed else {
            return
        }
        connection.markClosed()
        loop.deregister(connection.descriptor)
        SystemCall.close(connection.descriptor)
        connections[connection.id] = nil
        shared.releaseConnection()
        let lost = RPCError.connectionLost("the connection closed before the call finished")
        for entry in connection.calls.values {
            entry.call.cancel(lost)
            entry.task.cancel()
        }
        connection.calls.removeAll()
        shared.logger.debug(
            "connection closed",
            metadata: ["net.peer": "\(connection.peer)", "rpc.connection_id": "\(connection.id)", "reason": reason])
        stopIfDrained()
    }

    private func tick() {
        let now = ContinuousClock.now
        let configuration = shared.configuration
        for connection in Array(connections.values) {
            if connection.machine.isHandshaking && now - connection.acceptedAt > configuration.handshakeTimeout {
                close(connection, reason: "handshake timed out")
            } else if !connection.machine.output.isEmpty
                && now - connection.lastWriteProgressAt > configuration.writeStallTimeout
            {
                close(connection, reason: "write stalled")
            } else if connection.calls.isEmpty && now - connection.lastReadAt > configuration.idleTimeout {
                connection.machine.appendGoAway(code: .ok, message: "idle timeout")
                connection.flush()
                close(connection, reason: "idle timeout")
            } else {
                expireDeadlines(on: connection, now: now)
                if connection.calls.isEmpty && connection.machine.output.isEmpty {
                    connection.machine.releaseBuffersIfIdle()
                }
            }
        }
        if let drainDeadline, now >= drainDeadline {
            closeAll(reason: "drain timeout")
        }
    }

    private func expireDeadlines(on connection: ServerConnection, now: ContinuousClock.Instant) {
        guard !connection.calls.isEmpty else {
            return
        }
        for (callID, entry) in connection.calls {
            guard let deadline = entry.call.deadline, now >= deadline else {
                continue
            }
            let error = RPCError(code: .deadlineExceeded, message: "the call's deadline passed on the server")
            connection.calls[callID] = nil
            entry.call.cancel(error)
            entry.task.cancel()
            connection.machine.completeCall(callID, message: nil, status: error.callStatus)
            connection.markDirty()
        }
    }

    /// Stops accepting and sends GOAWAY on every connection; loop thread only.
    func beginDrain(timeout: Duration) {
        stopListening()
        drainDeadline = .now + timeout
        actions.removeAll(keepingCapacity: true)
        for connection in Array(connections.values) {
            connection.machine.beginDrain(into: &actions)
            if actions.contains(where: { if case .close = $0 { true } else { false } }) {
                close(connection, reason: "draining before the handshake finished")
            } else {
                connection.markDirty()
            }
            actions.removeAll(keepingCapacity: true)
        }
        stopIfDrained()
    }

    /// Closes every connection and stops the loop; loop thread only.
    func closeAll(reason: String) {
        stopListening()
        drainDeadline = nil
        for connection in Array(connections.values) {
            close(connection, reason: reason)
        }
        loop.stop()
    }

    private func stopListening() {
        if listening {
            listening = false
            loop.deregister(listener)
        }
    }

    private func stopIfDrained() {
        if !listening && connections.isEmpty {
            loop.stop()
        }
    }
}
