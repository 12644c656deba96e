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
        var previous: UInt64 = 0
        var previousTime = start
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let now = clock.now
            let progress = recorder.progress()
            let rate = Double(progress.ended &- previous) / max(1e-9, (now - previousTime).secondsDouble)
            let output = line(
                progress, rate: rate, elapsed: now - start, intervalStart: previousTime, now: now,
                measureStart: measureStart)
            previous = progress.ended
            previousTime = now
            FileHandle.standardError.write(Data((output + "\n").utf8))
        }
    }

    /// Renders the line of the interval from `intervalStart` to `now`, with `rate` operations per second in it.
    ///
    /// Each tick lands a little after its interval ends, so the tick at the end of the warmup usually comes just
    /// after the measured phase began. Until a measured operation has ended, that tick still shows the warmup,
    /// not a measured phase that has nothing in it yet.
    func line(
        _ progress: BenchRecorder.Progress, rate: Double, elapsed: Duration, intervalStart: ContinuousClock.Instant,
        now: ContinuousClock.Instant, measureStart: ContinuousClock.Instant
    ) -> String {
        let elapsedText = String(format: "%6.1fs", elapsed.secondsDouble)
        let inWarmup = now < measureStart || (intervalStart < measureStart && progress.completed == 0)
        guard !inWarmup else {
            return text.warmupProgress(
                elapsed: elapsedText, rate: BenchReport.rate(rate), operations: progress.warmupOperations,
                failed: progress.warmupFailures, inFlight: progress.inFlight)
        }
        let p99 = BenchReport.duration(microseconds: Double(progress.p99Nanoseconds) / 1_000)
        return text.progress(
            elapsed: elapsedText, rate: BenchReport.rate(rate), measured: progress.completed, errors: progress.errors,
            timedOut: progress.timedOut, inFlight: progress.inFlight, p99: p99)
    }
}
