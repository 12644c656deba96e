import ProtoRuntime
import Synchronization

/// The responses of a server-streaming call, as an asynchronous sequence.
///
/// The call starts when iteration starts. Iteration ends after the server's
/// OK status and throws `RPCError` for any other status or a lost connection.
/// Stopping iteration early, or cancelling the iterating task, sends CANCEL.
/// The client grants the server credit as messages are consumed, so at most
/// `initialStreamCredit` messages wait in memory.
public struct RPCResponseStream<Response: ProtoMessage>: AsyncSequence, Sendable {
    public typealias Element = Response

    let start:
        @Sendable () async throws -> (
            ClientConnection, ClientConnection.CallHandle, AsyncThrowingStream<[UInt8], any Error>
        )
    let creditWindow: UInt32

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(start: start, creditWindow: creditWindow)
    }

    /// Pulls responses one at a time.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let start:
            @Sendable () async throws -> (
                ClientConnection, ClientConnection.CallHandle, AsyncThrowingStream<[UInt8], any Error>
            )
        private let creditWindow: UInt32
        private var started:
            (ClientConnection, ClientConnection.CallHandle, AsyncThrowingStream<[UInt8], any Error>.AsyncIterator)?
        private var consumedSinceGrant: UInt32 = 0
        private var finished = false

        init(
            start:
                @escaping @Sendable () async throws -> (
                    ClientConnection, ClientConnection.CallHandle, AsyncThrowingStream<[UInt8], any Error>
                ),
            creditWindow: UInt32
        ) {
            self.start = start
            self.creditWindow = creditWindow
        }

        /// Returns the next response, or nil after the server's OK status.
        /// - Throws: `RPCError`.
        public mutating func next() async throws -> Response? {
            guard !finished else {
                return nil
            }
            if started == nil {
                let (connection, handle, stream) = try await start()
                started = (connection, handle, stream.makeAsyncIterator())
            }
            guard let (connection, handle, startedIterator) = started else {
                return nil
            }
            var iterator = startedIterator
            let bytes: [UInt8]?
            do {
                bytes = try await iterator.next()
            } catch {
                finished = true
                throw error
            }
            started = (connection, handle, iterator)
            guard let bytes else {
                finished = true
                // The stream also ends when the iterating task is cancelled; that is not the server's OK.
                if Task.isCancelled {
                    throw RPCError(code: .cancelled, message: "the iterating task was cancelled")
                }
                return nil
            }
            consumedSinceGrant += 1
            if consumedSinceGrant >= Swift.max(1, creditWindow / 2) {
                connection.grantCredit(handle, count: consumedSinceGrant)
                consumedSinceGrant = 0
            }
            do {
                return try Response(serializedBytes: bytes)
            } catch {
                finished = true
                connection.cancel(handle, error: RPCError(code: .internal, message: "invalid stream message"))
                throw RPCError(code: .internal, message: "a stream message is not a valid \(Response.protoMessageName)")
            }
        }
    }
}

extension RPCClient {
    /// Starts a server-streaming call when iteration begins; see `RPCResponseStream`.
    ///
    /// Streaming calls are not retried: the caller resumes from its last position.
    public func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        path: String, request: Request, responseType: Response.Type, options: CallOptions
    ) -> RPCResponseStream<Response> {
        let options = options.merged(over: configuration.defaultOptions)
        let message = request.serializedBytes()
        return RPCResponseStream(
            start: { [self] in
                try checkMessageSize(message.count)
                let deadline = options.timeout.map { ContinuousClock.now + $0 }
                let connection = try await connection()
                let header = Self.callHeader(path: path, options: options, deadline: deadline).serializedBytes()
                let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream(
                    bufferingPolicy: .unbounded)
                let handle = connection.startStream(header: header, message: message, continuation: continuation)
                continuation.onTermination = { termination in
                    if case .cancelled = termination {
                        connection.cancel(
                            handle, error: RPCError(code: .cancelled, message: "the stream was cancelled"))
                    }
                }
                if let timeout = options.timeout {
                    Task {
                        try? await Task.sleep(for: timeout)
                        connection.cancel(
                            handle, error: RPCError(code: .deadlineExceeded, message: "the stream's deadline passed"))
                    }
                }
                return (connection, handle, stream)
            }, creditWindow: configuration.initialStreamCredit)
    }
}
