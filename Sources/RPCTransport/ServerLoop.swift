import PaymentsLogging
import RPCMessages
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The server's work on one event loop: accepting, reading, dispatching calls, timeouts.
///
/// Every method except `init` runs on the loop's thread. Other threads reach it
/// only through `EventLoop.execute`, which is why it can be `@unchecked Sendable`.
final class ServerLoop: EventLoopChannel, @unchecked Sendable {
    let loop: EventLoop
    let shared: ServerShared
    let listener: Int32
    var connections: [UInt64: ServerConnection] = [:]
    var actions: [ServerConnectionStateMachine.Action] = []
    /// 64 KiB receive buffer shared by every connection of this loop.
    let readBuffer: UnsafeMutableBufferPointer<UInt8>
    var listening = false
    /// Set while accepting is paused because the process ran out of descriptors.
    var acceptResumesAt: ContinuousClock.Instant?
    var refusedConnections = 0
    /// Calls this loop rejected because their connection had `maxConcurrentCallsPerConnection` calls open.
    var rejectedCalls = 0
    var drainDeadline: ContinuousClock.Instant?

    init(shared: ServerShared, listener: Int32) throws(RPCTransportError) {
        self.shared = shared
        self.listener = listener
        self.loop = try EventLoop()
        loop.spinWait = shared.configuration.spinWait
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

    func receive(_ bytes: UnsafeRawBufferPointer, on connection: ServerConnection) {
        // Finished calls leave the count first, so that the concurrency limit excludes them.
        connection.forgetFinishedCalls()
        actions.removeAll(keepingCapacity: true)
        let rejectedBefore = connection.machine.rejectedOverLimit
        connection.machine.receive(bytes, into: &actions)
        if connection.machine.rejectedOverLimit > rejectedBefore {
            logRejectedCalls(on: connection, count: connection.machine.rejectedOverLimit - rejectedBefore)
        }
        // SETTINGS and refusals go out before any handler below can send a response.
        connection.sendMachineOutput()
        for action in actions {
            perform(action, on: connection)
        }
        connection.markDirty()
    }

    /// Logs calls rejected for the limit of open calls. It logs the first rejection and then one line per
    /// 1,000, so that a client that ignores the limit cannot flood the log.
    private func logRejectedCalls(on connection: ServerConnection, count: Int) {
        let loggedThousands = rejectedCalls / 1_000
        rejectedCalls += count
        guard rejectedCalls == count || rejectedCalls / 1_000 > loggedThousands else {
            return
        }
        shared.logger.warning(
            "calls rejected: maxConcurrentCallsPerConnection reached",
            metadata: [
                "net.peer": "\(connection.peer)", "rpc.connection_id": "\(connection.id)",
                "rpc.max_concurrent_calls": "\(shared.configuration.maxConcurrentCallsPerConnection)",
                "rpc.rejected_calls": "\(rejectedCalls)",
            ])
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
            callID: callID, connectionID: connection.id, deadline: deadline, output: connection.output,
            statistics: shared, initialCredit: connection.machine.peerStreamCredit,
            maxMessageSize: Int(shared.limits.maxMessageSize), logger: shared.logger)
        let context = ServerCallContext(
            method: header.method, header: header, deadline: deadline, peer: connection.peerDescription,
            connectionID: connection.id, call: call)
        shared.callsStarted.add(1, ordering: .relaxed)
        // The handler starts on this loop later in the same turn, so a handler that responds without
        // waiting on another thread costs no wakeup.
        let task = Task(executorPreference: loop) {
            await method.invoke(message, context, call)
        }
        connection.calls[callID] = (call, task)
    }

}
