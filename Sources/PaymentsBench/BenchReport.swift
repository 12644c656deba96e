import Foundation

/// The configuration, the results and the verdict of each `--fail-if` condition, as printed at the end of a run.
struct BenchReport: Encodable {
    /// A `--fail-if` condition with the value it was checked against.
    struct ConditionVerdict: Encodable {
        var condition: String
        /// Measured value in the condition's unit: microseconds, operations per second, a count or a percentage.
        var measured: Double
        /// Whether the condition holds, which fails the run.
        var holds: Bool
    }

    var configuration: BenchConfiguration
    var results: BenchResults
    var failIf: [ConditionVerdict]
    /// Whether any condition holds, so the command exits with status 1.
    var failed: Bool
    /// Whether Ctrl-C ended the run before its duration or count, so the command exits with status 130.
    var interrupted: Bool
    /// Whether that Ctrl-C came during the warmup, so nothing was measured.
    var interruptedInWarmup: Bool

    init(
        configuration: BenchConfiguration, results: BenchResults, interrupted: Bool = false,
        interruptedInWarmup: Bool = false
    ) {
        self.configuration = configuration
        self.results = results
        self.interrupted = interrupted
        self.interruptedInWarmup = interrupted && interruptedInWarmup
        failIf = configuration.failConditions.map { condition in
            ConditionVerdict(
                condition: condition.text, measured: condition.measuredValue(in: results),
                holds: condition.isMet(by: results))
        }
        failed = failIf.contains { $0.holds }
    }

