internal import PaymentsAuth
internal import PaymentsLogging
internal import RPCTransport

/// Checks each call's bearer token and scope, and rate limits peers that keep sending bad tokens.
///
/// Failures are counted in the limiter's periodic summary instead of one log line each, and no token, hash
/// or header ever reaches a log line or an error message.
final class CallAuthorizer: Sendable {
    private let authenticator: TokenAuthenticator
    private let limiter: BadTokenLimiter
    private let logger: Logger

    init(authenticator: TokenAuthenticator, limiter: BadTokenLimiter, logger: Logger) {
        self.authenticator = authenticator
        self.limiter = limiter
        self.logger = logger
    }

    /// Returns the caller, or throws UNAUTHENTICATED, PERMISSION_DENIED or RESOURCE_EXHAUSTED (rate limited).
    ///
    /// While a peer is rate limited its tokens are not checked at all, valid ones included, so that a
    /// guessing peer learns nothing until its bucket refills.
    func authorize(_ context: ServerCallContext, scope: Scope) throws(RPCError) -> Principal {
        let peer = Self.host(of: context.peer)
        if limiter.isLimited(peer: peer) {
            _ = limiter.recordFailure(peer: peer)
            throw RPCError(
                code: .resourceExhausted,
                message: "too many calls with bad tokens from \(peer): wait a few seconds and send a valid token",
                isRetryable: true, notProcessed: true)
        }

        let header = context.header.authorization.isEmpty ? nil : context.header.authorization
        switch authenticator.authenticate(authorizationHeader: header) {
        case .failure(let error):
            _ = limiter.recordFailure(peer: peer)
            throw error.rpcError
        case .success(let principal):
            if case .failure(let error) = authenticator.authorize(principal, scope: scope) {
                throw error.rpcError
            }
            return principal
        }
    }

    /// Logs the bad-token summary when its interval has passed; called by the server's maintenance loop.
    func logBadTokenSummaryIfDue() {
        _ = limiter.logSummaryIfDue(to: logger)
    }

    /// The address without its port, so that all connections from one host share a bucket.
    ///
    /// Reads UTF-8 bytes instead of characters, because this runs on every call.
    static func host(of peer: String) -> String {
        let bytes = peer.utf8
        if bytes.first == UInt8(ascii: "["), let end = bytes.firstIndex(of: UInt8(ascii: "]")) {
            return String(Substring(bytes[bytes.index(after: bytes.startIndex)..<end]))
        }
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")), bytes.firstIndex(of: UInt8(ascii: ":")) == colon
        else {
            return peer
        }
        return String(Substring(bytes[..<colon]))
    }
}
