import RPCMessages
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One multiplexed TCP connection of a client.
///
/// Callers enqueue REQUEST frames under the state lock and try to send them
/// at once from their own thread, so a call costs no thread hop on the way
/// out. The client event loop reads responses and resumes the callers.
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

    struct State {
        var descriptor: Int32
        var nextCallID: UInt32 = 1
        var pending: [UInt32: PendingCall] = [:]
        var output: [UInt8] = []
        var flushScheduled = false
        /// Why the connection is unusable; nil while it is open.
        var failure: RPCError?
        /// Set by GOAWAY: calls above this id were refused.
        var goAwayLastCallID: UInt32?
        var lastReceivedAt = ContinuousClock.now
        var pingSentAt: ContinuousClock.Instant?
        var watchesOutput = false
    }

    let state: Mutex<State>
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

    /// True while new calls may use this connection: open and not told to go away.
    var isUsable: Bool {
        state.withLock { $0.failure == nil && $0.goAwayLastCallID == nil }
    }

    /// Sends a unary REQUEST and waits for its response message.
    func unary(header: [UInt8], message: [UInt8]) async throws -> [UInt8] {
        let handle = CallHandle()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                let refusal = state.withLock { state -> RPCError? in
                    if handle.cancelled {
                        return RPCError(code: .cancelled, message: "the call was cancelled before it was sent")
                    }
                    guard let callID = Self.openCall(&state, header: header, message: message) else {
                        return Self.refusal(state)
                    }
                    handle.callID = callID
                    state.pending[callID] = .unary(continuation, response: nil)
                    writeLocked(&state)
                    return nil
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
        let refusal = state.withLock { state -> RPCError? in
            guard let callID = Self.openCall(&state, header: header, message: message) else {
                return Self.refusal(state)
            }
            handle.callID = callID
            state.pending[callID] = .stream(continuation)
            writeLocked(&state)
            return nil
        }
        if let refusal {
            continuation.finish(throwing: refusal)
        }
        return handle
    }

    private static func openCall(_ state: inout State, header: [UInt8], message: [UInt8]) -> UInt32? {
        guard state.failure == nil, state.goAwayLastCallID == nil, state.nextCallID < UInt32.max else {
            return nil
        }
        let callID = state.nextCallID
        state.nextCallID += 1
        FrameEncoder.appendRequest(callID: callID, header: header, message: message, to: &state.output)
        return callID
    }

    private static func refusal(_ state: State) -> RPCError {
        state.failure ?? .unavailableNotProcessed("the connection is going away; the call was not sent")
    }

    /// Ends a call locally with `error` and tells the server with CANCEL.
    func cancel(_ handle: CallHandle, error: RPCError) {
        let pending = state.withLock { state -> PendingCall? in
            handle.cancelled = true
            guard handle.callID != 0, let pending = state.pending.removeValue(forKey: handle.callID) else {
                return nil
            }
            if state.failure == nil {
                FrameEncoder.appendFrame(type: .cancel, callID: handle.callID, payload: [], to: &state.output)
                writeLocked(&state)
            }
            return pending
        }
        pending.map { Self.resolve($0, with: .failure(error)) }
    }

    /// Grants a stream `count` more messages.
    func grantCredit(_ handle: CallHandle, count: UInt32) {
        state.withLock { state in
            guard state.failure == nil, state.pending[handle.callID] != nil else {
                return
            }
            FrameEncoder.appendCredit(callID: handle.callID, count: count, to: &state.output)
            writeLocked(&state)
        }
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

    /// Sends queued output from the calling thread; schedules the rest on the loop.
    func writeLocked(_ state: inout State) {
        guard !state.output.isEmpty, state.descriptor >= 0, !state.watchesOutput else {
            return
        }
        let sent = state.output.withUnsafeBytes { bytes in
            Glibc.send(state.descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        if sent == state.output.count {
            state.output.removeAll(keepingCapacity: state.output.capacity <= 65_536)
            return
        }
        if sent > 0 {
            state.output.removeSubrange(0..<sent)
        } else if sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            // The loop sees the same error on its next read and fails the calls.
            return
        }
        if !state.flushScheduled {
            state.flushScheduled = true
            loop.loop.execute { [self] in flushOnLoop() }
        }
    }

    /// Sends output when the socket becomes writable again; loop thread only.
    func flushOnLoop() {
        state.withLock { state in
            state.flushScheduled = false
            guard state.descriptor >= 0 else {
                return
            }
            state.watchesOutput = false
            writeLocked(&state)
            if !state.output.isEmpty {
                state.watchesOutput = true
                loop.loop.modify(state.descriptor, events: EpollEvents.input | EpollEvents.output)
            } else {
                loop.loop.modify(state.descriptor, events: EpollEvents.input)
            }
        }
    }

    func flush() {}
}
