import ProtoRuntime
import RPCMessages
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A client of one RPC server over one multiplexed TCP connection.
///
/// The connection opens on the first call and reopens after it dies or the
/// server drains it. Concurrent calls share it, each with its own call id.
/// When the connection dies, every pending call fails with UNAVAILABLE at
/// once (socket closed) or after an unanswered keepalive PING.
public final class RPCClient: Sendable {
    public let configuration: RPCClientConfiguration
    private let current = Mutex<ClientConnection?>(nil)
    private let closed = Atomic<Bool>(false)
    private let connector: Connector
    private let retryBudget: RetryBudget
    private let headerCache = CallHeaderCache()

    /// The executor of the client event-loop thread that reads this client's responses
    /// (`configuration.eventLoop`).
    ///
    /// A task that prefers it, through `withTaskExecutorPreference(_:operation:)`, runs its calls on
    /// that thread. A response then resumes the caller in the same loop turn that read it instead of waking
    /// another thread, which cuts a call's latency and CPU. The cost is one thread for all such tasks, and
    /// code run this way must never block, because it would stall the reads of every connection on the loop.
    public var eventLoopExecutor: any TaskExecutor {
        configuration.eventLoop.executor
    }

    public init(configuration: RPCClientConfiguration) {
        self.configuration = configuration
        self.connector = Connector()
        self.retryBudget = RetryBudget(
            ratio: configuration.retryPolicy.budgetRatio, capacity: configuration.retryPolicy.budgetCapacity)
    }

