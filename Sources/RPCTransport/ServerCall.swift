import PaymentsLogging
import RPCMessages
import Synchronization

/// The handler side of one running call: sends its messages and status, and learns of cancellation.
///
/// Handler tasks call `finish` and `send` from any thread; both write to the
/// connection's shared output. The loop calls `addCredit` and `cancel`.
final class ServerCall: Sendable {
    let callID: UInt32
    let connectionID: UInt64
    let deadline: ContinuousClock.Instant?
    private let output: ConnectionOutput
    private let statistics: ServerShared
    private let maxMessageSize: Int
    private let logger: Logger
    /// `Phase` raw value. The party that moves it out of `active` sends the call's status.
    private let phase = Atomic<UInt8>(Phase.active.rawValue)
    // Credit and the writer waiting for it, shared between the handler task and the loop.
    private let stream: Mutex<StreamState>

    private enum Phase: UInt8 {
        case active
        case finished
        case cancelled
    }

    private struct StreamState {
        var credit: UInt32
        var waiter: CheckedContinuation<Void, any Error>?
        var endError: RPCError?
        /// Set when the writing task was cancelled before its wait began.
        var writerCancelled = false
    }

    init(
        callID: UInt32, connectionID: UInt64, deadline: ContinuousClock.Instant?, output: ConnectionOutput,
        statistics: ServerShared, initialCredit: UInt32, maxMessageSize: Int, logger: Logger
    ) {
        self.callID = callID
        self.connectionID = connectionID
        self.deadline = deadline
        self.output = output
        self.statistics = statistics
        self.maxMessageSize = maxMessageSize
        self.logger = logger
        self.stream = Mutex(StreamState(credit: initialCredit, waiter: nil, endError: nil))
    }

    var isCancelled: Bool {
        phase.load(ordering: .acquiring) == Phase.cancelled.rawValue
    }

    /// Ends the call with an optional last message and a status, sent from the calling thread.
    ///
    /// Does nothing when the call was already cancelled, timed out, or lost its connection.
    func finish(message: [UInt8]?, status: CallStatus) {
        var status = status
        var message = message
        if let size = message?.count, size > maxMessageSize {
            message = nil
            status =
                RPCError(
                    code: .resourceExhausted,
                    message: "response message of \(size) bytes exceeds the limit of \(maxMessageSize) bytes"
                ).callStatus
        }
        guard claimStatus(.finished) else {
            return
        }
        statistics.callsCompleted.add(1, ordering: .relaxed)
        let statusBytes = status == CallStatus() ? [] : status.serializedBytes()
        output.write(finishedCall: callID) { bytes in
            if let message {
                FrameEncoder.appendFrame(type: .data, callID: callID, payload: message, to: &bytes)
            }
            FrameEncoder.appendFrame(type: .status, callID: callID, payload: statusBytes, to: &bytes)
        }
    }

    /// Moves the call out of the active phase; returns false when another party already did.
    ///
    /// The winner alone sends the call's status, so a handler result never follows
    /// a DEADLINE_EXCEEDED that the loop sent, and the reverse.
    private func claimStatus(_ next: Phase) -> Bool {
        phase.compareExchange(
            expected: Phase.active.rawValue, desired: next.rawValue, ordering: .acquiringAndReleasing
        ).exchanged
    }

    /// Sends one message of a stream after taking one unit of credit.
    func send(_ message: [UInt8]) async throws {
        _ = try await send(message, creditTimeout: nil)
    }

    /// Sends one message of a stream once credit is available; returns false, sending nothing, when no
    /// credit arrived within `creditTimeout`. A nil timeout waits as long as the call lasts.
    ///
    /// Credit that is already there is taken without suspending, so only a stalled receiver pays for the timer.
    func send(_ message: [UInt8], creditTimeout: Duration?) async throws -> Bool {
        guard message.count <= maxMessageSize else {
            throw RPCError(
                code: .resourceExhausted,
                message: "stream message of \(message.count) bytes exceeds the limit of \(maxMessageSize) bytes")
        }
        if try !takeCreditIfAvailable() {
            guard try await waitForCredit(timeout: creditTimeout) else {
                return false
            }
        }

        let callID = self.callID
        let sent =
            phase.load(ordering: .acquiring) == Phase.active.rawValue
            && output.write { bytes in
                FrameEncoder.appendFrame(type: .data, callID: callID, payload: message, to: &bytes)
            }
        guard sent else {
            throw stream.withLock { $0.endError } ?? .connectionLost("the connection closed during the stream")
        }
        return true
    }

    /// Waits for one unit of credit; returns false when `timeout` passed first.
    private func waitForCredit(timeout: Duration?) async throws -> Bool {
        guard let timeout else {
            try await acquireCredit()
            return true
        }
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await self.acquireCredit()
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Takes one unit of credit when the receiver granted some; throws when the stream already ended.
    private func takeCreditIfAvailable() throws -> Bool {
        try stream.withLock { state in
            state.writerCancelled = false
            if let error = state.endError {
                throw error
            }
            if state.credit > 0 {
                state.credit -= 1
                return true
            }
            return false
        }
    }

    private func acquireCredit() async throws {
        if try takeCreditIfAvailable() {
            return
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Result<Void, any Error>? = stream.withLock { state in
                    if let error = state.endError {
                        return .failure(error)
                    }
                    if state.writerCancelled {
                        return .failure(CancellationError())
                    }
                    if state.credit > 0 {
                        state.credit -= 1
                        return .success(())
                    }
                    state.waiter = continuation
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                }
            }
        } onCancel: {
            // Only this write ends: a handler may cancel a write it timed out and still end the
            // call with a status of its own.
            let waiter: CheckedContinuation<Void, any Error>? = stream.withLock { state in
                state.writerCancelled = true
                let waiter = state.waiter
                state.waiter = nil
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Grants more messages to a waiting writer; called on the loop thread.
    func addCredit(_ count: UInt32) {
        let waiter: CheckedContinuation<Void, any Error>? = stream.withLock { state in
            state.credit = state.credit &+ count
            guard let waiter = state.waiter else {
                return nil
            }
            state.waiter = nil
            state.credit -= 1
            return waiter
        }
        waiter?.resume()
    }

    /// Ends the call from the loop side (CANCEL, deadline, closed connection); returns false when
    /// the handler already finished it. Writers waiting for credit get `reason`.
    @discardableResult
    func cancel(_ reason: RPCError) -> Bool {
        let claimed = claimStatus(.cancelled)
        if claimed {
            statistics.callsEndedEarly.add(1, ordering: .relaxed)
        }
        let waiter: CheckedContinuation<Void, any Error>? = stream.withLock { state in
            if state.endError == nil {
                state.endError = reason
            }
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(throwing: reason)
        return claimed
    }

    /// Maps a handler error to the call's status; unknown errors are logged and sent as INTERNAL.
    func status(for error: any Error, context: ServerCallContext) -> CallStatus {
        if let error = error as? RPCError {
            return error.callStatus
        }
        if let error = error as? any RPCErrorConvertible {
            return error.rpcError.callStatus
        }
        if error is CancellationError || isCancelled {
            return RPCError(code: .cancelled, message: "the call was cancelled").callStatus
        }
        logger.error(
            "handler failed with an unmapped error",
            metadata: [
                "rpc.method": context.method, "rpc.call_id": "\(callID)", "request.id": context.header.requestID,
                "error": String(describing: error),
            ])
        var message = "internal error"
        if !context.header.requestID.isEmpty {
            message += "; the server log has the cause under request id \(context.header.requestID)"
        }
        return RPCError(code: .internal, message: message).callStatus
    }
}