    /// Encodes the report as one JSON object with sorted keys.
    func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else {
            return "{}"
        }
        return text
    }

    /// Renders the report as aligned lines for a terminal, in the configuration's language.
    ///
    /// Status names, domain codes, scenario names and metric names stay in English in both languages, so
    /// they match what `--fail-if`, `--scenario` and the server use.
    func text() -> String {
        let text = BenchText(language: configuration.language)
        let results = results
        var lines: [String] = []
        lines.append(headline(text))
        lines.append(
            text.operations(
                completed: results.completed, seconds: Self.seconds(results.measuredSeconds),
                succeeded: results.succeeded, errors: results.errors, timedOut: results.timedOut,
                warmup: results.warmupOperations))

        var rate = text.rate(Self.rate(results.achievedRate))
        if let target = results.targetRate, results.completed > 0 {
            rate += text.intendedRate(Self.rate(target), share: Self.percent(results.achievedRate / target))
        }
        rate += text.succeededRate(Self.rate(results.succeededRate))
        lines.append(rate)
        lines.append(text.latency(Self.latencyLine(results.latency, text: text)))
        if results.errors + results.timedOut > 0 {
            lines.append(text.latencyAll(Self.latencyLine(results.latencyAll, text: text)))
        }
        if let delay = results.maxStartDelayMicroseconds, results.completed > 0 {
            lines.append(text.startDelay(Self.duration(microseconds: delay)))
        }
        for (index, step) in results.steps.enumerated() {
            lines.append(stepLine(number: index + 1, step, text: text))
        }
        let nameWidth = results.scenarios.map(\.scenario.count).max() ?? 0
        for scenario in results.scenarios {
            lines.append(scenarioLine(scenario, nameWidth: nameWidth, text: text))
        }

        lines.append(text.statuses(results.outcomes.isEmpty ? text.noStatus : Self.countsByStatus(results.outcomes)))
        for (condition, verdict) in zip(configuration.failConditions, failIf) {
            lines.append(
                text.verdict(
                    condition: verdict.condition, holds: verdict.holds,
                    measured: Self.measured(verdict.measured, metric: condition.metric)))
        }
        return lines.joined(separator: "\n")
    }

    private func stepLine(number: Int, _ step: StepResults, text: BenchText) -> String {
        guard step.reached else {
            return text.stepNotReached(number: number, target: Self.rate(step.targetRate))
        }
        return text.step(
            number: number, achieved: Self.rate(step.achievedRate), target: Self.rate(step.targetRate),
            succeeded: step.succeeded, failed: step.failed, latency: Self.shortLatency(step.latency, text: text),
            startDelay: Self.duration(microseconds: step.maxStartDelayMicroseconds))
    }

    private func scenarioLine(_ scenario: ScenarioResults, nameWidth: Int, text: BenchText) -> String {
        let name = scenario.scenario.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        let line = text.scenario(
            name, achieved: Self.rate(scenario.achievedRate), succeeded: scenario.succeeded,
            failed: scenario.failed, latency: Self.shortLatency(scenario.latency, text: text))
        guard !scenario.failures.isEmpty else {
            return line
        }
        return line + " (" + Self.countsByStatus(scenario.failures) + ")"
    }

    /// Renders the p50, p99 and maximum of a step or scenario line, or the words for no latency when nothing
    /// succeeded.
    private static func shortLatency(_ latency: LatencySummary, text: BenchText) -> String {
        guard latency.count > 0 else {
            return text.noLatency
        }
        return text.stepLatency(
            p50: duration(microseconds: latency.p50Microseconds), p99: duration(microseconds: latency.p99Microseconds),
            max: duration(microseconds: latency.maxMicroseconds))
    }

    /// Renders counts by status as `STATUS count` pairs, the largest first, in English in both languages.
    static func countsByStatus(_ counts: [String: UInt64]) -> String {
        let sorted = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        return sorted.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// Formats a `--fail-if` measurement in its metric's unit: a duration, a rate, a whole count or a percentage.
    static func measured(_ value: Double, metric: FailCondition.Metric) -> String {
        switch metric {
        case .p50, .p90, .p99, .p999, .max, .mean: duration(microseconds: value)
        case .rate, .okRate: rate(value)
        case .errors, .timeouts, .calls: String(format: "%.0f", value)
        case .errorRate: String(format: "%.2f%%", value)
        }
    }

    private func headline(_ text: BenchText) -> String {
        let configuration = configuration
        let mode: String
        if let rate = configuration.rate {
            let steps = rate.steps.map { step in
                let callRate = Self.rate(step.callsPerSecond)
                return step.duration.map { text.stepRate(callRate, seconds: Self.seconds($0.secondsDouble)) }
                    ?? callRate
            }
            mode = text.openLoop(
                steps: steps, maxInFlight: configuration.maxInFlight, connections: configuration.connections,
                threads: configuration.threads)
        } else {
            mode = text.closedLoop(
                concurrency: configuration.concurrency, connections: configuration.connections,
                threads: configuration.threads)
        }
        let bound =
            configuration.requests.map { text.operationCount($0) }
            ?? configuration.duration.map { Self.seconds($0.secondsDouble) } ?? ""
        let scenario = configuration.scenario.rawValue
        let server = "\(configuration.serverHost):\(configuration.serverPort)"
        let warmup = Self.seconds(configuration.warmup.secondsDouble)
        if interruptedInWarmup {
            return text.headlineStoppedInWarmup(
                scenario: scenario, server: server, mode: mode, warmup: warmup, planned: bound)
        }
        let measured =
            interrupted ? text.stoppedEarly(measured: Self.seconds(results.measuredSeconds), planned: bound) : bound
        return text.headline(scenario: scenario, server: server, mode: mode, bound: measured, warmup: warmup)
    }

    /// Lists the percentiles under their `--fail-if` names, or a "none" wording when no operation is in
    /// `latency`.
    static func latencyLine(_ latency: LatencySummary, text: BenchText) -> String {
        guard latency.count > 0 else {
            return text.noLatency
        }
        return [
            ("p50", latency.p50Microseconds), ("p90", latency.p90Microseconds), ("p99", latency.p99Microseconds),
            ("p99.9", latency.p999Microseconds), ("max", latency.maxMicroseconds), ("mean", latency.meanMicroseconds),
        ].map { "\($0.0) \(duration(microseconds: $0.1))" }.joined(separator: "  ")
    }

    /// Formats microseconds with three significant digits in µs, ms or s.
    static func duration(microseconds: Double) -> String {
        if microseconds < 1_000 {
            return String(format: microseconds < 100 ? "%.1fµs" : "%.0fµs", microseconds)
        }
        if microseconds < 1_000_000 {
            let milliseconds = microseconds / 1_000
            return String(
                format: milliseconds < 10 ? "%.2fms" : (milliseconds < 100 ? "%.1fms" : "%.0fms"), milliseconds)
        }
        return String(format: "%.2fs", microseconds / 1_000_000)
    }

    /// Renders a rate in whole calls per second, with one decimal below 100/s when it is not whole, so that
    /// 3.53/s does not show as 4/s.
    static func rate(_ perSecond: Double) -> String {
        if perSecond < 100, abs(perSecond - perSecond.rounded()) >= 0.05 {
            return String(format: "%.1f/s", perSecond)
        }
        return String(format: "%.0f/s", perSecond)
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.2fs", value)
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }
}
