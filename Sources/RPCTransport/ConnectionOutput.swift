import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The send side of one server connection, shared by its event loop and its handler tasks.
///
/// A handler task that finishes a call appends its DATA and STATUS frames here
/// and sends them from its own thread, so a response costs no hop back to the
/// event loop. The loop appends its own frames (SETTINGS, PING replies,
/// GOAWAY, refusals), watches for writability when the socket is full, and
/// collects the ids of calls that handlers finished.
final class ConnectionOutput: Sendable {
    private struct State {
        /// The socket; -1 once the loop closed the connection.
        var descriptor: Int32
        var bytes: [UInt8] = []
        var watchesWritable = false
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
        let (written, wake) = state.withLock { state -> (Bool, (@Sendable () -> Void)?) in
            guard state.descriptor >= 0 else {
                return (false, nil)
            }
            encode(&state.bytes)
            send(&state)
            guard let finishedCall else {
                return (true, nil)
            }
            state.finishedCalls.append(finishedCall)
            return (true, state.onCallFinished)
        }
        wake?()
        return written
    }

    /// Makes every later call completion run `wake`, so that a draining connection closes
    /// as soon as its last call ends rather than at the next timer tick.
    func wakeWhenCallsFinish(_ wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.onCallFinished = wake }
    }

    /// Sends what the socket accepts; loop thread, on writability.
    func flushWritable() {
        state.withLock { state in
            guard state.descriptor >= 0 else {
                return
            }
            send(&state)
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

    /// True when bytes wait for the socket and none were sent for longer than `timeout`.
    func isStalled(now: ContinuousClock.Instant, timeout: Duration) -> Bool {
        state.withLock { !$0.bytes.isEmpty && now - $0.lastProgressAt > timeout }
    }

    var isEmpty: Bool {
        state.withLock { $0.bytes.isEmpty }
    }

    /// Frees the send buffer when it is empty, so that an idle connection keeps none.
    func releaseBufferIfEmpty() {
        state.withLock { state in
            if state.bytes.isEmpty {
                state.bytes = []
                state.finishedCalls = []
            }
        }
    }

    /// Stops all sending and returns the socket for the loop to close, or nil when already closed.
    func close() -> Int32? {
        state.withLock { state in
            guard state.descriptor >= 0 else {
                return nil
            }
            let descriptor = state.descriptor
            state.descriptor = -1
            state.bytes = []
            return descriptor
        }
    }

    private func send(_ state: inout State) {
        guard !state.bytes.isEmpty else {
            return
        }
        let sent = state.bytes.withUnsafeBytes { bytes in
            Glibc.send(state.descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        if sent < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                watchWritable(true, &state)
            } else {
                // The peer is gone; the loop reads the same error and closes the connection.
                state.bytes.removeAll()
                watchWritable(false, &state)
            }
            return
        }
        state.lastProgressAt = .now
        if sent == state.bytes.count {
            state.bytes.removeAll(keepingCapacity: state.bytes.capacity <= 65_536)
            watchWritable(false, &state)
        } else {
            state.bytes.removeSubrange(0..<sent)
            watchWritable(true, &state)
        }
    }

    private func watchWritable(_ enabled: Bool, _ state: inout State) {
        guard enabled != state.watchesWritable else {
            return
        }
        state.watchesWritable = enabled
        loop.modify(state.descriptor, events: EpollEvents.input | (enabled ? EpollEvents.output : 0))
    }
}
