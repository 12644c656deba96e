@_exported public import PaymentsMessages
@_exported public import PaymentsRPC
@_exported public import RPCMessages
@_exported public import RPCTransport

/// Entry point of the Swift client library: one import gives the generated messages, the generated
/// `PaymentServiceClient` and `HealthClient`, and the transport's `RPCClient` and `CallOptions`.
public enum PaymentsClients {
    /// Connects lazily to a payments server and returns the PaymentService client.
    ///
    /// - Parameters:
    ///   - host: IPv4 address or host name of the server.
    ///   - port: TCP port of the server.
    ///   - token: bearer token sent on every call; the client never logs it.
    ///   - timeout: deadline of each call unless the call's options give another.
    /// Mutating calls get a fresh idempotency key when the caller gives none, and calls that fail as
    /// UNAVAILABLE or not processed are retried with the same key under the default `RetryPolicy`.
    public static func payments(host: String = "127.0.0.1", port: Int, token: String, timeout: Duration = .seconds(10))
        -> PaymentServiceClient
    {
        let options = CallOptions(timeout: timeout, authorization: "Bearer \(token)")
        let configuration = RPCClientConfiguration(host: host, port: port, defaultOptions: options)
        return PaymentServiceClient(client: RPCClient(configuration: configuration))
    }

    /// Returns a Health client for probes; health checks need no token.
    public static func health(host: String = "127.0.0.1", port: Int) -> HealthClient {
        HealthClient(client: RPCClient(configuration: RPCClientConfiguration(host: host, port: port)))
    }
}
