import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The send side of one server connection, shared by its event loop and its handler tasks.
///
/// A handler task that finishes a call appends its DATA and STATUS frames here
/// and sends them from its own thread, so a response costs no hop back to the
/// event loop. Only one thread sends at a time, outside the lock: frames that
/// other threads append meanwhile go out with the sender's next send(2), so
/// concurrent responses coalesce instead of waiting on the lock. The loop
/// appends its own frames (SETTINGS, PING replies, GOAWAY, refusals), watches
/// for writability when the socket is full, and collects the ids of calls that
/// handlers finished.
final class ConnectionOutput: Sendable {
    private struct State {
        /// The socket; -1 once the loop closed the connection.
        var descriptor: Int32
        /// Frames waiting for the next send.
        var bytes: [UInt8] = []
        /// An emptied buffer kept for reuse, so that steady traffic allocates no new buffers.
        var spare: [UInt8] = []
        /// True while one thread sends outside the lock.
        var isSending = false
        /// Set when the loop closed the connection during a send; the sender closes the socket.
        var closeAfterSend = false
        /// True while the queue waits for the socket to accept bytes again.
        var waitsForWritable = false
        /// True while the epoll registration includes EPOLLOUT.
        var watchesOutputEvents = false
        var lastProgressAt: ContinuousClock.Instant
        /// Calls whose handlers sent their status since the loop last looked.
        var finishedCalls: [UInt32] = []
        /// Called after a handler finished a call, while the connection drains.
        var onCallFinished: (@Sendable () -> Void)?
    }

    private let loop: EventLoop
    // Guards the socket's output against the loop thread and handler threads.
    private let state: Mutex<State>

    init(descriptor: Int32, loop: EventLoop) {
        self.loop = loop
        self.state = Mutex(State(descriptor: descriptor, lastProgressAt: .now))
    }

    /// Appends frames with `encode` and sends them; returns false when the connection is closed.
    ///
    /// `finishedCall` is recorded for the loop, which then removes the call from its table.
    @discardableResult
    func write(finishedCall: UInt32? = nil, _ encode: (inout [UInt8]) -> Void) -> Bool {
        let (written, chunk, wake) = state.withLock { state -> (Bool, Chunk?, (@Sendable () -> Void)?) in
            guard state.descriptor >= 0 else {
                return (false, nil, nil)
            }
            encode(&state.bytes)
            var wake: (@Sendable () -> Void)?
            if let finishedCall {
                state.finishedCalls.append(finishedCall)
                wake = state.onCallFinished
            }
            return (true, Self.takeChunk(&state), wake)
        }
        if let chunk {
            send(chunk)
        }
        wake?()
        return written
    }

    /// Sends queued frames once the socket accepts bytes again; loop thread, on writability.
    func flushWritable() {
        let chunk = state.withLock { state -> Chunk? in
            guard state.descriptor >= 0 else {
                return nil
            }
            state.waitsForWritable = false
            let chunk = Self.takeChunk(&state)
            if chunk == nil && !state.isSending {
                stopWatchingOutput(&state)
            }
            return chunk
        }
        if let chunk {
            send(chunk)
        }
    }

    private typealias Chunk = (bytes: [UInt8], descriptor: Int32)

    /// Makes the caller the sender and returns the queued bytes, or nil when another thread
    /// sends, the socket waits for writability, or nothing is queued.
    private static func takeChunk(_ state: inout State) -> Chunk? {
        guard !state.isSending, !state.waitsForWritable, !state.bytes.isEmpty else {
            return nil
        }
        state.isSending = true
        let chunk = state.bytes
        state.bytes = state.spare
        state.spare = []
        return (chunk, state.descriptor)
    }

