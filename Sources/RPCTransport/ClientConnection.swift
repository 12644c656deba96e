import RPCMessages
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One multiplexed TCP connection of a client.
///
/// Callers enqueue REQUEST frames under the state lock and try to send them
/// at once from their own thread, so a call costs no thread hop on the way
/// out. The client event loop reads responses and resumes the callers. Calls
/// over the server's `max_concurrent_calls` wait in a queue and go out as
/// earlier calls end, and calls wait for the server's SETTINGS before the
/// first one goes out, so the server never refuses one for that limit.
/// `decoder` belongs to the loop thread; everything else is in `state`.
final class ClientConnection: EventLoopChannel, @unchecked Sendable {
    /// Ties a call to its id once the id is assigned, so that cancellation can find it.
    ///
    /// Fields are read and written only under the connection's state lock.
    final class CallHandle: @unchecked Sendable {
        var callID: UInt32 = 0
        var cancelled = false
    }

    enum PendingCall {
        case unary(CheckedContinuation<[UInt8], any Error>, response: [UInt8]?)
        case stream(AsyncThrowingStream<[UInt8], any Error>.Continuation)
    }

    /// The REQUEST frame of a call that waits for the server to allow one more open call.
    struct QueuedRequest {
        let callID: UInt32
        let header: [UInt8]
        let message: [UInt8]
    }

    struct State {
        var descriptor: Int32
        var nextCallID: UInt32 = 1
        /// Calls that have not ended, sent or queued, by call id.
        var pending: [UInt32: PendingCall] = [:]
        /// Calls sent to the server that have not ended.
        var sentCalls = 0
        /// The server's `max_concurrent_calls`, beyond which calls wait in `queue`. It is zero until the
        /// server's SETTINGS arrive, so the first calls of a connection wait one round trip for them instead
        /// of guessing a limit the server may not allow.
        var maxSentCalls = 0
        /// Calls waiting to be sent, oldest first from `queueHead`. An entry whose id is no longer in
        /// `queuedIDs` ended while queued (cancelled or past its deadline) and is skipped.
        var queue: [QueuedRequest] = []
        var queueHead = 0
        var queuedIDs: Set<UInt32> = []
        var output: [UInt8] = []
        /// An emptied send buffer kept for reuse.
        var spare: [UInt8] = []
        /// True while one thread sends outside the lock; see `send(_:)`.
        var isSending = false
        /// True while queued output waits for the socket to accept bytes again.
        var waitsForWritable = false
        /// True while the epoll registration includes EPOLLOUT.
        var watchesOutputEvents = false
        /// Set when the connection closed during a send; the sender closes the socket.
        var closeAfterSend = false
        /// The error that made the connection unusable, or nil while it is open.
        var failure: RPCError?
        /// Set by GOAWAY: calls above this id were refused.
        var goAwayLastCallID: UInt32?
        /// True once the server's SETTINGS arrived; see `close(with:byPeer:)`.
        var receivedSettings = false
        var lastReceivedAt = ContinuousClock.now
        var pingSentAt: ContinuousClock.Instant?
        /// Deadlines of unary calls by call id. Entries of calls that already ended stay until they are due.
        var deadlines = TimerHeap<UInt32>()
        /// When the loop timer that expires `deadlines` fires, or nil when none is scheduled.
        var deadlineTimerDue: ContinuousClock.Instant?
    }

    let state: Mutex<State>
    let usable = Atomic<Bool>(true)
    let configuration: RPCClientConfiguration
    let loop: ClientEventLoop
    var decoder: FrameDecoder

    init(descriptor: Int32, configuration: RPCClientConfiguration, loop: ClientEventLoop) {
        self.configuration = configuration
        self.loop = loop
        self.decoder = FrameDecoder(maxFrameSize: configuration.maxFrameSize)
        var initial = State(descriptor: descriptor)
        initial.output = ConnectionPreface.bytes
        let settings = ConnectionSettings(
            protocolVersion: ConnectionPreface.protocolVersion, maxFrameSize: configuration.maxFrameSize,
            maxMessageSize: configuration.maxMessageSize, maxConcurrentCalls: 0,
            initialStreamCredit: configuration.initialStreamCredit)
        FrameEncoder.appendFrame(type: .settings, callID: 0, payload: settings.serializedBytes(), to: &initial.output)
        self.state = Mutex(initial)
    }

