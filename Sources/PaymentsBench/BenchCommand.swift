import Foundation
import PaymentsCommandLine

/// `payments bench`: a load generator for the service's TCP endpoint.
///
/// Runs one scenario in closed loop, with a fixed number of operations in flight, or in open loop, with
/// operations started at a fixed or stepped rate and latency measured from the intended start. Then it
/// prints percentiles, rates and counts by status, as a table or as JSON with the configuration echoed.
public enum BenchCommand {
    /// Exit status when the run completed and no `--fail-if` condition holds.
    public static let exitSuccess: Int32 = 0
    /// Exit status when a `--fail-if` condition holds.
    public static let exitConditionHeld: Int32 = 1
    /// Exit status for an unusable command line, or a token that is missing or that the server rejects.
    public static let exitUsage: Int32 = 2
    /// Exit status when the run could not start or measured nothing, for example because the server is down.
    public static let exitRunFailed: Int32 = 3
    /// Exit status after a Ctrl-C, once the report of the operations that ran is printed.
    public static let exitInterrupted: Int32 = 130

    /// Parses `arguments` (those after `bench`), runs the load and prints the report.
    ///
    /// Returns the process exit status: 0, or 1 when a `--fail-if` condition is met, 2 for a usage error or
    /// a token the server rejects, 3 when setup failed, the server is unavailable or no operation succeeded.
    /// Prints its help on `--help`. Help, messages, the progress line and the text report are in Spanish when
    /// the locale variables of `environment` are Spanish. The `--json` report is the same in every language.
    public static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(helpText(in: Language(environment: environment)))
            return exitSuccess
        }
        let configuration: BenchConfiguration
        do {
            configuration = try BenchConfiguration.parse(arguments: arguments, environment: environment)
        } catch {
            writeError("payments bench: \(error)")
            return exitUsage
        }
        return await run(configuration)
    }

    /// Runs a parsed configuration and prints the report; returns the exit status as `run(arguments:environment:)`.
    public static func run(_ configuration: BenchConfiguration) async -> Int32 {
        let text = BenchText(language: configuration.language)
        let driver: ScenarioDriver
        do {
            driver = try ScenarioDriver(configuration: configuration)
        } catch {
            writeError("payments bench: " + text.clientLoopsFailed(error.message))
            return exitRunFailed
        }

        var scenarios: Set<BenchScenario> = [configuration.scenario]
        if configuration.scenario == .mixed {
            scenarios.formUnion(configuration.mix.scenarios)
        }
        let interrupt = BenchInterrupt(
            watchingSIGINTWith: "payments bench: " + text.interrupted,
            beforeLoad: "payments bench: " + text.interruptedBeforeLoad)
        defer { interrupt.cancel() }
        if let status = await prepare(scenarios, driver: driver, configuration: configuration) {
            await driver.close()
            return status
        }
        // After the probe, every connection has the server's SETTINGS and so its limit of open calls.
        if let warning = callsPerConnectionWarning(for: configuration, announcedLimit: driver.serverCallLimit()) {
            writeError("payments bench: " + warning)
        }

        interrupt.loadStarted()
        let (results, measureStart) = await measure(configuration, driver: driver, interrupt: interrupt)
        await driver.close()
        let report = BenchReport(
            configuration: configuration, results: results, interrupted: interrupt.isRequested,
            interruptedInWarmup: interrupt.requestedAt.map { $0 < measureStart } ?? false)
        print(configuration.json ? report.jsonText() : report.text())
        if interrupt.isRequested {
            writeError("payments bench: " + text.interruptedReport)
            return exitInterrupted
        }

        if results.completed == 0 {
            writeError("payments bench: " + text.nothingCompleted)
            return exitRunFailed
        }
        if results.succeeded == 0 {
            let server = "\(configuration.serverHost):\(configuration.serverPort)"
            if results.outcomes.keys.sorted() == ["UNAVAILABLE"] {
                writeError("payments bench: " + text.serverUnavailable(server))
            } else {
                writeError("payments bench: " + everyOperationFailedMessage(results, text: text))
            }
            return exitRunFailed
        }
        return report.failed ? exitConditionHeld : exitSuccess
    }

    /// Sets up the scenarios' data and runs one probe operation of each, unmeasured; returns the exit status
    /// when the run cannot go on, or nil.
    ///
    /// The probe finds a rejected token or a stopped server with one call instead of a run of failures.
    /// Other probe failures let the run go on, so that the report counts them.
    static func prepare(
        _ scenarios: Set<BenchScenario>, driver: ScenarioDriver, configuration: BenchConfiguration
    ) async -> Int32? {
        do {
            try await driver.prepare(for: scenarios)
        } catch {
            if let rpcError = error.rpcError, let failure = stoppingFailure(rpcError, configuration: configuration) {
                writeError("payments bench: " + failure.message)
                return failure.status
            }
            writeError("payments bench: \(error)")
            return exitRunFailed
        }
        if let rpcError = await driver.probe(scenarios),
            let failure = stoppingFailure(rpcError, configuration: configuration)
        {
            writeError("payments bench: " + failure.message)
            return failure.status
        }
        return nil
    }

    /// Runs the warmup and the measured phase with a progress line, and returns the measured results.
    static func measure(
        _ configuration: BenchConfiguration, driver: ScenarioDriver, interrupt: BenchInterrupt = BenchInterrupt()
    ) async -> (results: BenchResults, measureStart: ContinuousClock.Instant) {
        let recorder = BenchRecorder(stepCount: configuration.rate?.steps.count ?? 0)
        var generator = LoadGenerator(configuration: configuration, driver: driver, recorder: recorder)
        generator.interrupt = interrupt
        let start = ContinuousClock.now
        let measureStart = start + configuration.warmup

        let progress: Task<Void, Never>? =
            configuration.quiet
            ? nil
            : Task {
                await ProgressPrinter(
                    recorder: recorder, interval: configuration.progressInterval,
                    text: BenchText(language: configuration.language)
                )
                .run(start: start, measureStart: measureStart)
            }
        let intended = await generator.run(start: start)
        progress?.cancel()
        await progress?.value

        let results = recorder.results(measureStart: measureStart, intended: intended, schedule: configuration.rate)
        return (results, measureStart)
    }

    static func writeError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
