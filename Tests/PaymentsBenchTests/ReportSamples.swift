@testable import PaymentsBench

/// Configurations and results with fixed numbers, so the rendered reports can be compared line by line.
enum ReportSamples {
    static let english: [String: String] = [:]
    static let spanish = ["LANG": "es_ES.UTF-8"]

    /// Builds a latency summary from percentiles in microseconds. The count is 1, so the report prints the
    /// percentiles, and the minimum stays 0 because the text report does not print it.
    static func latency(
        p50: Double, p90: Double, p99: Double, p999: Double, max: Double, mean: Double
    ) -> LatencySummary {
        var summary = LatencySummary(LatencyHistogram())
        summary.count = 1
        summary.p50Microseconds = p50
        summary.p90Microseconds = p90
        summary.p99Microseconds = p99
        summary.p999Microseconds = p999
        summary.maxMicroseconds = max
        summary.meanMicroseconds = mean
        return summary
    }

    /// Builds the report of the closed-loop register-confirm run shown in the load-testing guides.
    static func closedLoop(environment: [String: String]) throws -> BenchReport {
        let configuration = try BenchConfiguration.parse(
            arguments: [
                "--scenario", "register-confirm", "--connections", "8", "--concurrency", "8", "--duration", "10s",
                "--token", "t", "--run-id", "sample1",
            ],
            environment: environment)
        let summary = latency(p50: 7_830, p90: 12_100, p99: 19_600, p999: 27_400, max: 31_000, mean: 8_100)
        let results = BenchResults(
            measuredSeconds: 10, completed: 9_870, succeeded: 9_870, errors: 0, timedOut: 0, warmupOperations: 812,
            targetRate: nil, achievedRate: 987, succeededRate: 987, latency: summary, latencyAll: summary,
            outcomes: ["OK": 9_870],
            maxStartDelayMicroseconds: nil)
        return BenchReport(configuration: configuration, results: results)
    }

    /// Builds the report of a stepped open-loop run with errors, timeouts and two `--fail-if` conditions.
    static func openLoop(environment: [String: String]) throws -> BenchReport {
        let configuration = try BenchConfiguration.parse(
            arguments: [
                "--scenario", "register", "--rate", "500:2s,1000:2s", "--warmup", "0s",
                "--fail-if", "p99>5ms,errors>100", "--token", "t", "--run-id", "sample2",
            ],
            environment: environment)
        let steps = [
            StepResults(
                targetRate: 500, achievedRate: 500, completed: 1_000, failed: 0,
                latency: latency(p50: 1_200, p90: 2_000, p99: 2_500, p999: 3_000, max: 4_000, mean: 1_300),
                succeeded: 1_000, seconds: 2, maxStartDelayMicroseconds: 300),
            StepResults(
                targetRate: 1_000, achievedRate: 980, completed: 1_950, failed: 50,
                latency: latency(p50: 1_800, p90: 4_000, p99: 9_100, p999: 20_000, max: 1_000_000, mean: 2_400),
                succeeded: 1_900, seconds: 1.99, maxStartDelayMicroseconds: 800),
        ]
        let results = BenchResults(
            measuredSeconds: 4, completed: 2_950, succeeded: 2_900, errors: 40, timedOut: 10, warmupOperations: 0,
            targetRate: 750, achievedRate: 740, succeededRate: 727,
            latency: latency(p50: 1_500, p90: 3_000, p99: 6_200, p999: 9_000, max: 12_000, mean: 2_000),
            latencyAll: latency(p50: 1_600, p90: 3_200, p99: 250_000, p999: 500_000, max: 1_000_000, mean: 5_000),
            outcomes: ["OK": 2_900, "FAILED_PRECONDITION/INVALID_STATE": 40, "DEADLINE_EXCEEDED": 10],
            maxStartDelayMicroseconds: 800, steps: steps)
        return BenchReport(configuration: configuration, results: results)
    }
}
