import RPCMessages

#if canImport(Glibc)
    import Glibc
#endif

/// One accepted TCP connection, owned by one event loop and used only on its thread.
///
/// Handler tasks reach the connection only through `output` and their `ServerCall`.
final class ServerConnection: EventLoopChannel {
    let id: UInt64
    let descriptor: Int32
    let peer: SocketAddress
    /// `peer` as text, formatted once for the contexts of every call.
    let peerDescription: String
    unowned let server: ServerLoop
    var machine: ServerConnectionStateMachine
    let output: ConnectionOutput
    /// Running calls and their handler tasks.
    var calls: [UInt32: (call: ServerCall, task: Task<Void, Never>)] = [:]
    let acceptedAt: ContinuousClock.Instant
    var lastReadAt: ContinuousClock.Instant
    private var isDirty = false
    private(set) var isClosed = false

    init(
        id: UInt64, descriptor: Int32, peer: SocketAddress, server: ServerLoop,
        limits: ServerConnectionStateMachine.Limits
    ) {
        self.id = id
        self.descriptor = descriptor
        self.peer = peer
        self.peerDescription = peer.description
        self.server = server
        self.machine = ServerConnectionStateMachine(limits: limits)
        self.output = ConnectionOutput(descriptor: descriptor, loop: server.loop)
        let now = ContinuousClock.now
        self.acceptedAt = now
        self.lastReadAt = now
    }

    func handleEvents(_ events: UInt32) {
        if events & (EpollEvents.input | EpollEvents.error | EpollEvents.hangUp) != 0 {
            readAvailable()
        }
        if !isClosed && events & EpollEvents.output != 0 {
            output.flushWritable()
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

    /// Moves the state machine's frames to the shared output and closes a finished connection.
    func flush() {
        isDirty = false
        guard !isClosed else {
            return
        }
        forgetFinishedCalls()
        sendMachineOutput()
        if machine.isFinished && output.isEmpty {
            server.close(self, reason: "connection finished")
        }
    }

    func sendMachineOutput() {
        guard !machine.output.isEmpty else {
            return
        }
        output.write { bytes in
            bytes.append(contentsOf: machine.output)
        }
        machine.output.removeAll(keepingCapacity: true)
    }

    /// Drops the calls whose handlers sent their status from other threads.
    func forgetFinishedCalls() {
        for callID in output.takeFinishedCalls() {
            calls[callID] = nil
            machine.forgetCall(callID)
        }
    }

    /// Marks the connection closed; `ServerLoop.close` releases the descriptor and calls.
    func markClosed() {
        isClosed = true
        machine.markClosed()
    }
}
