import Synchronization

/// The calls an open-loop run intended to send in its measured phase, which its rates are measured against.
///
/// Rates divide by the time the calls were intended over, or by the time to the last completion when that
/// is longer. Dividing by the time to the last completion alone would report more than the intended rate
/// at low rates: the last of 10 calls at 5 per second is sent 1.8 s into a 2 s run.
struct IntendedLoad: Sendable, Equatable {
    /// Per step of the schedule (one for a constant rate): measured calls intended in it.
    var calls: [Int]
    /// Per step: the time from the step's start to the intended time of its last call, plus one interval at
    /// the step's rate. That is the step's duration unless the run stopped in it, and zero when the run
    /// stopped before it.
    var windows: [Duration]

    init(stepCount: Int) {
        calls = Array(repeating: 0, count: stepCount)
        windows = Array(repeating: .zero, count: stepCount)
    }

    init(calls: [Int], windows: [Duration]) {
        self.calls = calls
        self.windows = windows
    }

    /// Notes a call intended at `offset` into `step`, which began at `stepStart`, with calls `interval` apart.
    mutating func noteCall(step: Int, offset: Duration, stepStart: Duration, interval: Duration) {
        guard calls.indices.contains(step) else {
            return
        }
        calls[step] += 1
        windows[step] = max(windows[step], offset - stepStart + interval)
    }

    var totalCalls: Int { calls.reduce(0, +) }

    /// The time the measured calls were intended over: the steps run one after the other.
    var totalWindow: Duration { windows.reduce(.zero, +) }

    /// Intended calls per second over the measured phase, or nil when no call was intended.
    var rate: Double? {
        totalCalls > 0 && totalWindow > .zero ? Double(totalCalls) / totalWindow.secondsDouble : nil
    }
}

/// Collects the outcome and latency of every operation from all load tasks.
///
/// One lock guards everything: a record takes well under a microsecond, far less than an RPC, so
/// the lock is not where a run spends its time.
final class BenchRecorder: Sendable {
    struct State: Sendable {
        var succeededLatency = LatencyHistogram()
        var allLatency = LatencyHistogram()
        var outcomes: [CallOutcome: UInt64] = [:]
        var succeeded: UInt64 = 0
        var errors: UInt64 = 0
        var timedOut: UInt64 = 0
        var warmupOperations: UInt64 = 0
        /// Warmup operations that failed or timed out, for the progress line and the results.
        var warmupFailures: UInt64 = 0
        var lastCompletion: ContinuousClock.Instant?
        var maxStartDelay = Duration.zero
        var inFlight = 0
        /// Per step of a stepped open-loop schedule, for the operations intended in that step.
        var steps: [StepState] = []
        /// Per scenario drawn in a mixed run; empty in a run of one scenario.
        var scenarios: [BenchScenario: ScenarioState] = [:]

        var completed: UInt64 { succeeded + errors + timedOut }
    }

    /// Counts and latencies of the operations intended in one step of a stepped schedule.
    struct StepState: Sendable {
        var latency = LatencyHistogram()
        var failed: UInt64 = 0
        var lastCompletion: ContinuousClock.Instant?
        var maxStartDelay = Duration.zero
    }

    /// Counts and latencies of the operations of one scenario in a mixed run.
    struct ScenarioState: Sendable {
        var latency = LatencyHistogram()
        var failed: UInt64 = 0
        /// Count per final status of the scenario's failed operations, keyed as `BenchResults.outcomes`.
        var failures: [String: UInt64] = [:]
    }

    private let state: Mutex<State>

    /// Creates a recorder that also keeps `stepCount` per-step summaries when there is more than one step.
    init(stepCount: Int = 0) {
        var initial = State()
        if stepCount > 1 {
            initial.steps = Array(repeating: StepState(), count: stepCount)
        }
        state = Mutex(initial)
    }

    /// Notes that an operation started, for the in-flight count of the progress line.
    func operationStarted() {
        state.withLock { $0.inFlight += 1 }
    }

    /// Records an ended operation; `measured` is false for operations that started in the warmup.
    ///
    /// `scenario` is the scenario a mixed run drew for the operation, measured apart as well; nil otherwise.
    func record(
        _ outcome: CallOutcome, latency: Duration, measured: Bool, completedAt: ContinuousClock.Instant,
        startDelay: Duration = .zero, step: Int? = nil, scenario: BenchScenario? = nil
    ) {
        state.withLock { state in
            state.inFlight -= 1
            guard measured else {
                state.warmupOperations += 1
                if outcome != .succeeded {
                    state.warmupFailures += 1
                }
                return
            }
            state.allLatency.record(latency)
            switch outcome {
            case .succeeded:
                state.succeeded += 1
                state.succeededLatency.record(latency)
            case .timedOut:
                state.timedOut += 1
            case .failed:
                state.errors += 1
            }
            state.outcomes[outcome, default: 0] += 1
            if let scenario {
                if outcome == .succeeded {
                    state.scenarios[scenario, default: ScenarioState()].latency.record(latency)
                } else {
                    state.scenarios[scenario, default: ScenarioState()].failed += 1
                    state.scenarios[scenario, default: ScenarioState()].failures[outcome.key, default: 0] += 1
                }
            }
            if let step, state.steps.indices.contains(step) {
                if outcome == .succeeded {
                    state.steps[step].latency.record(latency)
                } else {
                    state.steps[step].failed += 1
                }
                state.steps[step].maxStartDelay = max(state.steps[step].maxStartDelay, startDelay)
                state.steps[step].lastCompletion = max(state.steps[step].lastCompletion ?? completedAt, completedAt)
            }
            state.maxStartDelay = max(state.maxStartDelay, startDelay)
            if let last = state.lastCompletion, last >= completedAt {
                return
            }
            state.lastCompletion = completedAt
        }
    }

