import RPCTransport

extension BenchCommand {
    /// Limit of calls in flight on one connection that a server applies unless `--max-concurrent-calls` sets
    /// another.
    static let defaultServerCallsPerConnection = Int(RPCServerConfiguration().maxConcurrentCallsPerConnection)

    /// Returns the warning to print when more calls than the server's limit can be in flight on one
    /// connection, or nil when the configuration stays under it.
    ///
    /// `announcedLimit` is the limit the server announced, when known; otherwise the server default applies.
    /// Closed loop counts `concurrency`, open loop `maxInFlight`, each spread evenly over the connections.
    static func callsPerConnectionWarning(for configuration: BenchConfiguration, announcedLimit: Int? = nil)
        -> String?
    {
        let limit = announcedLimit ?? defaultServerCallsPerConnection
        let (inFlight, setting) =
            configuration.isOpenLoop
            ? (configuration.maxInFlight, "--max-in-flight") : (configuration.concurrency, "--concurrency")
        let connections = configuration.connections
        let perConnection = (inFlight + connections - 1) / connections
        guard perConnection > limit else {
            return nil
        }
        return BenchText(language: configuration.language).callsPerConnectionWarning(
            perConnection: perConnection, limit: limit, announced: announcedLimit != nil, setting: setting,
            connections: (inFlight + limit - 1) / limit)
    }

    /// Turns an RPC error from the probe call or the setup into the message and exit status that stop the run,
    /// or returns nil when the error is not one that every later call would repeat.
    ///
    /// UNAUTHENTICATED and PERMISSION_DENIED exit with `exitUsage`, naming the token's source and the missing
    /// scope when the server names it; UNAVAILABLE exits with `exitRunFailed`, naming the server address.
    static func stoppingFailure(_ error: RPCError, configuration: BenchConfiguration) -> (
        message: String, status: Int32
    )? {
        let text = BenchText(language: configuration.language)
        let source = configuration.tokenSource ?? text.noTokenSource
        switch error.code {
        case .permissionDenied:
            if let scope = error.details["missing_scope"] {
                let message = text.tokenLacksScope(
                    source: source, scope: scope, scenario: configuration.scenario.rawValue)
                return (message, exitUsage)
            }
            return (
                text.tokenRejected(source: source, status: error.code.protoName, reason: error.message), exitUsage
            )
        case .unauthenticated:
            return (
                text.tokenRejected(source: source, status: error.code.protoName, reason: error.message), exitUsage
            )
        case .unavailable:
            let server = "\(configuration.serverHost):\(configuration.serverPort)"
            // The server itself is up, and its store failed the call.
            if error.domainCode == "STORE_UNAVAILABLE" {
                return (text.storeUnavailable(server) + " (\(error.message))", exitRunFailed)
            }
            return (text.serverUnavailable(server) + " (\(error.message))", exitRunFailed)
        default:
            return nil
        }
    }

    /// Returns the message of a run where no operation succeeded, with a hint picked from its most frequent
    /// status.
    static func everyOperationFailedMessage(_ results: BenchResults, text: BenchText) -> String {
        let statuses = results.outcomes.keys.sorted().joined(separator: ", ")
        let mostFrequent = results.outcomes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
        return text.everyOperationFailed(statuses: statuses, hint: text.failureHint(status: mostFrequent?.key ?? ""))
    }
}
