extension BenchText {
    // MARK: Report headline

    /// Renders the first line of the report. `mode` comes from `closedLoop` or `openLoop`, and `bound` from
    /// `operationCount`, a formatted duration or `stoppedEarly`.
    func headline(scenario: String, server: String, mode: String, bound: String, warmup: String) -> String {
        pick(
            "bench \(scenario) against \(server): \(mode), \(bound) after \(warmup) warmup",
            "bench \(scenario) contra \(server): \(mode), \(bound) tras \(warmup) de calentamiento")
    }

    /// Renders the first line of the report of a run that Ctrl-C stopped in its warmup, before anything was
    /// measured.
    func headlineStoppedInWarmup(scenario: String, server: String, mode: String, warmup: String, planned: String)
        -> String
    {
        pick(
            "bench \(scenario) against \(server): \(mode), stopped by Ctrl-C in the \(warmup) warmup "
                + "(planned: \(planned))",
            "bench \(scenario) contra \(server): \(mode), detenido con Ctrl-C durante los \(warmup) de "
                + "calentamiento (previsto: \(planned))")
    }

    func closedLoop(concurrency: Int, connections: Int, threads: Int = 1) -> String {
        pick("closed loop, \(concurrency) in flight", "bucle cerrado, \(concurrency) en curso")
            + overConnections(connections) + onThreads(threads)
    }

    /// Describes the open-loop mode from rates already formatted with `stepRate` or `BenchReport.rate`.
    func openLoop(steps: [String], maxInFlight: Int, connections: Int, threads: Int = 1) -> String {
        pick(
            "open loop at \(steps.joined(separator: ", then ")), at most \(maxInFlight) in flight",
            "bucle abierto a \(steps.joined(separator: ", después ")), como mucho \(maxInFlight) en curso")
            + overConnections(connections) + onThreads(threads)
    }

    /// Names the client threads when there are more than one. The default single thread goes unnamed.
    private func onThreads(_ count: Int) -> String {
        count == 1 ? "" : pick(" on \(count) threads", " en \(count) hilos")
    }

    func stepRate(_ rate: String, seconds: String) -> String {
        pick("\(rate) for \(seconds)", "\(rate) durante \(seconds)")
    }

    private func overConnections(_ count: Int) -> String {
        count == 1
            ? pick(" over 1 connection", " en 1 conexión")
            : pick(" over \(count) connections", " entre \(count) conexiones")
    }

    func operationCount(_ count: Int) -> String {
        pick("\(count) operations", "\(count) operaciones")
    }

    /// Formats the headline's bound for a run that Ctrl-C stopped, with the time measured and the configured
    /// bound.
    func stoppedEarly(measured: String, planned: String) -> String {
        pick(
            "\(measured), stopped by Ctrl-C (planned: \(planned))",
            "\(measured), detenido con Ctrl-C (previsto: \(planned))")
    }

    // MARK: Report lines

    /// Renders the line of operation counts.
    func operations(
        completed: UInt64, seconds: String, succeeded: UInt64, errors: UInt64, timedOut: UInt64, warmup: UInt64
    ) -> String {
        pick(
            "  operations  \(completed) in \(seconds): \(succeeded) ok, \(errors) errors, \(timedOut) timeouts"
                + " (\(warmup) more in the warmup)",
            "  operaciones  \(completed) en \(seconds): \(succeeded) correctas, \(errors) errores, \(timedOut) vencidas"
                + " (\(warmup) más en el calentamiento)")
    }

    func rate(_ achieved: String) -> String {
        pick("  rate        \(achieved)", "  ritmo        \(achieved)")
    }

    /// Renders the open-loop end of the rate line: the intended rate and the share of it reached.
    func intendedRate(_ target: String, share: String) -> String {
        pick(" of \(target) intended (\(share))", " de \(target) previstos (\(share))")
    }

    /// Renders the end of the rate line: the rate of succeeded operations alone.
    func succeededRate(_ rate: String) -> String {
        pick(", \(rate) succeeded", ", \(rate) con éxito")
    }

    /// Stands for the latency percentiles when no operation was measured.
    var noLatency: String {
        pick("none, no operation to measure", "ninguna, no hay operaciones que medir")
    }

