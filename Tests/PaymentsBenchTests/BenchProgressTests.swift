import Testing

@testable import PaymentsBench

@Suite("Bench progress counts")
struct BenchProgressTests {
    @Test("warmup counts apart from measured")
    func warmupCounts() {
        let recorder = BenchRecorder()
        let now = ContinuousClock.now
        let warmupOutcomes: [CallOutcome] = [
            .succeeded, .succeeded, .timedOut, .failed(status: "UNAVAILABLE", domainCode: ""),
        ]
        for outcome in warmupOutcomes {
            recorder.operationStarted()
            recorder.record(outcome, latency: .milliseconds(2), measured: false, completedAt: now)
        }
        recorder.operationStarted()

        let warmup = recorder.progress()

        #expect(warmup.warmupOperations == 4)
        #expect(warmup.warmupFailures == 2)
        #expect(warmup.completed == 0)
        #expect(warmup.ended == 4)
        #expect(warmup.inFlight == 1)

        recorder.record(.succeeded, latency: .milliseconds(3), measured: true, completedAt: now)
        let measuring = recorder.progress()

        #expect(measuring.warmupOperations == 4)
        #expect(measuring.completed == 1)
        #expect(measuring.errors == 0)
        #expect(measuring.ended == 5)
        #expect(measuring.inFlight == 0)
    }

    /// Builds counts of a run with 1200 warmup operations, 3 of them failed, and `measured` measured ones.
    private func progress(measured: UInt64) -> BenchRecorder.Progress {
        BenchRecorder.Progress(
            ended: 1_200 + measured, completed: measured, errors: 0, timedOut: 0, warmupOperations: 1_200,
            warmupFailures: 3, inFlight: 8, p99Nanoseconds: 2_000_000)
    }

    @Test(
        "line phase around the warmup end",
        arguments: [
            // A tick inside the warmup.
            (500, 1_500, 0, "[   1.5s] warming up 1000/s, 1200 operations so far, 3 failed, 8 in flight"),
            // The tick just after the warmup ended, before any measured operation ended.
            (1_000, 2_001, 0, "[   2.0s] warming up 1000/s, 1200 operations so far, 3 failed, 8 in flight"),
            // The same tick once a measured operation ended.
            (1_000, 2_001, 5, "[   2.0s] measuring 1000/s, 5 measured, 0 errors, 0 timeouts, 8 in flight, p99 2.00ms"),
            // A whole interval in the measured phase reports it even with nothing measured.
            (2_001, 3_001, 0, "[   3.0s] measuring 1000/s, 0 measured, 0 errors, 0 timeouts, 8 in flight, p99 2.00ms"),
        ])
    func linePhase(intervalStartMilliseconds: Int, nowMilliseconds: Int, measured: UInt64, expected: String) {
        let printer = ProgressPrinter(
            recorder: BenchRecorder(), interval: .seconds(1), text: BenchText(language: .english))
        let start = ContinuousClock.now
        let measureStart = start + .seconds(2)

        let line = printer.line(
            progress(measured: measured), rate: 1_000, elapsed: .milliseconds(nowMilliseconds),
            intervalStart: start + .milliseconds(intervalStartMilliseconds),
            now: start + .milliseconds(nowMilliseconds),
            measureStart: measureStart)

        #expect(line == expected)
    }
}
