public import PaymentsAuth
public import PaymentsLogging
public import PaymentsStorage
public import RPCTransport

/// The services of one server process, built on one store and one token file.
public struct PaymentsApplication: Sendable {
    /// Services to register with the `RPCServer`.
    public let services: [any RPCService]
    /// The Health service, to mark NOT_SERVING while draining.
    public let health: HealthHandler
    private let authorizer: CallAuthorizer

    public init(
        store: any PaymentStore, authenticator: TokenAuthenticator, logger: Logger,
        watchSettings: EventWatchSettings = EventWatchSettings(), limiter: BadTokenLimiter = BadTokenLimiter()
    ) {
        let authorizer = CallAuthorizer(
            authenticator: authenticator, limiter: limiter, logger: logger.withLabel("payments.auth"))
        let health = HealthHandler(storeProbe: {
            do {
                _ = try await store.lastPosition()
                return true
            } catch {
                return false
            }
        })
        let payments = PaymentServiceHandler(
            store: store, authorizer: authorizer, logger: logger.withLabel("payments.service"),
            watchSettings: watchSettings,
            health: health)
        self.health = health
        services = [payments, health]
        self.authorizer = authorizer
    }

    /// Logs the bad-token summary when it is due; the server calls this from its maintenance loop.
    public func logSecuritySummaryIfDue() {
        authorizer.logBadTokenSummaryIfDue()
    }
}