    /// Renders the latency of succeeded operations. `summary` lists the metrics under their `--fail-if` names.
    func latency(_ summary: String) -> String {
        pick("  latency     \(summary)  (succeeded)", "  latencia     \(summary)  (con éxito)")
    }

    func latencyAll(_ summary: String) -> String {
        pick("  all         \(summary)  (failures included)", "  todas        \(summary)  (fallos incluidos)")
    }

    func startDelay(_ delay: String) -> String {
        pick(
            "  start delay max \(delay) behind the schedule",
            "  retraso máximo de inicio \(delay) respecto al calendario")
    }

    /// Renders one step of a stepped rate; `latency` comes from `stepLatency` or `noLatency`.
    func stepNotReached(number: Int, target: String) -> String {
        pick(
            "  step \(number)      \(target) not reached: the run stopped before this step",
            "  escalón \(number)    \(target) no alcanzado: la prueba paró antes de este escalón")
    }

    func step(
        number: Int, achieved: String, target: String, succeeded: UInt64, failed: UInt64, latency: String,
        startDelay: String
    ) -> String {
        pick(
            "  step \(number)      \(achieved) of \(target), \(succeeded) ok, \(failed) failed, \(latency), "
                + "start delay max \(startDelay)",
            "  escalón \(number)    \(achieved) de \(target), \(succeeded) correctas, \(failed) fallidas, \(latency), "
                + "retraso máximo de inicio \(startDelay)")
    }

    /// Renders one scenario of a mixed run; the scenario keeps its `--mix` name in both languages.
    func scenario(_ name: String, achieved: String, succeeded: UInt64, failed: UInt64, latency: String) -> String {
        pick(
            "  \(name)  \(achieved), \(succeeded) ok, \(failed) failed, \(latency)",
            "  \(name)  \(achieved), \(succeeded) correctas, \(failed) fallidas, \(latency)")
    }

    /// Lists a step's percentiles under their `--fail-if` names, the same in both languages.
    func stepLatency(p50: String, p99: String, max: String) -> String {
        "p50 \(p50), p99 \(p99), max \(max)"
    }

    /// Renders the counts by status from `STATUS count` pairs, which stay in English.
    var noStatus: String {
        pick("none, no operation ended after the warmup", "ninguno, ninguna operación terminó tras el calentamiento")
    }

    func statuses(_ counts: String) -> String {
        pick("  status      \(counts)", "  estados      \(counts)")
    }

    /// Renders a `--fail-if` verdict with the condition as written.
    func verdict(condition: String, holds: Bool, measured: String) -> String {
        let outcome =
            holds
            ? pick("holds, run fails", "se cumple, la ejecución falla") : pick("does not hold", "no se cumple")
        return pick(
            "  fail-if     \(condition): \(outcome) (measured \(measured))",
            "  fail-if      \(condition): \(outcome) (medido \(measured))")
    }

    // MARK: Progress

    /// Renders one progress line of the measured phase from values already formatted.
    func progress(
        elapsed: String, rate: String, measured: UInt64, errors: UInt64, timedOut: UInt64, inFlight: Int, p99: String
    ) -> String {
        pick(
            "[\(elapsed)] measuring \(rate), \(measured) measured, \(errors) errors, \(timedOut) timeouts, "
                + "\(inFlight) in flight, p99 \(p99)",
            "[\(elapsed)] midiendo \(rate), \(measured) medidas, \(errors) errores, \(timedOut) vencidas, "
                + "\(inFlight) en curso, p99 \(p99)")
    }

    /// Renders one progress line of the warmup: the operations ended so far and how many of them failed or timed
    /// out, since nothing is measured yet.
    func warmupProgress(elapsed: String, rate: String, operations: UInt64, failed: UInt64, inFlight: Int) -> String {
        pick(
            "[\(elapsed)] warming up \(rate), \(operations) operations so far, \(failed) failed, "
                + "\(inFlight) in flight",
            "[\(elapsed)] calentando \(rate), \(operations) operaciones hasta ahora, \(failed) fallidas, "
                + "\(inFlight) en curso")
    }
}
