import RPCMessages

/// The call a handler serves: method, header, deadline, peer and cancellation.
public struct ServerCallContext: Sendable {
    /// Method path, for example `/payments.v1.PaymentService/GetPayment`.
    public var method: String
    /// The call header: authorization, idempotency key, request id, trace context, metadata.
    public var header: CallHeader
    /// When the caller stops waiting; nil when the call has no timeout.
    public var deadline: ContinuousClock.Instant?
    /// Peer address, for example `127.0.0.1:51234`.
    public var peer: String
    /// Server-unique id of the connection that carries the call.
    public var connectionID: UInt64
    let call: ServerCall?

    /// Creates a context that is cancelled only by its deadline, for handler tests.
    public init(
        method: String, header: CallHeader, deadline: ContinuousClock.Instant? = nil, peer: String = "",
        connectionID: UInt64 = 0
    ) {
        self.init(method: method, header: header, deadline: deadline, peer: peer, connectionID: connectionID, call: nil)
    }

    init(
        method: String, header: CallHeader, deadline: ContinuousClock.Instant?, peer: String,
        connectionID: UInt64, call: ServerCall?
    ) {
        self.method = method
        self.header = header
        self.deadline = deadline
        self.peer = peer
        self.connectionID = connectionID
        self.call = call
    }

    /// True once the client sent CANCEL, the deadline passed, or the connection closed.
    public var isCancelled: Bool {
        if let deadline, ContinuousClock.now >= deadline {
            return true
        }
        return call?.isCancelled ?? false
    }
}
