import Foundation

/// Writes one progress line per interval on standard error while a run goes on.
struct ProgressPrinter: Sendable {
    let recorder: BenchRecorder
    let interval: Duration
    let text: BenchText
    let clock = ContinuousClock()

    /// Prints lines until the calling task is cancelled; each gives the elapsed time, the phase,
    /// the operations per second in the last interval and the running totals of that phase.
    func run(start: ContinuousClock.Instant, measureStart: ContinuousClock.Instant) async {
        var previous = recorder.progress()
        var previousTime = start
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let now = clock.now
            let progress = recorder.progress()
            let output = line(
                progress, previous: previous, elapsed: now - start, intervalStart: previousTime, now: now,
                measureStart: measureStart)
            previous = progress
            previousTime = now
            FileHandle.standardError.write(Data((output + "\n").utf8))
        }
    }

    /// Renders the line of the interval from `intervalStart` to `now`; `previous` is the counts at `intervalStart`.
    ///
    /// Each tick lands a little after its interval ends, so the tick at the end of the warmup usually comes just
    /// after the measured phase began. Until a measured operation has ended, that tick still shows the warmup,
    /// not a measured phase that has nothing in it yet. The measuring rate counts only measured operations, over
    /// the part of the interval after `measureStart`, because no measured operation ends before it.
    func line(
        _ progress: BenchRecorder.Progress, previous: BenchRecorder.Progress, elapsed: Duration,
        intervalStart: ContinuousClock.Instant, now: ContinuousClock.Instant, measureStart: ContinuousClock.Instant
    ) -> String {
        let elapsedText = String(format: "%6.1fs", elapsed.secondsDouble)
        let inWarmup = now < measureStart || (intervalStart < measureStart && progress.completed == 0)
        guard !inWarmup else {
            let rate = Self.rate(progress.ended &- previous.ended, from: intervalStart, to: now)
            return text.warmupProgress(
                elapsed: elapsedText, rate: BenchReport.rate(rate), operations: progress.warmupOperations,
                failed: progress.warmupFailures, inFlight: progress.inFlight)
        }
        let rate = Self.rate(progress.completed &- previous.completed, from: max(intervalStart, measureStart), to: now)
        let p99 = BenchReport.duration(microseconds: Double(progress.p99Nanoseconds) / 1_000)
        return text.progress(
            elapsed: elapsedText, rate: BenchReport.rate(rate), measured: progress.completed, errors: progress.errors,
            timedOut: progress.timedOut, inFlight: progress.inFlight, p99: p99)
    }

    /// Returns `operations` per second over the time from `start` to `end`.
    private static func rate(_ operations: UInt64, from start: ContinuousClock.Instant, to end: ContinuousClock.Instant)
        -> Double
    {
        Double(operations) / max(1e-9, (end - start).secondsDouble)
    }
}