    /// True while new calls may use this connection: it is open and received no GOAWAY.
    ///
    /// An atomic copy of the state, read on every call without taking the state lock.
    var isUsable: Bool {
        usable.load(ordering: .acquiring)
    }

    /// The limit of open calls the server announced in its SETTINGS; nil before they arrive or when the server
    /// announced none.
    var announcedMaxConcurrentCalls: Int? {
        state.withLock { state in
            state.receivedSettings && state.maxSentCalls != Int.max ? state.maxSentCalls : nil
        }
    }

    /// Sends a unary REQUEST and waits for its response message.
    ///
    /// When `deadline` passes first, the call fails with DEADLINE_EXCEEDED and the server gets CANCEL. The
    /// client loop checks deadlines with its own timer, so a deadline costs no task or timer per call.
    func unary(header: [UInt8], message: [UInt8], deadline: ContinuousClock.Instant? = nil) async throws -> [UInt8] {
        let handle = CallHandle()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                let (refusal, chunk, timerDue) = state.withLock {
                    state -> (RPCError?, Chunk?, ContinuousClock.Instant?) in
                    if handle.cancelled {
                        return (
                            RPCError(code: .cancelled, message: "the call was cancelled before it was sent"), nil, nil
                        )
                    }
                    guard let callID = Self.openCall(&state, header: header, message: message) else {
                        return (Self.refusal(state), nil, nil)
                    }
                    handle.callID = callID
                    state.pending[callID] = .unary(continuation, response: nil)
                    var timerDue: ContinuousClock.Instant?
                    if let deadline {
                        state.deadlines.schedule(at: deadline, callID)
                        timerDue = Self.claimDeadlineTimer(&state)
                    }
                    return (nil, Self.takeChunk(&state), timerDue)
                }
                send(chunk)
                if let timerDue {
                    scheduleDeadlineTimer(at: timerDue)
                }
                if let refusal {
                    continuation.resume(throwing: refusal)
                }
            }
        } onCancel: {
            cancel(handle, error: RPCError(code: .cancelled, message: "the calling task was cancelled"))
        }
    }

    /// Sends a streaming REQUEST; responses arrive on `continuation`. Returns the handle for cancellation.
    func startStream(
        header: [UInt8], message: [UInt8], continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    ) -> CallHandle {
        let handle = CallHandle()
        let (refusal, chunk) = state.withLock { state -> (RPCError?, Chunk?) in
            guard let callID = Self.openCall(&state, header: header, message: message) else {
                return (Self.refusal(state), nil)
            }
            handle.callID = callID
            state.pending[callID] = .stream(continuation)
            return (nil, Self.takeChunk(&state))
        }
        send(chunk)
        if let refusal {
            continuation.finish(throwing: refusal)
        }
        return handle
    }

    /// Gives a new call its id and sends it, or queues it while the server's limit of open calls is reached.
    ///
    /// A call queues behind any call already queued, so REQUEST frames leave in call id order, as the server
    /// requires. Returns nil when the connection takes no more calls.
    private static func openCall(_ state: inout State, header: [UInt8], message: [UInt8]) -> UInt32? {
        guard state.failure == nil, state.goAwayLastCallID == nil, state.nextCallID < UInt32.max else {
            return nil
        }
        let callID = state.nextCallID
        state.nextCallID += 1
        if state.queuedIDs.isEmpty && state.sentCalls < state.maxSentCalls {
            state.sentCalls += 1
            FrameEncoder.appendRequest(callID: callID, header: header, message: message, to: &state.output)
        } else {
            state.queue.append(QueuedRequest(callID: callID, header: header, message: message))
            state.queuedIDs.insert(callID)
        }
        return callID
    }

    /// Accounts for a call that ended; returns true when the call had been sent to the server.
    static func endCall(_ state: inout State, callID: UInt32) -> Bool {
        if !state.queuedIDs.isEmpty && state.queuedIDs.remove(callID) != nil {
            return false
        }
        state.sentCalls -= 1
        return true
    }

    /// Sends queued calls while the server allows more open calls.
    static func sendQueuedCalls(_ state: inout State) {
        // Every call end comes here, and almost always with nothing queued.
        guard !state.queue.isEmpty else {
            return
        }
        while state.sentCalls < state.maxSentCalls && state.queueHead < state.queue.count {
            let request = state.queue[state.queueHead]
            state.queueHead += 1
            guard state.queuedIDs.remove(request.callID) != nil else {
                continue
            }
            state.sentCalls += 1
            FrameEncoder.appendRequest(
                callID: request.callID, header: request.header, message: request.message, to: &state.output)
        }
        if state.queueHead == state.queue.count {
            state.queue.removeAll(keepingCapacity: true)
            state.queueHead = 0
        } else if state.queueHead >= 1024 && state.queueHead * 2 >= state.queue.count {
            state.queue.removeFirst(state.queueHead)
            state.queueHead = 0
        }
    }

    /// Forgets every queued call, when the connection takes no more calls.
    static func dropQueuedCalls(_ state: inout State) {
        state.queue.removeAll()
        state.queueHead = 0
        state.queuedIDs.removeAll()
    }

    /// Builds the error of a call that was never sent, marked not processed so that a retry is safe.
    private static func refusal(_ state: State) -> RPCError {
        if let failure = state.failure {
            return .unavailableNotProcessed("the call was not sent because the connection closed: \(failure.message)")
        }
        return .unavailableNotProcessed("the connection is going away; the call was not sent")
    }

    /// Ends a call locally with `error` and sends CANCEL to the server.
    func cancel(_ handle: CallHandle, error: RPCError) {
        let (pending, chunk) = state.withLock { state -> (PendingCall?, Chunk?) in
            handle.cancelled = true
            guard handle.callID != 0, let pending = state.pending.removeValue(forKey: handle.callID) else {
                return (nil, nil)
            }
            guard state.failure == nil else {
                return (pending, nil)
            }
            if Self.endCall(&state, callID: handle.callID) {
                FrameEncoder.appendFrame(type: .cancel, callID: handle.callID, payload: [], to: &state.output)
                Self.sendQueuedCalls(&state)
            }
            return (pending, Self.takeChunk(&state))
        }
        send(chunk)
        pending.map { Self.resolve($0, with: .failure(error)) }
    }

    /// Returns the due time of a new loop timer for the earliest deadline, or nil when the timer already
    /// scheduled fires early enough.
    private static func claimDeadlineTimer(_ state: inout State) -> ContinuousClock.Instant? {
        guard let earliest = state.deadlines.earliestDue else {
            return nil
        }
        if let scheduled = state.deadlineTimerDue, scheduled <= earliest {
            return nil
        }
        state.deadlineTimerDue = earliest
        return earliest
    }

    private func scheduleDeadlineTimer(at due: ContinuousClock.Instant) {
        loop.loop.schedule(at: due) { [weak self] in
            self?.expireDeadlines(timerDue: due)
        }
    }

    /// Fails the unary calls whose deadline passed and sends CANCEL for each; loop thread, from the timer.
    private func expireDeadlines(timerDue: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        let (expired, chunk, nextTimerDue) = state.withLock {
            state -> ([PendingCall], Chunk?, ContinuousClock.Instant?) in
            if state.deadlineTimerDue == timerDue {
                state.deadlineTimerDue = nil
            }
            var expired: [PendingCall] = []
            for callID in state.deadlines.takeDue(now: now) {
                // Calls that already ended left no pending entry, and call ids are never reused.
                guard let pending = state.pending.removeValue(forKey: callID) else {
                    continue
                }
                expired.append(pending)
                if state.failure == nil && Self.endCall(&state, callID: callID) {
                    FrameEncoder.appendFrame(type: .cancel, callID: callID, payload: [], to: &state.output)
                }
            }
            if state.failure == nil {
                Self.sendQueuedCalls(&state)
            }
            return (expired, Self.takeChunk(&state), Self.claimDeadlineTimer(&state))
        }
        send(chunk)
        if let nextTimerDue {
            scheduleDeadlineTimer(at: nextTimerDue)
        }
        let error = RPCError(code: .deadlineExceeded, message: "the call's deadline passed before a response")
        for pending in expired {
            Self.resolve(pending, with: .failure(error))
        }
    }

    /// Grants a stream `count` more messages.
    func grantCredit(_ handle: CallHandle, count: UInt32) {
        let chunk = state.withLock { state -> Chunk? in
            // A queued stream has received nothing yet, so it has no credit to return.
            guard state.failure == nil, state.pending[handle.callID] != nil, !state.queuedIDs.contains(handle.callID)
            else {
                return nil
            }
            FrameEncoder.appendCredit(callID: handle.callID, count: count, to: &state.output)
            return Self.takeChunk(&state)
        }
        send(chunk)
    }

    static func resolve(_ pending: PendingCall, with result: Result<[UInt8], RPCError>) {
        switch (pending, result) {
        case (.unary(let continuation, _), .success(let bytes)):
            continuation.resume(returning: bytes)
        case (.unary(let continuation, _), .failure(let error)):
            continuation.resume(throwing: error)
        case (.stream(let continuation), .success):
            continuation.finish()
        case (.stream(let continuation), .failure(let error)):
            continuation.finish(throwing: error)
        }
    }

    typealias Chunk = (bytes: [UInt8], descriptor: Int32)

    /// Makes the caller the sender and takes the queued output; nil when another thread sends,
    /// the socket waits for writability, or nothing is queued. Pass the result to `send(_:)`
    /// after releasing the state lock.
    static func takeChunk(_ state: inout State) -> Chunk? {
        guard state.descriptor >= 0, !state.isSending, !state.waitsForWritable, !state.output.isEmpty else {
            return nil
        }
        state.isSending = true
        let chunk = state.output
        state.output = state.spare
        state.spare = []
        return (chunk, state.descriptor)
    }

    /// Sends a taken chunk and whatever other threads queue meanwhile, outside the state lock,
    /// so that callers append frames without waiting for a send(2) to return.
    func send(_ first: Chunk?) {
        guard let first else {
            return
        }
        var chunk = first.bytes
        let descriptor = first.descriptor
        while true {
            var sent = chunk.withUnsafeBytes { bytes in
                Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            let failed = sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
            sent = max(0, sent)
            let next = state.withLock { state -> [UInt8]? in
                if state.closeAfterSend {
                    state.closeAfterSend = false
                    state.isSending = false
                    SystemCall.close(descriptor)
                    return nil
                }
                if failed {
                    // The loop gets the same error on its next read and fails the calls.
                    state.isSending = false
                    state.output.removeAll()
                    return nil
                }
                if sent < chunk.count {
                    chunk.removeSubrange(0..<sent)
                    chunk.append(contentsOf: state.output)
                    state.output = chunk
                    state.isSending = false
                    state.waitsForWritable = true
                    // The loop registers EPOLLOUT, because the socket may not be registered yet.
                    loop.loop.execute { [self] in watchOutputEvents() }
                    return nil
                }
                chunk.removeAll(keepingCapacity: chunk.capacity <= 65_536)
                guard !state.output.isEmpty else {
                    state.spare = chunk
                    state.isSending = false
                    return nil
                }
                let next = state.output
                state.output = chunk
                return next
            }
            guard let next else {
                return
            }
            chunk = next
        }
    }

    private func watchOutputEvents() {
        state.withLock { state in
            guard state.descriptor >= 0, state.waitsForWritable, !state.watchesOutputEvents else {
                return
            }
            state.watchesOutputEvents = true
            loop.loop.modify(state.descriptor, events: EpollEvents.input | EpollEvents.output)
        }
    }

    /// Sends queued output when the socket becomes writable again; loop thread only.
    func flushOnLoop() {
        let chunk = state.withLock { state -> Chunk? in
            guard state.descriptor >= 0 else {
                return nil
            }
            state.waitsForWritable = false
            if state.watchesOutputEvents {
                state.watchesOutputEvents = false
                loop.loop.modify(state.descriptor, events: EpollEvents.input)
            }
            return Self.takeChunk(&state)
        }
        send(chunk)
    }

    func flush() {}
}
