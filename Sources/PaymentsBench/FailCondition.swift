import PaymentsCommandLine

/// One `--fail-if` assertion, such as `p99<5ms`, `rate>=1000` or `errors==0`.
///
/// The run fails when the condition is true, so `--fail-if 'p99>5ms'` fails a run whose p99 is above
/// 5 ms. Latency metrics take a unit (`ns`, `us`, `ms`, `s`). `rate` is completed operations per second,
/// failures included, `ok-rate` is succeeded operations per second, and `errors`, `timeouts` and `calls`
/// are counts. `error-rate` is the percentage of operations that
/// failed or timed out, written with or without `%`.
public struct FailCondition: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The measured quantity a condition compares.
    public enum Metric: String, Sendable, Equatable, Codable, CaseIterable {
        case p50, p90, p99
        case p999 = "p99.9"
        case max, mean, rate
        case okRate = "ok-rate"
        case errors, timeouts, calls
        case errorRate = "error-rate"

        /// Whether the metric is a latency that needs a time unit.
        var isLatency: Bool {
            switch self {
            case .p50, .p90, .p99, .p999, .max, .mean: true
            case .rate, .okRate, .errors, .timeouts, .calls, .errorRate: false
            }
        }
    }

    /// A comparison between the measured value and the threshold.
    public enum Comparison: String, Sendable, Equatable, Codable, CaseIterable {
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case greater = ">"

        func holds(_ left: Double, _ right: Double) -> Bool {
            switch self {
            case .less: left < right
            case .lessOrEqual: left <= right
            case .greater: left > right
            case .greaterOrEqual: left >= right
            case .equal: left == right
            case .notEqual: left != right
            }
        }
    }

    public var metric: Metric
    public var comparison: Comparison
    /// Threshold in the metric's base unit: microseconds for latencies, calls per second, a count or a percentage.
    public var threshold: Double
    /// The condition as written.
    public var text: String

    public var description: String { text }

    /// Parses one condition; returns nil with no explanation, so callers name the flag in their error.
    public init?(parsing text: String) {
        let trimmed = text.filter { !$0.isWhitespace }
        let operators = Comparison.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        var found: (Comparison, Range<String.Index>)?
        for candidate in operators {
            if let range = trimmed.range(of: candidate.rawValue) {
                found = (candidate, range)
                break
            }
        }
        if found == nil, let range = trimmed.range(of: "=") {
            found = (.equal, range)
        }
        guard let (comparison, range) = found,
            let metric = Metric(rawValue: String(trimmed[..<range.lowerBound]).lowercased()),
            let threshold = Self.parseThreshold(String(trimmed[range.upperBound...]), for: metric)
        else {
            return nil
        }
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
        self.text = trimmed
    }

    /// Parses a comma-separated list of conditions.
    ///
    /// - Throws: `BenchError.invalidOption` naming `--fail-if` and the condition that does not parse, in `language`.
    public static func parseList(_ text: String, language: Language = .english) throws(BenchError) -> [FailCondition] {
        var conditions: [FailCondition] = []
        for part in text.split(separator: ",") where !part.allSatisfy(\.isWhitespace) {
            guard let condition = FailCondition(parsing: String(part)) else {
                let metrics = Metric.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidOption(
                    name: "fail-if", value: String(part),
                    expected: BenchText(language: language).expectedFailCondition(metrics: metrics), language: language)
            }
            conditions.append(condition)
        }
        return conditions
    }

    /// Returns whether the condition holds for `results`, which fails the run.
    public func isMet(by results: BenchResults) -> Bool {
        comparison.holds(measuredValue(in: results), threshold)
    }

    /// Reads the metric from `results`, in the threshold's unit.
    public func measuredValue(in results: BenchResults) -> Double {
        let latency = results.latency
        switch metric {
        case .p50: return latency.p50Microseconds
        case .p90: return latency.p90Microseconds
        case .p99: return latency.p99Microseconds
        case .p999: return latency.p999Microseconds
        case .max: return latency.maxMicroseconds
        case .mean: return latency.meanMicroseconds
        case .rate: return results.achievedRate
        case .okRate: return results.succeededRate
        case .errors: return Double(results.errors)
        case .timeouts: return Double(results.timedOut)
        case .calls: return Double(results.completed)
        case .errorRate:
            return results.completed == 0
                ? 0 : Double(results.errors + results.timedOut) * 100 / Double(results.completed)
        }
    }

    static func parseThreshold(_ text: String, for metric: Metric) -> Double? {
        if metric.isLatency {
            let units: [(suffix: String, microseconds: Double)] = [
                ("ns", 0.001), ("us", 1), ("µs", 1), ("ms", 1_000), ("s", 1_000_000),
            ]
            for unit in units where text.hasSuffix(unit.suffix) {
                guard let number = Double(text.dropLast(unit.suffix.count)), number.isFinite, number >= 0 else {
                    return nil
                }
                return number * unit.microseconds
            }
            return nil
        }
        var number = Substring(text)
        if metric == .errorRate, number.hasSuffix("%") {
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0 else {
            return nil
        }
        return value
    }
}
