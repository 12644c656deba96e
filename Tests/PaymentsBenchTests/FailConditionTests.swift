import Testing

@testable import PaymentsBench

@Suite("Fail-if conditions")
struct FailConditionTests {
    static func results(p99Microseconds: Double = 4_000, rate: Double = 1_200, errors: UInt64 = 0) -> BenchResults {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: UInt64(p99Microseconds * 1_000))
        return BenchResults(
            measuredSeconds: 10, completed: 100 + errors, succeeded: 100, errors: errors, timedOut: 0,
            warmupOperations: 0, targetRate: nil, achievedRate: rate, latency: LatencySummary(histogram),
            latencyAll: LatencySummary(histogram), outcomes: ["OK": 100], maxStartDelayMicroseconds: nil)
    }

    @Test(
        "parses metric, operator and unit",
        arguments: [
            ("p99<5ms", FailCondition.Metric.p99, FailCondition.Comparison.less, 5_000.0),
            ("p99.9 >= 250us", .p999, .greaterOrEqual, 250),
            ("max>1.5s", .max, .greater, 1_500_000),
            ("mean<=800ns", .mean, .lessOrEqual, 0.8),
            ("rate<1000", .rate, .less, 1_000),
            ("errors>0", .errors, .greater, 0),
            ("errors=0", .errors, .equal, 0),
            ("error-rate>1.5%", .errorRate, .greater, 1.5),
            ("timeouts!=0", .timeouts, .notEqual, 0),
        ])
    func parses(text: String, metric: FailCondition.Metric, comparison: FailCondition.Comparison, threshold: Double) {
        let condition = FailCondition(parsing: text)
        #expect(condition?.metric == metric)
        #expect(condition?.comparison == comparison)
        #expect(condition.map { abs($0.threshold - threshold) < 1e-9 } == true)
    }

    @Test(
        "rejects malformed conditions",
        arguments: ["p99<5", "p98<5ms", "rate>fast", "p99", "<5ms", "p99<-1ms", "errors>1ms"])
    func rejects(text: String) {
        #expect(FailCondition(parsing: text) == nil)
    }

    @Test("list error names the flag and the part")
    func listError() {
        #expect(throws: BenchError.self) { try FailCondition.parseList("p99>5ms,bogus>1") }
        do {
            _ = try FailCondition.parseList("p99>5ms,bogus>1")
        } catch {
            #expect(error.message.contains("--fail-if"))
            #expect(error.message.contains("bogus>1"))
        }
    }

    @Test("evaluates against results")
    func evaluates() throws {
        let results = Self.results(p99Microseconds: 4_000, rate: 1_200, errors: 3)
        let conditions = try FailCondition.parseList(
            "p99>5ms, p99>3ms, rate<1000, errors>0, error-rate>5%, error-rate>2%")
        #expect(conditions.map { $0.isMet(by: results) } == [false, true, false, true, false, true])
    }
}