    /// Sends `chunk` and whatever other threads queue meanwhile, until the queue is empty,
    /// the socket is full, or the connection closed.
    private func send(_ first: Chunk) {
        var chunk = first.bytes
        var descriptor = first.descriptor
        while true {
            var sent = 0
            var failed = false
            if descriptor >= 0 {
                sent = chunk.withUnsafeBytes { bytes in
                    Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
                if sent < 0 {
                    failed = !(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                    sent = 0
                }
            }
            let next = state.withLock { state -> (chunk: [UInt8], descriptor: Int32)? in
                afterSend(&state, chunk: &chunk, sent: sent, failed: failed, descriptor: descriptor)
            }
            guard let next else {
                return
            }
            chunk = next.chunk
            descriptor = next.descriptor
        }
    }

    /// Updates the queue after one send; returns the next chunk to send, or nil when this thread
    /// stops being the sender.
    private func afterSend(
        _ state: inout State, chunk: inout [UInt8], sent: Int, failed: Bool, descriptor: Int32
    ) -> (chunk: [UInt8], descriptor: Int32)? {
        if state.closeAfterSend {
            state.isSending = false
            state.closeAfterSend = false
            SystemCall.close(descriptor)
            return nil
        }
        if failed {
            // The peer is gone; the loop reads the same error and closes the connection.
            state.isSending = false
            state.bytes.removeAll()
            return nil
        }
        if sent > 0 {
            state.lastProgressAt = .now
        }
        if sent < chunk.count {
            // The socket is full: keep the rest in front of newer frames and wait for writability.
            chunk.removeSubrange(0..<sent)
            chunk.append(contentsOf: state.bytes)
            state.bytes = chunk
            state.isSending = false
            state.waitsForWritable = true
            if !state.watchesOutputEvents {
                state.watchesOutputEvents = true
                loop.modify(state.descriptor, events: EpollEvents.input | EpollEvents.output)
            }
            return nil
        }
        chunk.removeAll(keepingCapacity: chunk.capacity <= 65_536)
        guard !state.bytes.isEmpty else {
            state.spare = chunk
            state.isSending = false
            stopWatchingOutput(&state)
            return nil
        }
        let next = state.bytes
        state.bytes = chunk
        return (next, state.descriptor)
    }

    /// Removes EPOLLOUT from the registration, because a level-triggered EPOLLOUT on an
    /// empty queue would wake the loop on every turn.
    private func stopWatchingOutput(_ state: inout State) {
        if state.watchesOutputEvents {
            state.watchesOutputEvents = false
            loop.modify(state.descriptor, events: EpollEvents.input)
        }
    }

    /// Returns and clears the calls finished by handlers.
    func takeFinishedCalls() -> [UInt32] {
        state.withLock { state in
            guard !state.finishedCalls.isEmpty else {
                return []
            }
            let finished = state.finishedCalls
            state.finishedCalls.removeAll(keepingCapacity: true)
            return finished
        }
    }

    /// Makes every later call completion run `wake`, so that a draining connection closes
    /// as soon as its last call ends rather than at the next timer tick.
    func wakeWhenCallsFinish(_ wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.onCallFinished = wake }
    }

    /// True when bytes wait for the socket and none were sent for longer than `timeout`.
    func isStalled(now: ContinuousClock.Instant, timeout: Duration) -> Bool {
        state.withLock { !$0.bytes.isEmpty && now - $0.lastProgressAt > timeout }
    }

    /// True when no frame waits and no send is running.
    var isEmpty: Bool {
        state.withLock { $0.bytes.isEmpty && !$0.isSending }
    }

    /// Frees the send buffers when they are empty, so that an idle connection keeps none.
    func releaseBufferIfEmpty() {
        state.withLock { state in
            if state.bytes.isEmpty && !state.isSending {
                state.bytes = []
                state.spare = []
                state.finishedCalls = []
            }
        }
    }

    /// Stops all sending; returns the socket and whether the caller must close it now.
    ///
    /// While another thread sends, that thread closes the socket when its send returns, so the
    /// descriptor number cannot be reused under it. Returns nil when already closed.
    func close() -> (descriptor: Int32, closeNow: Bool)? {
        state.withLock { state in
            guard state.descriptor >= 0 else {
                return nil
            }
            let descriptor = state.descriptor
            state.descriptor = -1
            state.bytes = []
            state.spare = []
            state.closeAfterSend = state.isSending
            return (descriptor, !state.isSending)
        }
    }
}
