import PaymentsLogging
import RPCMessages

#if canImport(Glibc)
    import Glibc
#endif

extension ServerLoop {
    func close(_ connection: ServerConnection, reason: String) {
        guard !connection.isClosed else {
            return
        }
        connection.markClosed()
        connections[connection.id] = nil
        // Counted as closed before the peer can see the close, so that statistics never lag it.
        shared.releaseConnection()
        if let (descriptor, closeNow) = connection.output.close() {
            loop.deregister(descriptor)
            if closeNow {
                SystemCall.close(descriptor)
            }
        }
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

    func tick() {
        let now = ContinuousClock.now
        let configuration = shared.configuration
        for connection in Array(connections.values) {
            connection.forgetFinishedCalls()
            if connection.machine.isHandshaking && now - connection.acceptedAt > configuration.handshakeTimeout {
                close(connection, reason: "handshake timed out")
            } else if connection.output.isStalled(now: now, timeout: configuration.writeStallTimeout) {
                close(connection, reason: "write stalled")
            } else if connection.calls.isEmpty && now - connection.lastReadAt > configuration.idleTimeout {
                connection.machine.appendGoAway(code: .ok, message: "idle timeout")
                connection.sendMachineOutput()
                close(connection, reason: "idle timeout")
            } else {
                expireDeadlines(on: connection, now: now)
                if connection.calls.isEmpty {
                    connection.machine.releaseBuffersIfIdle()
                    connection.output.releaseBufferIfEmpty()
                }
                // A drained connection closes here once its last handler finished.
                connection.flush()
            }
        }
        resumeAcceptingIfDue(now: now)
        if let drainDeadline, now >= drainDeadline {
            if !connections.isEmpty {
                let openCalls = connections.values.reduce(0) { $0 + $1.calls.count }
                shared.logger.warning(
                    "drain timeout expired, closing connections with calls still open",
                    metadata: ["rpc.open_connections": "\(connections.count)", "rpc.open_calls": "\(openCalls)"])
            }
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
            entry.task.cancel()
            if entry.call.cancel(error) {
                connection.machine.completeCall(callID, message: nil, status: error.callStatus)
                connection.markDirty()
            } else {
                connection.machine.forgetCall(callID)
            }
        }
    }

    /// Stops accepting and sends GOAWAY on every connection; loop thread only.
    func beginDrain(timeout: Duration) {
        stopListening()
        drainDeadline = .now + timeout
        actions.removeAll(keepingCapacity: true)
        for connection in Array(connections.values) {
            connection.forgetFinishedCalls()
            let connectionID = connection.id
            connection.output.wakeWhenCallsFinish { [loop, self] in
                loop.execute { self.flushConnection(connectionID) }
            }
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

    private func flushConnection(_ connectionID: UInt64) {
        connections[connectionID]?.flush()
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

    func stopListening() {
        if listening {
            listening = false
            if acceptResumesAt == nil {
                loop.deregister(listener)
            }
            acceptResumesAt = nil
            shared.releaseListener()
        }
    }

    private func stopIfDrained() {
        if !listening && connections.isEmpty {
            loop.stop()
        }
    }
}