    /// Generates a fresh random idempotency key: 128 random bits as 22 URL-safe base64 characters.
    ///
    /// Runs before every write call, so it reads the 16 bytes with one `arc4random_buf` call (glibc reads the
    /// kernel's CSPRNG) and writes the characters straight into the string's storage.
    public static func makeIdempotencyKey() -> String {
        var bits: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &bits) { bytes in arc4random_buf(bytes.baseAddress!, bytes.count) }
        return String(unsafeUninitializedCapacity: 22) { output in
            for index in 0..<22 {
                let value: UInt64
                if index < 11 {
                    value = bits.0 & 63
                    bits.0 >>= 6
                } else {
                    value = bits.1 & 63
                    bits.1 >>= 6
                }
                output[index] = idempotencyKeyAlphabet[Int(value)]
            }
            return 22
        }
    }

    private static let idempotencyKeyAlphabet = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Runs a unary call and returns its response.
    ///
    /// `safeToRetry` is true for calls that carry an idempotency key or have no side effects.
    /// A failed attempt is retried only when it failed as UNAVAILABLE and `safeToRetry` is true,
    /// or when the server reports it retryable and not processed. Retries reuse the idempotency
    /// key, wait a jittered exponential backoff, and draw on a retry budget.
    /// - Throws: `RPCError`; DEADLINE_EXCEEDED when `options.timeout` passes, CANCELLED when
    ///   the calling task is cancelled.
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        path: String, request: Request, responseType: Response.Type, options: CallOptions, safeToRetry: Bool
    ) async throws -> Response {
        let options = options.merged(over: configuration.defaultOptions)
        let deadline = options.timeout.map { ContinuousClock.now + $0 }
        let message = request.serializedBytes()
        try checkMessageSize(message.count)
        retryBudget.recordCall()

        var attempt = 1
        // Whether an earlier attempt may have been processed. Then the last attempt's error must not claim that
        // the call was not processed, or a caller could take a change that was made for one that was not.
        var earlierAttemptMayHaveRun = false
        while true {
            do {
                let bytes = try await attemptUnary(path: path, message: message, options: options, deadline: deadline)
                do {
                    return try Response(serializedBytes: bytes)
                } catch {
                    throw RPCError(code: .internal, message: "the response is not a valid \(Response.protoMessageName)")
                }
            } catch var error as RPCError {
                guard shouldRetry(error, safeToRetry: safeToRetry, attempt: attempt, deadline: deadline) else {
                    if earlierAttemptMayHaveRun {
                        error.notProcessed = false
                    }
                    throw error
                }
                if !error.notProcessed {
                    earlierAttemptMayHaveRun = true
                }
                try await sleepBeforeRetry(attempt, deadline: deadline)
                attempt += 1
            }
        }
    }

    private func attemptUnary(
        path: String, message: [UInt8], options: CallOptions, deadline: ContinuousClock.Instant?
    ) async throws -> [UInt8] {
        guard !Task.isCancelled else {
            throw RPCError(code: .cancelled, message: "the calling task was cancelled before the call was sent")
        }
        let connection = try await connection()
        let header = headerCache.encodedHeader(path: path, options: options, deadline: deadline)
        return try await connection.unary(header: header, message: message, deadline: deadline)
    }

    private func shouldRetry(
        _ error: RPCError, safeToRetry: Bool, attempt: Int, deadline: ContinuousClock.Instant?
    ) -> Bool {
        let retryable = (error.code == .unavailable && safeToRetry) || (error.notProcessed && error.isRetryable)
        guard retryable, attempt < configuration.retryPolicy.maxAttempts, !closed.load(ordering: .relaxed) else {
            return false
        }
        if let deadline, ContinuousClock.now >= deadline {
            return false
        }
        return retryBudget.withdraw()
    }

    private func sleepBeforeRetry(_ attempt: Int, deadline: ContinuousClock.Instant?) async throws {
        var wait = configuration.retryPolicy.backoff(beforeRetry: attempt)
        if let deadline {
            wait = min(wait, deadline - .now)
        }
        do {
            try await Task.sleep(for: wait)
        } catch {
            throw RPCError(code: .cancelled, message: "the calling task was cancelled while waiting to retry")
        }
    }

    static func callHeader(path: String, options: CallOptions, deadline: ContinuousClock.Instant?) -> CallHeader {
        var header = CallHeader()
        header.method = path
        if let deadline {
            header.timeoutMicros = timeoutMicros(until: deadline)
        }
        header.authorization = options.authorization ?? ""
        header.idempotencyKey = options.idempotencyKey ?? ""
        header.requestID = options.requestID ?? ""
        header.metadata = options.metadata.keys.sorted().map { MetadataEntry(key: $0, value: options.metadata[$0]!) }
        return header
    }

    /// Returns the microseconds left until `deadline`, at least 1, because 0 means no deadline on the wire.
    static func timeoutMicros(until deadline: ContinuousClock.Instant) -> UInt64 {
        let remaining = deadline - .now
        let micros = remaining.components.seconds * 1_000_000 + remaining.components.attoseconds / 1_000_000_000_000
        return UInt64(max(1, micros))
    }

    func checkMessageSize(_ size: Int) throws {
        guard size <= Int(configuration.maxMessageSize) else {
            throw RPCError(
                code: .resourceExhausted,
                message: "request message of \(size) bytes exceeds the limit of \(configuration.maxMessageSize) bytes",
                notProcessed: true)
        }
    }

    /// The limit of open calls per connection that the server announced on the current connection.
    ///
    /// Nil before a connection received the server's SETTINGS, or when the server announced no limit. Calls
    /// over the limit wait in the client until earlier calls end.
    public var serverMaxConcurrentCalls: Int? {
        current.withLock { $0 }?.announcedMaxConcurrentCalls
    }

    /// Returns an open connection, connecting when there is none or the last one is unusable.
    func connection() async throws -> ClientConnection {
        if let connection = current.withLock({ $0 }), connection.isUsable {
            return connection
        }
        guard !closed.load(ordering: .relaxed) else {
            throw RPCError.unavailableNotProcessed("the client was closed")
        }
        return try await connector.connect(client: self)
    }

    /// Returns the current connection when it can take new calls.
    func usableConnection() -> ClientConnection? {
        current.withLock { current in
            guard let current, current.isUsable else {
                return nil
            }
            return current
        }
    }

    func install(_ connection: ClientConnection) {
        current.withLock { $0 = connection }
    }

    /// Calls waiting for a response on the current connection.
    var pendingCallCount: Int {
        current.withLock { $0 }?.state.withLock { $0.pending.count } ?? 0
    }

    /// Closes the connection; pending calls fail with UNAVAILABLE and later calls fail at once.
    public func close() async {
        closed.store(true, ordering: .relaxed)
        let connection = current.withLock { current in
            let connection = current
            current = nil
            return connection
        }
        // Pending calls were sent, so the server may have run them: not marked as not processed.
        connection?.close(with: .connectionLost("the client was closed before the response arrived"))
    }
}

/// Serializes connection attempts so that concurrent first calls open one connection.
///
/// The connect itself waits on a thread of its own, so the actor is free meanwhile: callers that arrive
/// during an attempt wait for that attempt instead of starting another.
actor Connector {
    private var attempt: Task<ClientConnection, any Error>?

    func connect(client: RPCClient) async throws -> ClientConnection {
        if let connection = client.usableConnection() {
            return connection
        }
        if let attempt {
            return try await attempt.value
        }
        let attempt = Task { try await Self.open(client) }
        self.attempt = attempt
        defer { self.attempt = nil }
        return try await attempt.value
    }

    private static func open(_ client: RPCClient) async throws -> ClientConnection {
        let configuration = client.configuration
        let descriptor: Int32
        do throws(RPCTransportError) {
            descriptor = try await Socket.connectOnOwnThread(
                to: SocketAddress(host: configuration.host, port: configuration.port),
                timeout: configuration.connectTimeout)
        } catch {
            throw RPCError.unavailableNotProcessed(
                "cannot connect to \(configuration.host):\(configuration.port): \(error.message)")
        }
        let loop = configuration.eventLoop
        let connection = ClientConnection(descriptor: descriptor, configuration: configuration, loop: loop)
        connection.send(connection.state.withLock { ClientConnection.takeChunk(&$0) })
        loop.add(connection, descriptor: descriptor)
        client.install(connection)
        return connection
    }
}
