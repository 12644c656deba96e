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

    init(configuration: BenchConfiguration, results: BenchResults) {
        self.configuration = configuration
        self.results = results
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

    /// Renders the report as aligned lines for a terminal.
    func text() -> String {
        var lines: [String] = []
        lines.append(headline())
        let results = results
        lines.append(
            "  operations  \(results.completed) in \(Self.seconds(results.measuredSeconds)): "
                + "\(results.succeeded) ok, \(results.errors) errors, \(results.timedOut) timeouts"
                + " (\(results.warmupOperations) more in the warmup)")
        var rate = "  rate        \(Self.rate(results.achievedRate))"
        if let target = results.targetRate {
            rate += " of \(Self.rate(target)) intended (\(Self.percent(results.achievedRate / target)))"
        }
        lines.append(rate)
        lines.append("  latency     " + Self.latencyLine(results.latency) + "  (succeeded)")
        if results.errors + results.timedOut > 0 {
            lines.append("  all         " + Self.latencyLine(results.latencyAll) + "  (failures included)")
        }
        if let delay = results.maxStartDelayMicroseconds {
            lines.append("  start delay max \(Self.duration(microseconds: delay)) behind the schedule")
        }
        for (index, step) in results.steps.enumerated() {
            lines.append(
                "  step \(index + 1)      \(Self.rate(step.achievedRate)) of \(Self.rate(step.targetRate)), "
                    + "\(step.failed) failed, p50 \(Self.duration(microseconds: step.latency.p50Microseconds)), "
                    + "p99 \(Self.duration(microseconds: step.latency.p99Microseconds)), "
                    + "max \(Self.duration(microseconds: step.latency.maxMicroseconds))")
        }
        let outcomes = results.outcomes.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        lines.append("  status      " + outcomes.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for verdict in failIf {
            let shown =
                verdict.condition.hasPrefix("p") || verdict.condition.hasPrefix("m")
                ? Self.duration(microseconds: verdict.measured) : String(format: "%.2f", verdict.measured)
            lines.append(
                "  fail-if     \(verdict.condition): \(verdict.holds ? "holds, run fails" : "does not hold") (measured \(shown))"
            )
        }
        return lines.joined(separator: "\n")
    }

    private func headline() -> String {
        let configuration = configuration
        var mode: String
        if let rate = configuration.rate {
            let steps = rate.steps.map { step in
                step.duration.map { "\(Self.rate(step.callsPerSecond)) for \(Self.seconds($0.secondsDouble))" }
                    ?? Self.rate(step.callsPerSecond)
            }
            mode = "open loop at \(steps.joined(separator: ", then ")), at most \(configuration.maxInFlight) in flight"
        } else {
            mode = "closed loop, \(configuration.concurrency) in flight"
        }
        mode += " over \(configuration.connections) connection\(configuration.connections == 1 ? "" : "s")"
        let bound =
            configuration.requests.map { "\($0) operations" }
            ?? configuration.duration.map { Self.seconds($0.secondsDouble) } ?? ""
        return
            "bench \(configuration.scenario.rawValue) against \(configuration.serverHost):\(configuration.serverPort): "
            + "\(mode), \(bound) after \(Self.seconds(configuration.warmup.secondsDouble)) warmup"
    }

    static func latencyLine(_ latency: LatencySummary) -> String {
        [
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

    static func rate(_ perSecond: Double) -> String {
        String(format: "%.0f/s", perSecond)
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.2fs", value)
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }
}