    /// Counts of a run so far, for one progress line.
    struct Progress: Sendable {
        /// Operations that ended in the warmup and in the measured phase, for the rate of the last interval.
        var ended: UInt64
        /// Measured operations that ended, and the errors and timeouts among them.
        var completed: UInt64
        var errors: UInt64
        var timedOut: UInt64
        /// Operations that started in the warmup and ended, and the failures and timeouts among them.
        var warmupOperations: UInt64
        var warmupFailures: UInt64
        var inFlight: Int
        /// 99th percentile latency of succeeded measured operations.
        var p99Nanoseconds: UInt64
    }

    /// Counts for the progress line, without copying the histograms.
    func progress() -> Progress {
        state.withLock { state in
            Progress(
                ended: state.completed + state.warmupOperations, completed: state.completed, errors: state.errors,
                timedOut: state.timedOut, warmupOperations: state.warmupOperations,
                warmupFailures: state.warmupFailures, inFlight: state.inFlight,
                p99Nanoseconds: state.succeededLatency.valueNanoseconds(atPercentile: 99))
        }
    }

    /// Summarizes each step.
    ///
    /// A step's achieved rate is its completed operations divided by the time from the step's scheduled start
    /// to its last completion, or by the time its calls were intended over when that is longer. So operations
    /// that a slow server finishes late lower it, and a step the run stopped in is measured over the part
    /// that ran. A step the run stopped before is marked as not reached.
    private static func stepResults(
        _ steps: [StepState], schedule: RateSchedule?, intended: IntendedLoad?, measureStart: ContinuousClock.Instant
    ) -> [StepResults] {
        guard let schedule, steps.count == schedule.steps.count else {
            return []
        }
        var results: [StepResults] = []
        for (index, (measured, step)) in zip(steps, schedule.steps).enumerated() {
            let stepStart = measureStart + schedule.startOffset(ofStep: index)
            let completed = measured.latency.totalCount + measured.failed
            let window = intended.map { $0.windows.indices.contains(index) ? $0.windows[index] : .zero } ?? .zero
            let toLastCompletion = measured.lastCompletion.map { max(.zero, $0 - stepStart) } ?? .zero
            let seconds = max(window, toLastCompletion).secondsDouble
            results.append(
                StepResults(
                    targetRate: step.callsPerSecond, achievedRate: seconds > 0 ? Double(completed) / seconds : 0,
                    completed: completed, failed: measured.failed, latency: LatencySummary(measured.latency),
                    succeeded: measured.latency.totalCount, seconds: seconds,
                    maxStartDelayMicroseconds: Double(measured.maxStartDelay.nanosecondsClamped) / 1_000,
                    reached: intended.map { $0.calls.indices.contains(index) && $0.calls[index] > 0 }
                        ?? (completed > 0)))
        }
        return results
    }

    /// Builds the results of the measured phase that started at `measureStart`. `intended` is what an
    /// open-loop run intended to send, and nil in closed loop.
    func results(
        measureStart: ContinuousClock.Instant, intended: IntendedLoad? = nil, schedule: RateSchedule? = nil
    ) -> BenchResults {
        let state = state.withLock { $0 }
        let end = state.lastCompletion ?? measureStart
        let seconds = max(max(.zero, end - measureStart), intended?.totalWindow ?? .zero).secondsDouble
        var outcomes: [String: UInt64] = [:]
        for (outcome, count) in state.outcomes {
            outcomes[outcome.key, default: 0] += count
        }
        return BenchResults(
            measuredSeconds: seconds, completed: state.completed, succeeded: state.succeeded, errors: state.errors,
            timedOut: state.timedOut, warmupOperations: state.warmupOperations,
            warmupFailures: state.warmupFailures,
            targetRate: intended.map { $0.rate ?? schedule?.averageRate ?? 0 },
            achievedRate: seconds > 0 ? Double(state.completed) / seconds : 0,
            succeededRate: seconds > 0 ? Double(state.succeeded) / seconds : 0,
            latency: LatencySummary(state.succeededLatency), latencyAll: LatencySummary(state.allLatency),
            outcomes: outcomes,
            maxStartDelayMicroseconds: intended != nil ? Double(state.maxStartDelay.nanosecondsClamped) / 1_000 : nil,
            steps: Self.stepResults(state.steps, schedule: schedule, intended: intended, measureStart: measureStart),
            scenarios: Self.scenarioResults(state.scenarios, seconds: seconds))
    }

    /// Summarizes each scenario of a mixed run, in the order of their names; rates use the run's measured time.
    private static func scenarioResults(_ scenarios: [BenchScenario: ScenarioState], seconds: Double)
        -> [ScenarioResults]
    {
        scenarios.sorted { $0.key.rawValue < $1.key.rawValue }.map { scenario, measured in
            let completed = measured.latency.totalCount + measured.failed
            return ScenarioResults(
                scenario: scenario.rawValue, completed: completed, succeeded: measured.latency.totalCount,
                failed: measured.failed, achievedRate: seconds > 0 ? Double(completed) / seconds : 0,
                latency: LatencySummary(measured.latency), failures: measured.failures)
        }
    }
}
