import PaymentsLogging
import RPCMessages
import Synchronization

/// The handler side of one running call: sends its messages and status back to the event loop.
///
/// Handler tasks call `finish` and `send` from any thread; both queue work
/// on the connection's event loop. The loop calls `addCredit` and `cancel`.
final class ServerCall: Sendable {
    let callID: UInt32
    let connectionID: UInt64
    let deadline: ContinuousClock.Instant?
    private let loop: EventLoop
    private let server: ServerLoop
    private let maxMessageSize: Int
    private let logger: Logger
    private let cancelled = Atomic<Bool>(false)
    // Credit and the writer waiting for it, shared between the handler task and the loop.
    private let stream: Mutex<StreamState>

    private struct StreamState {
        var credit: UInt32
        var waiter: CheckedContinuation<Void, any Error>?
        var endError: RPCError?
    }

    init(
        callID: UInt32, connectionID: UInt64, deadline: ContinuousClock.Instant?, loop: EventLoop, server: ServerLoop, initialCredit: UInt32,
        maxMessageSize: Int, logger: Logger
    ) {
        self.callID = callID
        self.connectionID = connectionID
        self.deadline = deadline
        self.loop = loop
        self.server = server
        self.maxMessageSize = maxMessageSize
        self.logger = logger
        self.stream = Mutex(StreamState(credit: initialCredit, waiter: nil, endError: nil))
    }

    var isCancelled: Bool {
        cancelled.load(ordering: .relaxed)
    }

    /// Ends the call; the loop ignores it when the call was cancelled or its connection closed.
    func finish(message: [UInt8]?, status: CallStatus) {
        var status = status
        var message = message
        if let size = message?.count, size > maxMessageSize {
            message = nil
            status = RPCError(
                code: .resourceExhausted,
                message: "response message of \(size) bytes exceeds the limit of \(maxMessageSize) bytes"
            ).callStatus
        }
        let server = self.server
        let connectionID = self.connectionID
        let callID = self.callID
        let finalMessage = message
        let finalStatus = status
        loop.execute {
            server.completeCall(connectionID: connectionID, callID: callID, message: finalMessage, status: finalStatus)
        }
    }

    /// Sends one message of a stream after taking one unit of credit.
    func send(_ message: [UInt8]) async throws {
        guard message.count <= maxMessageSize else {
            throw RPCError(
                code: .resourceExhausted,
                message: "stream message of \(message.count) bytes exceeds the limit of \(maxMessageSize) bytes")
        }
        try await acquireCredit()
        let server = self.server
        let connectionID = self.connectionID
        let callID = self.callID
        loop.execute {
            server.sendMessage(connectionID: connectionID, callID: callID, message: message)
        }
    }

    private func acquireCredit() async throws {
        let ready: Bool = try stream.withLock { state in
            if let error = state.endError {
                throw error
            }
            if state.credit > 0 {
                state.credit -= 1
                return true
            }
            return false
        }
        if ready {
            return
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Result<Void, RPCError>? = stream.withLock { state in
                    if let error = state.endError {
                        return .failure(error)
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
            cancel(RPCError(code: .cancelled, message: "the handler task was cancelled"))
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

    /// Marks the call ended so that writers and `isCancelled` see it.
    func cancel(_ reason: RPCError) {
        cancelled.store(true, ordering: .relaxed)
        let waiter: CheckedContinuation<Void, any Error>? = stream.withLock { state in
            if state.endError == nil {
                state.endError = reason
            }
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(throwing: reason)
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
