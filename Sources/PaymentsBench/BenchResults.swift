/// Measured outcome of one run: counts, rates and latency of the operations started after the warmup.
///
/// An operation is one scenario step: one RPC, or two for register-confirm. `completed` is
/// `succeeded + errors + timedOut`.
public struct BenchResults: Sendable, Equatable, Encodable {
    /// Time from the end of the warmup to the last measured completion, in seconds. In open loop it is at least
    /// the time the measured operations were intended over.
    public var measuredSeconds: Double
    public var completed: UInt64
    public var succeeded: UInt64
    /// Operations that ended with a status other than OK and DEADLINE_EXCEEDED.
    public var errors: UInt64
    /// Operations that ended with DEADLINE_EXCEEDED, from the server or the client's deadline.
    public var timedOut: UInt64
    /// Operations started during the warmup, not counted anywhere else.
    public var warmupOperations: UInt64
    /// Warmup operations that failed or timed out, included in `warmupOperations`.
    public var warmupFailures: UInt64 = 0
    /// Open loop: operations intended in the measured phase, per second of the time they were intended over
    /// (up to a Ctrl-C), or the schedule's average rate when a Ctrl-C came before any. Nil in closed loop.
    public var targetRate: Double?
    /// Completed operations per second, failures and timeouts included.
    public var achievedRate: Double
    /// Succeeded operations per second, over the same time as `achievedRate`.
    public var succeededRate: Double = 0
    /// Latency of succeeded operations.
    public var latency: LatencySummary
    /// Latency of every measured operation, failures and timeouts included.
    public var latencyAll: LatencySummary
    /// Count per final status: `OK`, or the status name and domain code, such as `FAILED_PRECONDITION/INVALID_STATE`.
    public var outcomes: [String: UInt64]
    /// Open loop: largest delay between an operation's intended and actual start, in microseconds; a large value
    /// means the generator itself could not keep up and the latencies include its queueing.
    public var maxStartDelayMicroseconds: Double?
    /// Open loop with several rate steps: the operations intended in each step, measured apart. Empty otherwise.
    public var steps: [StepResults] = []
    /// Mixed scenario: the operations of each scenario drawn from the mix, measured apart. Empty otherwise.
    public var scenarios: [ScenarioResults] = []
}

/// Results of the operations of one scenario of a mixed run.
public struct ScenarioResults: Sendable, Equatable, Encodable {
    /// The scenario's name, as `--scenario` and `--mix` spell it.
    public var scenario: String
    public var completed: UInt64
    public var succeeded: UInt64
    /// Operations that failed or timed out.
    public var failed: UInt64
    /// Completed operations of the scenario per second of the run's measured time.
    public var achievedRate: Double
    /// Latency of the scenario's succeeded operations.
    public var latency: LatencySummary
    /// Count per final status of the scenario's failed operations, such as `DEADLINE_EXCEEDED` or
    /// `FAILED_PRECONDITION/INVALID_STATE`. Empty when none failed.
    public var failures: [String: UInt64] = [:]
}

/// Results of the operations intended during one step of a stepped open-loop schedule.
public struct StepResults: Sendable, Equatable, Encodable {
    /// Intended operations per second of the step.
    public var targetRate: Double
    /// Operations of the step that completed, divided by `seconds`, or 0 when the run stopped before the step.
    public var achievedRate: Double
    public var completed: UInt64
    /// Operations that failed or timed out.
    public var failed: UInt64
    /// Latency of the step's succeeded operations.
    public var latency: LatencySummary
    /// Operations of the step that succeeded.
    public var succeeded: UInt64 = 0
    /// Time from the step's scheduled start to the last completion of an operation intended in it, or the time
    /// its operations were intended over when that is longer, in seconds.
    public var seconds: Double = 0
    /// Largest delay between an operation's intended and actual start within the step, in microseconds.
    public var maxStartDelayMicroseconds: Double = 0
    /// False when a Ctrl-C stopped the run before the step began. Its counts are then all zero.
    public var reached: Bool = true
}

/// Percentiles, maximum and mean of a latency histogram, in microseconds.
public struct LatencySummary: Sendable, Equatable, Encodable {
    public var count: UInt64
    public var minMicroseconds: Double
    public var p50Microseconds: Double
    public var p90Microseconds: Double
    public var p99Microseconds: Double
    public var p999Microseconds: Double
    public var maxMicroseconds: Double
    public var meanMicroseconds: Double

    /// Summarizes `histogram`; every field is 0 when it is empty.
    public init(_ histogram: LatencyHistogram) {
        func micros(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1_000 }
        count = histogram.totalCount
        minMicroseconds = micros(histogram.minNanoseconds)
        p50Microseconds = micros(histogram.valueNanoseconds(atPercentile: 50))
        p90Microseconds = micros(histogram.valueNanoseconds(atPercentile: 90))
        p99Microseconds = micros(histogram.valueNanoseconds(atPercentile: 99))
        p999Microseconds = micros(histogram.valueNanoseconds(atPercentile: 99.9))
        maxMicroseconds = micros(histogram.maxNanoseconds)
        meanMicroseconds = histogram.meanNanoseconds / 1_000
    }
}
