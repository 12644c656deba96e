import RPCMessages

#if canImport(Glibc)
    import Glibc
#endif

/// One accepted TCP connection, owned by one event loop and used only on its thread.
final class ServerConnection: EventLoopChannel {
    let id: UInt64
    let descriptor: Int32
    let peer: SocketAddress
    unowned let server: ServerLoop
    var machine: ServerConnectionStateMachine
    /// Running calls and their handler tasks.
    var calls: [UInt32: (call: ServerCall, task: Task<Void, Never>)] = [:]
    let acceptedAt: ContinuousClock.Instant
    var lastReadAt: ContinuousClock.Instant
    /// When queued output last shrank, or when it started to wait.
    var lastWriteProgressAt: ContinuousClock.Instant
    private var watchesOutput = false
    private var isDirty = false
    private(set) var isClosed = false

    init(id: UInt64, descriptor: Int32, peer: SocketAddress, server: ServerLoop, limits: ServerConnectionStateMachine.Limits) {
        self.id = id
        self.descriptor = descriptor
        self.peer = peer
        self.server = server
        self.machine = ServerConnectionStateMachine(limits: limits)
        let now = ContinuousClock.now
        self.acceptedAt = now
        self.lastReadAt = now
        self.lastWriteProgressAt = now
    }

    func handleEvents(_ events: UInt32) {
        if events & (EpollEvents.input | EpollEvents.error | EpollEvents.hangUp) != 0 {
            readAvailable()
        }
        if !isClosed && events & EpollEvents.output != 0 {
            flush()
        }
    }

    private func readAvailable() {
        let buffer = server.readBuffer
        var rounds = 0
        while !isClosed && rounds < 4 {
            rounds += 1
            let count = Glibc.recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 {
                lastReadAt = .now
                server.receive(UnsafeRawBufferPointer(start: buffer.baseAddress, count: count), on: self)
                if count < buffer.count {
                    return
                }
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                return
            }
            server.close(self, reason: count == 0 ? "peer closed the connection" : "recv failed: errno \(errno)")
            return
        }
    }

    /// Schedules a flush at the end of the loop turn.
    func markDirty() {
        guard !isDirty && !isClosed else {
            return
        }
        isDirty = true
        server.loop.markDirty(self)
    }

    func flush() {
        isDirty = false
        guard !isClosed else {
            return
        }
        if !machine.output.isEmpty {
            guard writeOutput() else {
                return
            }
        }
        if machine.isFinished && machine.output.isEmpty {
            server.close(self, reason: "connection finished")
        }
    }

    /// Sends queued output with one send(2); returns false when the connection was closed.
    private func writeOutput() -> Bool {
        let sent = machine.output.withUnsafeBytes { bytes in
            Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        }
        if sent < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                watchOutput(true)
                return true
            }
            server.close(self, reason: "send failed: errno \(errno)")
            return false
        }
        lastWriteProgressAt = .now
        if sent == machine.output.count {
            let capacity = machine.output.capacity
            if capacity > 65_536 {
                machine.output = []
            } else {
                machine.output.removeAll(keepingCapacity: true)
            }
            watchOutput(false)
        } else {
            machine.output.removeSubrange(0..<sent)
            watchOutput(true)
        }
        return true
    }

    private func watchOutput(_ enabled: Bool) {
        guard enabled != watchesOutput else {
            return
        }
        watchesOutput = enabled
        let events = EpollEvents.input | (enabled ? EpollEvents.output : 0)
        server.loop.modify(descriptor, events: events)
    }

    /// Marks the connection closed; `ServerLoop.close` releases the descriptor and calls.
    func markClosed() {
        isClosed = true
        machine.markClosed()
    }
}
