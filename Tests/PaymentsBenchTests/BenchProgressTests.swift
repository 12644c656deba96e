import Foundation
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
            (1_000, 2_001, 0, "[   2.0s] warming up 999/s, 1200 operations so far, 3 failed, 8 in flight"),
            // The same tick once a measured operation ended.
            (1_000, 2_001, 5, "[   2.0s] measuring 5000/s, 5 measured, 0 errors, 0 timeouts, 8 in flight, p99 2.00ms"),
            // A whole interval in the measured phase reports it even with nothing measured.
            (2_001, 3_001, 0, "[   3.0s] measuring 0/s, 0 measured, 0 errors, 0 timeouts, 8 in flight, p99 2.00ms"),
        ])
    func linePhase(intervalStartMilliseconds: Int, nowMilliseconds: Int, measured: UInt64, expected: String) {
        let printer = ProgressPrinter(
            recorder: BenchRecorder(), interval: .seconds(1), text: BenchText(language: .english))
        let start = ContinuousClock.now
        let measureStart = start + .seconds(2)
        // 1000 warmup operations ended in the interval, so the warmup rate is 1000/s over one second.
        let previous = BenchRecorder.Progress(
            ended: 200, completed: 0, errors: 0, timedOut: 0, warmupOperations: 200, warmupFailures: 0, inFlight: 8,
            p99Nanoseconds: 0)

        let line = printer.line(
            progress(measured: measured), previous: previous, elapsed: .milliseconds(nowMilliseconds),
            intervalStart: start + .milliseconds(intervalStartMilliseconds),
            now: start + .milliseconds(nowMilliseconds),
            measureStart: measureStart)

        #expect(line == expected)
    }

    @Test("measuring rate leaves out warmup")
    func measuringRate() {
        let printer = ProgressPrinter(
            recorder: BenchRecorder(), interval: .seconds(1), text: BenchText(language: .english))
        let start = ContinuousClock.now
        let measureStart = start + .seconds(1)
        let previous = progress(measured: 0)
        // 40000 more warmup operations and 17 measured ones ended in the interval from 0.5s to 1.5s.
        var current = progress(measured: 17)
        current.ended += 40_000
        current.warmupOperations += 40_000

        let line = printer.line(
            current, previous: previous, elapsed: .milliseconds(1_500), intervalStart: start + .milliseconds(500),
            now: start + .milliseconds(1_500), measureStart: measureStart)

        // 17 measured operations in the half second after the warmup.
        #expect(line.hasPrefix("[   1.5s] measuring 34/s, 17 measured,"), "\(line)")
    }

    @Test("results count warmup failures")
    func resultsWarmupFailures() {
        let recorder = BenchRecorder()
        let now = ContinuousClock.now
        for outcome in [CallOutcome.succeeded, .timedOut, .failed(status: "UNAVAILABLE", domainCode: "")] {
            recorder.operationStarted()
            recorder.record(outcome, latency: .milliseconds(2), measured: false, completedAt: now)
        }

        let results = recorder.results(measureStart: now)

        #expect(results.warmupOperations == 3)
        #expect(results.warmupFailures == 2)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: (try? encoder.encode(results)) ?? Data(), as: UTF8.self)
        #expect(json.contains(#""warmupFailures":2"#), "\(json)")
    }
}
