import Foundation

/// Writes one progress line per interval on standard error while a run goes on.
struct ProgressPrinter: Sendable {
    let recorder: BenchRecorder
    let interval: Duration
    let text: BenchText
    let clock = ContinuousClock()

    /// Prints lines until the calling task is cancelled; each gives the elapsed time, the phase,
    /// the operations per second in the last interval and the running totals.
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
            previous = progress.ended
            previousTime = now
            let elapsed = String(format: "%6.1fs", (now - start).secondsDouble)
            let p99 = BenchReport.duration(microseconds: Double(progress.p99) / 1_000)
            let line = text.progress(
                elapsed: elapsed, inWarmup: now < measureStart, rate: BenchReport.rate(rate),
                measured: progress.completed, errors: progress.errors, timedOut: progress.timedOut,
                inFlight: progress.inFlight, p99: p99)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
