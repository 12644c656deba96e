/// Per-call settings a caller passes with each call.
public struct CallOptions: Sendable {
    /// Time the caller waits, across retries; sent as `CallHeader.timeoutMicros`. Nil waits without limit.
    public var timeout: Duration?
    /// Full `authorization` header value, `Bearer <token>`.
    public var authorization: String?
    /// Key that lets the server recognize a repeated mutating call; retries reuse it.
    public var idempotencyKey: String?
    /// Caller-chosen id that the server attaches to its log lines.
    public var requestID: String?
    /// Free metadata passed to the handler.
    public var metadata: [String: String]

    public init(
        timeout: Duration? = nil, authorization: String? = nil, idempotencyKey: String? = nil,
        requestID: String? = nil, metadata: [String: String] = [:]
    ) {
        self.timeout = timeout
        self.authorization = authorization
        self.idempotencyKey = idempotencyKey
        self.requestID = requestID
        self.metadata = metadata
    }

    /// Returns these options with every unset value taken from `defaults`; metadata keys of `self` win.
    func merged(over defaults: CallOptions) -> CallOptions {
        // Most calls set nothing of their own or have no defaults; those need no merge.
        if timeout == nil && authorization == nil && idempotencyKey == nil && requestID == nil && metadata.isEmpty {
            return defaults
        }
        if defaults.timeout == nil && defaults.authorization == nil && defaults.idempotencyKey == nil
            && defaults.requestID == nil && defaults.metadata.isEmpty
        {
            return self
        }
        var merged = self
        merged.timeout = timeout ?? defaults.timeout
        merged.authorization = authorization ?? defaults.authorization
        merged.idempotencyKey = idempotencyKey ?? defaults.idempotencyKey
        merged.requestID = requestID ?? defaults.requestID
        merged.metadata = defaults.metadata.merging(metadata) { _, own in own }
        return merged
    }
}
