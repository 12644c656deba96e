import PaymentsCommandLine

/// Everything one `payments bench` run needs, parsed from flags and `PAYMENTS_*` variables.
///
/// Closed loop (no `rate`): `concurrency` calls are always in flight, spread round-robin over
/// `connections` connections, and each starts when the previous one on its slot ends. Open loop
/// (`rate` set): calls start at the schedule's intended times whatever the server does, up to
/// `maxInFlight` at once, and latency is measured from the intended time.
public struct BenchConfiguration: Sendable, Equatable {
    public var serverHost = "127.0.0.1"
    public var serverPort = 7070
    /// Full `authorization` header value, `Bearer …`; never printed or echoed in JSON.
    public var authorization: String?
    /// Source of the token, such as `--token` or `--token-file var/dev-token`; nil without a token.
    public var tokenSource: String?
    public var scenario = BenchScenario.health
    /// Weights of a mixed run; used only when `scenario` is `.mixed`.
    public var mix = ScenarioMix.standard
    /// TCP connections, one `RPCClient` each.
    public var connections = 1
    /// Client event-loop threads; connection `i` runs on thread `i % threads`, so each has at least one.
    public var threads = 1
    /// Calls in flight at once in closed loop, over all connections.
    public var concurrency = 1
    /// Intended send times of an open-loop run; nil for closed loop.
    public var rate: RateSchedule?
    /// Maximum calls in flight in open loop. Further calls wait, and their latency still counts from the intended time.
    public var maxInFlight = 10_000
    /// Length of the measured phase, after the warmup; nil when `requests` bounds the run.
    public var duration: Duration? = .seconds(10)
    /// Measured operations to complete, after the warmup; nil when `duration` bounds the run.
    public var requests: Int?
    /// Time the load runs before measuring starts; calls that start in it are not counted.
    public var warmup = Duration.seconds(1)
    /// Deadline of each RPC, sent to the server; a call past it counts as a timeout. Nil sends no deadline,
    /// which spares the client a timer per call.
    public var timeout: Duration? = .seconds(5)
    /// Amount of each registered payment, in minor units of `currency`.
    public var amountMinorUnits: Int64 = 1_000
    /// ISO 4217 code of every payment the run registers, one of the codes `Currency` accepts.
    public var currency = "USD"
    /// Confirmed payments the refund scenario spreads its refunds over.
    public var refundPayments = 1_000
    /// Orders, with `paymentsPerListedOrder` payments each, that the list scenario reads.
    public var listOrders = 100
    /// Payments registered for each order the list scenario reads.
    public var paymentsPerListedOrder = 5
    /// Prefix of every order id of the run, so that runs never collide; random unless given.
    public var runID = BenchConfiguration.makeRunID()
    /// Assertions that fail the run (exit status 1) when one holds.
    public var failConditions: [FailCondition] = []
    /// Prints the results as one JSON object on standard output instead of a table.
    public var json = false
    /// Prints no progress line on standard error.
    public var quiet = false
    /// Time between progress lines.
    public var progressInterval = Duration.seconds(1)
    /// Language of the error messages, the progress line and the text report, taken from the locale
    /// variables. The JSON report is the same in every language.
    public var language = Language.english

    public init() {}

    /// Whether calls start on a schedule (open loop) rather than when a slot frees (closed loop).
    public var isOpenLoop: Bool { rate != nil }

    /// Eight random lowercase letters and digits, followed by a dash.
    public static func makeRunID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return "b\(String(letters))"
    }
}

extension BenchConfiguration: Encodable {
    private enum CodingKeys: String, CodingKey {
        case server, scenario, mix, mode, connections, threads, concurrency, rate, maxInFlight, durationSeconds
        case requests
        case warmupSeconds, timeoutSeconds, amountMinorUnits, currency, refundPayments, listOrders
        case paymentsPerListedOrder, runID, failIf
    }

    /// Echoes the configuration in JSON with durations in seconds; the token is left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("\(serverHost):\(serverPort)", forKey: .server)
        try container.encode(scenario.rawValue, forKey: .scenario)
        if scenario == .mixed {
            let weights = Dictionary(uniqueKeysWithValues: mix.weights.map { ($0.scenario.rawValue, $0.weight) })
            try container.encode(weights, forKey: .mix)
        }
        try container.encode(isOpenLoop ? "open-loop" : "closed-loop", forKey: .mode)
        try container.encode(connections, forKey: .connections)
        try container.encode(threads, forKey: .threads)
        if let rate {
            let steps = rate.steps.map {
                RateStepEcho(callsPerSecond: $0.callsPerSecond, durationSeconds: $0.duration?.secondsDouble)
            }
            try container.encode(steps, forKey: .rate)
            try container.encode(maxInFlight, forKey: .maxInFlight)
        } else {
            try container.encode(concurrency, forKey: .concurrency)
        }
        try container.encodeIfPresent(duration?.secondsDouble, forKey: .durationSeconds)
        try container.encodeIfPresent(requests, forKey: .requests)
        try container.encode(warmup.secondsDouble, forKey: .warmupSeconds)
        try container.encode(timeout?.secondsDouble ?? 0, forKey: .timeoutSeconds)
        try container.encode(amountMinorUnits, forKey: .amountMinorUnits)
        try container.encode(currency, forKey: .currency)
        if scenario == .refund || (scenario == .mixed && mix.scenarios.contains(.refund)) {
            try container.encode(refundPayments, forKey: .refundPayments)
        }
        if scenario == .list || (scenario == .mixed && mix.scenarios.contains(.list)) {
            try container.encode(listOrders, forKey: .listOrders)
            try container.encode(paymentsPerListedOrder, forKey: .paymentsPerListedOrder)
        }
        try container.encode(runID, forKey: .runID)
        try container.encode(failConditions.map(\.text), forKey: .failIf)
    }
}

private struct RateStepEcho: Encodable {
    var callsPerSecond: Double
    var durationSeconds: Double?
}
