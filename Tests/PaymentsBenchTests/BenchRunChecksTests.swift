import PaymentsCommandLine
import RPCMessages
import RPCTransport
import Testing

@testable import PaymentsBench

@Suite("Bench step rates and run checks")
struct BenchRunChecksTests {
    /// Records `count` operations of `step`, the last completing `completion` after the measured start.
    static func record(
        _ recorder: BenchRecorder, count: Int, failed: Int = 0, step: Int, start: ContinuousClock.Instant,
        completion: Duration, startDelay: Duration = .zero
    ) {
        for index in 0..<count {
            let outcome: CallOutcome =
                index < failed ? .failed(status: "RESOURCE_EXHAUSTED", domainCode: "") : .succeeded
            recorder.operationStarted()
            recorder.record(
                outcome, latency: .milliseconds(1), measured: true, completedAt: start + completion,
                startDelay: startDelay, step: step)
        }
    }

    @Test("step rate counts time to last completion")
    func stepRateFromCompletions() throws {
        let schedule = try RateSchedule.parse("2000:1s,500:1s")
        let recorder = BenchRecorder(stepCount: 2)
        let start = ContinuousClock.now
        Self.record(
            recorder, count: 2_000, failed: 100, step: 0, start: start, completion: .seconds(2),
            startDelay: .milliseconds(900))
        Self.record(recorder, count: 500, step: 1, start: start, completion: .milliseconds(2_500))

        let intended = IntendedLoad(calls: [2_000, 500], windows: [.seconds(1), .seconds(1)])
        let steps = recorder.results(measureStart: start, intended: intended, schedule: schedule).steps

        try #require(steps.count == 2)
        #expect(steps[0].targetRate == 2_000)
        #expect(abs(steps[0].achievedRate - 1_000) < 0.001)
        #expect(steps[0].succeeded == 1_900)
        #expect(steps[0].failed == 100)
        #expect(steps[0].completed == 2_000)
        #expect(abs(steps[0].maxStartDelayMicroseconds - 900_000) < 0.001)
        #expect(abs(steps[1].seconds - 1.5) < 0.000_001)
        #expect(abs(steps[1].achievedRate - 500 / 1.5) < 0.001)
        #expect(steps[1].maxStartDelayMicroseconds == 0)
    }

    /// Renders the text report of `results` for an open-loop run at `rate` (as `--rate` takes it) in `language`.
    static func reportText(
        _ results: BenchResults, rate: String, language: Language, interrupted: Bool = false,
        inWarmup: Bool = false
    ) throws -> String {
        var configuration = try BenchConfiguration.parse(arguments: ["--rate", rate], environment: [:])
        configuration.language = language
        return BenchReport(
            configuration: configuration, results: results, interrupted: interrupted, interruptedInWarmup: inWarmup
        ).text()
    }

    @Test("Ctrl-C in the warmup headline", arguments: [Language.english, .spanish])
    func warmupInterruptHeadline(language: Language) throws {
        let results = BenchRecorder().results(measureStart: .now)

        let text = try Self.reportText(results, rate: "5", language: language, interrupted: true, inWarmup: true)

        let headline = try #require(text.split(separator: "\n").first)
        let expected =
            language == .english
            ? ", stopped by Ctrl-C in the 1.00s warmup (planned: 10.00s)"
            : ", detenido con Ctrl-C durante los 1.00s de calentamiento (previsto: 10.00s)"
        #expect(headline.hasSuffix(expected), "\(headline)")
    }

    @Test("headline names client threads", arguments: [Language.english, .spanish])
    func threadsHeadline(language: Language) throws {
        var configuration = try BenchConfiguration.parse(
            arguments: ["--connections", "8", "--concurrency", "16", "--threads", "4"], environment: [:])
        configuration.language = language
        var single = configuration
        single.threads = 1
        let results = BenchRecorder().results(measureStart: .now)

        let headline = BenchReport(configuration: configuration, results: results).text().split(separator: "\n")[0]
        let singleHeadline = BenchReport(configuration: single, results: results).text().split(separator: "\n")[0]

        let expected =
            language == .english
            ? "16 in flight over 8 connections on 4 threads," : "16 en curso entre 8 conexiones en 4 hilos,"
        #expect(headline.contains(expected), "\(headline)")
        #expect(!singleHeadline.contains("threads"), "\(singleHeadline)")
        #expect(!singleHeadline.contains("hilos"), "\(singleHeadline)")
    }

    @Test("Ctrl-C headline gives the measured time", arguments: [Language.english, .spanish])
    func interruptedHeadline(language: Language) throws {
        let recorder = BenchRecorder()
        let start = ContinuousClock.now
        Self.record(recorder, count: 10, step: 0, start: start, completion: .milliseconds(1_810))
        let intended = IntendedLoad(calls: [10], windows: [.seconds(2)])
        let results = recorder.results(measureStart: start, intended: intended, schedule: RateSchedule(constant: 5))

        let stopped = try Self.reportText(results, rate: "5", language: language, interrupted: true)
        let finished = try Self.reportText(results, rate: "5", language: language)

        let headline = try #require(stopped.split(separator: "\n").first)
        let expected =
            language == .english
            ? "2.00s, stopped by Ctrl-C (planned: 10.00s) after"
            : "2.00s, detenido con Ctrl-C (previsto: 10.00s) tras"
        #expect(headline.contains(expected), "\(headline)")
        // Without --duration a run lasts the default 10 s.
        let finishedHeadline = try #require(finished.split(separator: "\n").first)
        #expect(finishedHeadline.contains("10.00s"), "\(finishedHeadline)")
        #expect(!finishedHeadline.contains("Ctrl-C"), "\(finishedHeadline)")
    }

    @Test("low open-loop rate reports the intended rate", arguments: [Language.english, .spanish])
    func lowRateNotOverTarget(language: Language) throws {
        // 10 calls at 5/s over 2 s: the last one is sent at 1.8 s and ends at 1.81 s.
        let recorder = BenchRecorder()
        let start = ContinuousClock.now
        Self.record(recorder, count: 10, step: 0, start: start, completion: .milliseconds(1_810))
        let intended = IntendedLoad(calls: [10], windows: [.seconds(2)])

        let results = recorder.results(measureStart: start, intended: intended, schedule: RateSchedule(constant: 5))

        #expect(abs(results.measuredSeconds - 2) < 0.000_001)
        #expect(abs(results.achievedRate - 5) < 0.000_001)
        #expect(try #require(results.targetRate) == 5)
        let text = try Self.reportText(results, rate: "5", language: language)
        #expect(text.contains("(100.0%)"), "\(text)")
    }

    @Test("Ctrl-C in the warmup reports nothing measured", arguments: [Language.english, .spanish])
    func interruptedInWarmup(language: Language) throws {
        let recorder = BenchRecorder()

        let results = recorder.results(
            measureStart: ContinuousClock.now, intended: IntendedLoad(stepCount: 1), schedule: RateSchedule(constant: 5)
        )

        #expect(results.targetRate == 5)
        let lines = try Self.reportText(results, rate: "5", language: language).split(separator: "\n")
        let none = language == .english ? "none, no operation ended" : "ninguno, ninguna operación terminó"
        #expect(lines.contains { $0.contains(none) }, "\(lines)")
        #expect(!lines.contains { $0.contains("0.0µs") }, "\(lines)")
        #expect(!lines.contains { $0.contains("0.0%") }, "\(lines)")
    }

    @Test("low rates keep one decimal")
    func rateDecimals() {
        #expect(BenchReport.rate(3.53) == "3.5/s")
        #expect(BenchReport.rate(4) == "4/s")
        #expect(BenchReport.rate(987.4) == "987/s")
        #expect(BenchReport.rate(2.999_999_9) == "3/s")
    }

    @Test("late completions lengthen the open-loop window")
    func lateCompletionsLowerRate() {
        let recorder = BenchRecorder()
        let start = ContinuousClock.now
        Self.record(recorder, count: 10, step: 0, start: start, completion: .seconds(4))
        let intended = IntendedLoad(calls: [10], windows: [.seconds(2)])

        let results = recorder.results(measureStart: start, intended: intended, schedule: RateSchedule(constant: 5))

        #expect(abs(results.measuredSeconds - 4) < 0.000_001)
        #expect(abs(results.achievedRate - 2.5) < 0.000_001)
    }

    @Test("steps after a Ctrl-C are marked not reached", arguments: [Language.english, .spanish])
    func unreachedSteps(language: Language) throws {
        let schedule = try RateSchedule.parse("100:2s,200:2s,300:2s")
        let recorder = BenchRecorder(stepCount: 3)
        let start = ContinuousClock.now
        Self.record(recorder, count: 200, step: 0, start: start, completion: .milliseconds(1_990))
        Self.record(recorder, count: 50, step: 1, start: start, completion: .milliseconds(2_200))
        // Stopped 250 ms into the second step: 50 of its calls were intended, none of the third's.
        let intended = IntendedLoad(calls: [200, 50, 0], windows: [.seconds(2), .milliseconds(250), .zero])

        let results = recorder.results(measureStart: start, intended: intended, schedule: schedule)

        try #require(results.steps.count == 3)
        #expect(results.steps[0].reached)
        #expect(abs(results.steps[0].achievedRate - 100) < 0.000_001)
        #expect(results.steps[1].reached)
        #expect(abs(results.steps[1].achievedRate - 200) < 0.000_001)
        #expect(!results.steps[2].reached)
        #expect(results.steps[2].achievedRate == 0)
        #expect(abs(try #require(results.targetRate) - 250 / 2.25) < 0.000_001)
        let lines = try Self.reportText(results, rate: "100:2s,200:2s,300:2s", language: language)
            .split(separator: "\n")
        let notReached = language == .english ? "step 3      300/s not reached" : "escalón 3    300/s no alcanzado"
        #expect(lines.contains { $0.contains(notReached) }, "\(lines)")
        let json = BenchReport(configuration: BenchConfiguration(), results: results).jsonText()
        #expect(json.contains("\"reached\" : false"))
    }

    @Test("succeeded rate apart from achieved rate")
    func succeededRate() {
        let recorder = BenchRecorder()
        let start = ContinuousClock.now
        Self.record(recorder, count: 100, failed: 75, step: 0, start: start, completion: .seconds(2))

        let results = recorder.results(measureStart: start)

        #expect(abs(results.achievedRate - 50) < 0.001)
        #expect(abs(results.succeededRate - 12.5) < 0.001)
        let condition = FailCondition(parsing: "ok-rate<20")
        #expect(condition?.metric == .okRate)
        #expect(condition?.isMet(by: results) == true)
        #expect(FailCondition(parsing: "rate<20")?.isMet(by: results) == false)
        let json = BenchReport(configuration: BenchConfiguration(), results: results).jsonText()
        #expect(json.contains("\"succeededRate\" : 12.5"))
        #expect(json.contains("\"achievedRate\" : 50"))
    }

    @Test(
        "calls per connection warning",
        arguments: [
            (["--concurrency", "512"], "--connections 2 or more, or lower --concurrency"),
            (["--concurrency", "512", "--connections", "2"], nil),
            (["--concurrency", "256"], nil),
            // The open-loop default stays within the limit on any number of connections.
            (["--rate", "1000"], nil),
            (["--rate", "1000", "--connections", "3"], nil),
            (["--rate", "1000", "--max-in-flight", "10000"], "--connections 40 or more, or lower --max-in-flight"),
            (["--rate", "1000", "--max-in-flight", "1024", "--connections", "4"], nil),
        ] as [([String], String?)])
    func callsPerConnectionWarning(arguments: [String], expected: String?) throws {
        let configuration = try BenchConfiguration.parse(arguments: arguments, environment: [:])

        let warning = BenchCommand.callsPerConnectionWarning(for: configuration)

        #expect(warning?.hasSuffix(expected ?? "") ?? (expected == nil))
        #expect((warning == nil) == (expected == nil))
        if let warning {
            #expect(warning.contains("calls over it wait in the client"))
        }
    }

    @Test("warning uses the announced limit")
    func announcedLimitWarning() throws {
        let configuration = try BenchConfiguration.parse(arguments: ["--concurrency", "64"], environment: [:])

        let warning = BenchCommand.callsPerConnectionWarning(for: configuration, announcedLimit: 4)
        let withinLimit = BenchCommand.callsPerConnectionWarning(for: configuration, announcedLimit: 64)

        #expect(warning?.contains("above the 4 calls per connection the server announced") == true)
        #expect(warning?.hasSuffix("use --connections 16 or more, or lower --concurrency") == true)
        #expect(withinLimit == nil)
    }

    @Test("Spanish calls per connection warning")
    func spanishWarning() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--concurrency", "600"], environment: ReportSamples.spanish)

        let warning = BenchCommand.callsPerConnectionWarning(for: configuration)

        #expect(warning?.hasPrefix("aviso: puede haber hasta 600 llamadas en curso en una conexión") == true)
        #expect(warning?.hasSuffix("use --connections 3 o más, o reduzca --concurrency") == true)
    }

    @Test("rejected token stops with usage status")
    func rejectedToken() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--scenario", "register", "--token", "bad"], environment: [:])
        let error = RPCError(code: .unauthenticated, message: "unknown token", domainCode: "UNAUTHENTICATED")

        let failure = try #require(BenchCommand.stoppingFailure(error, configuration: configuration))

        #expect(failure.status == BenchCommand.exitUsage)
        #expect(
            failure.message
                == "the server rejected the token from --token (UNAUTHENTICATED: unknown token): pass a valid "
                + "token with --token, PAYMENTS_TOKEN or --token-file")
    }

    @Test("missing scope named from the server")
    func missingScope() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--scenario", "refund"], environment: ["PAYMENTS_TOKEN": "t", "LANG": "es_ES.UTF-8"])
        let error = RPCError(
            code: .permissionDenied, message: "token 'ro' lacks scope 'payments:refund'",
            domainCode: "PERMISSION_DENIED", details: ["missing_scope": "payments:refund"])

        let failure = try #require(BenchCommand.stoppingFailure(error, configuration: configuration))

        #expect(failure.status == BenchCommand.exitUsage)
        #expect(
            failure.message
                == "al token de PAYMENTS_TOKEN le falta el permiso 'payments:refund' que necesita el escenario "
                + "refund: use un token con ese permiso")
    }

    @Test("store outage named apart from the server")
    func storeUnavailable() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--server", "127.0.0.1:7180"], environment: ["PAYMENTS_TOKEN": "t"])
        let error = RPCError(
            code: .unavailable, message: "lost the connection to PostgreSQL", domainCode: "STORE_UNAVAILABLE")
        let failure = try #require(BenchCommand.stoppingFailure(error, configuration: configuration))

        #expect(failure.status == BenchCommand.exitRunFailed)
        #expect(
            failure.message
                == "the server at 127.0.0.1:7180 runs, but its store is unavailable: check the server's log and its "
                + "database (lost the connection to PostgreSQL)")
    }

    @Test("other probe failures let the run go on")
    func otherFailures() {
        let error = RPCError(code: .invalidArgument, message: "bad", domainCode: "INVALID_CURRENCY")

        #expect(BenchCommand.stoppingFailure(error, configuration: BenchConfiguration()) == nil)
    }

    @Test("threads get their own loops")
    func threadsOwnLoops() async throws {
        var configuration = BenchConfiguration()
        configuration.connections = 4
        configuration.threads = 2

        let driver = try ScenarioDriver(configuration: configuration)
        let loops = driver.clients.map { ObjectIdentifier($0.configuration.eventLoop) }
        await driver.close()

        #expect(loops[0] == loops[2])
        #expect(loops[1] == loops[3])
        #expect(loops[0] != loops[1])
        #expect(!loops.contains(ObjectIdentifier(ClientEventLoop.shared)))
    }

    @Test("one thread uses the shared loop")
    func oneThreadSharedLoop() async throws {
        var configuration = BenchConfiguration()
        configuration.connections = 3

        let driver = try ScenarioDriver(configuration: configuration)
        let loops = driver.clients.map { ObjectIdentifier($0.configuration.eventLoop) }
        await driver.close()

        #expect(loops.allSatisfy { $0 == ObjectIdentifier(ClientEventLoop.shared) })
    }

    @Test("probe of a stopped server stops the run")
    func probeStoppedServer() async throws {
        var configuration = BenchConfiguration()
        configuration.serverPort = 1
        configuration.timeout = .seconds(2)
        let driver = try ScenarioDriver(configuration: configuration)

        let error = await driver.probe([.health])
        await driver.close()

        let probeError = try #require(error)
        #expect(probeError.code == .unavailable)
        let failure = try #require(BenchCommand.stoppingFailure(probeError, configuration: configuration))
        #expect(failure.status == BenchCommand.exitRunFailed)
        #expect(failure.message.hasPrefix("the server at 127.0.0.1:1 is unavailable"))
    }

    @Test(
        "final hint follows the failure code",
        arguments: [
            ("UNAUTHENTICATED/UNAUTHENTICATED", "check --token and its scopes"),
            ("INVALID_ARGUMENT/INVALID_CURRENCY", "the server rejected the requests: check --currency"),
            ("DEADLINE_EXCEEDED", "every call timed out: raise --timeout or lower the load"),
            ("RESOURCE_EXHAUSTED", "the server limits calls per connection"),
            ("INTERNAL", "check the server log"),
        ])
    func failureHint(status: String, expected: String) {
        var results = BenchResults(
            measuredSeconds: 1, completed: 10, succeeded: 0, errors: 9, timedOut: 1, warmupOperations: 0,
            targetRate: nil, achievedRate: 10, latency: LatencySummary(LatencyHistogram()),
            latencyAll: LatencySummary(LatencyHistogram()), outcomes: [status: 9], maxStartDelayMicroseconds: nil)
        results.outcomes["OTHER"] = 1

        let message = BenchCommand.everyOperationFailedMessage(results, text: BenchText(language: .english))

        #expect(message.contains(expected), "\(message)")
        if !status.hasPrefix("UNAUTHENTICATED") {
            #expect(!message.contains("--token"), "\(message)")
        }
    }

    @Test("RPC error described without a repeated code")
    func describeError() {
        let unauthenticated = RPCError(code: .unauthenticated, message: "no token", domainCode: "UNAUTHENTICATED")
        let domain = RPCError(code: .failedPrecondition, message: "paid", domainCode: "ORDER_ALREADY_PAID")

        #expect(ScenarioDriver.describe(unauthenticated) == "UNAUTHENTICATED: no token")
        #expect(ScenarioDriver.describe(domain) == "FAILED_PRECONDITION ORDER_ALREADY_PAID: paid")
    }

    @Test("list setup names orders and payments", arguments: [Language.english, .spanish])
    func listSetupMessage(language: Language) {
        let text = BenchText(language: language)

        let message = text.setupFailed(text.ordersToList(100, paymentsEach: 5), status: .permissionDenied)

        #expect(
            message
                == text.pick(
                    "setting up 100 orders to list with 5 payments each failed: check the token and its scopes",
                    "falló la preparación de 100 órdenes para listar con 5 pagos cada una: revise el token y sus "
                        + "permisos"))
    }

    @Test(
        "setup advice follows the status",
        arguments: [
            (StatusCode.deadlineExceeded, "raise --timeout, which setup calls use too"),
            (.unavailable, "check --server and that the server runs"),
            (.resourceExhausted, "check the server log"),
        ] as [(StatusCode, String)])
    func setupAdvice(status: StatusCode, advice: String) {
        let text = BenchText(language: .english)

        let message = text.setupFailed(text.paymentsToRefund(10), status: status)

        #expect(message.contains(": \(advice)"))
        #expect(!message.contains("scopes"))
    }

    @Test("report without successes says none", arguments: [Language.english, .spanish])
    func noLatency(language: Language) throws {
        var configuration = try BenchConfiguration.parse(
            arguments: ["--fail-if", "errors>0,error-rate>50%,calls<5,rate<1"], environment: [:])
        configuration.language = language
        let empty = LatencySummary(LatencyHistogram())
        let results = BenchResults(
            measuredSeconds: 1, completed: 4, succeeded: 0, errors: 4, timedOut: 0, warmupOperations: 0,
            targetRate: nil, achievedRate: 4, latency: empty, latencyAll: empty,
            outcomes: ["UNAVAILABLE": 4], maxStartDelayMicroseconds: nil)

        let lines = BenchReport(configuration: configuration, results: results).text().split(separator: "\n")
            .map(String.init)

        let none = language == .english ? "none, no operation to measure" : "ninguna, no hay operaciones que medir"
        #expect(lines.contains { $0.contains(none) })
        #expect(!lines.contains { $0.contains("0.0µs") })
        let verdicts = lines.filter { $0.contains("fail-if") }
        try #require(verdicts.count == 4)
        #expect(verdicts[0].hasSuffix(" 4)"))
        #expect(verdicts[1].hasSuffix(" 100.00%)"))
        #expect(verdicts[2].hasSuffix(" 4)"))
        #expect(verdicts[3].hasSuffix(" 4/s)"))
    }
}

@Suite("Mixed run results")
struct MixedRunResultsTests {
    @Test("scenarios of a mixed run measured apart")
    func scenariosApart() throws {
        let recorder = BenchRecorder()
        let start = ContinuousClock.now
        let end = start + .seconds(2)
        for index in 0..<300 {
            let scenario: BenchScenario = index < 100 ? .health : .refund
            let outcome: CallOutcome =
                index % 10 == 9 ? .failed(status: "FAILED_PRECONDITION", domainCode: "INVALID_STATE") : .succeeded
            let latency: Duration = scenario == .health ? .microseconds(200) : .milliseconds(3)
            recorder.operationStarted()
            recorder.record(outcome, latency: latency, measured: true, completedAt: end, scenario: scenario)
        }

        let results = recorder.results(measureStart: start)

        try #require(results.scenarios.count == 2)
        let health = results.scenarios[0]
        let refund = results.scenarios[1]
        #expect(health.scenario == "health")
        #expect(health.completed == 100)
        #expect(health.succeeded == 90)
        #expect(health.failed == 10)
        #expect(abs(health.achievedRate - 50) < 0.001)
        #expect(abs(health.latency.p50Microseconds - 200) < 1)
        #expect(health.failures == ["FAILED_PRECONDITION/INVALID_STATE": 10])
        #expect(refund.scenario == "refund")
        #expect(refund.completed == 200)
        #expect(abs(refund.latency.p50Microseconds - 3_000) < 5)
        #expect(results.completed == 300)
    }

    @Test("single scenario run has no breakdown")
    func singleScenario() {
        let recorder = BenchRecorder()
        let start = ContinuousClock.now
        recorder.operationStarted()
        recorder.record(.succeeded, latency: .milliseconds(1), measured: true, completedAt: start + .seconds(1))

        let results = recorder.results(measureStart: start)

        #expect(results.scenarios.isEmpty)
    }

    @Test("report lists each scenario", arguments: [ReportSamples.english, ReportSamples.spanish])
    func reportLines(environment: [String: String]) throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--scenario", "mixed", "--token", "t"], environment: environment)
        let summary = ReportSamples.latency(p50: 900, p90: 1_500, p99: 2_000, p999: 2_500, max: 3_000, mean: 1_000)
        var results = BenchResults(
            measuredSeconds: 10, completed: 300, succeeded: 300, errors: 0, timedOut: 0, warmupOperations: 0,
            targetRate: nil, achievedRate: 30, succeededRate: 30, latency: summary, latencyAll: summary,
            outcomes: ["OK": 300], maxStartDelayMicroseconds: nil)
        results.scenarios = [
            ScenarioResults(
                scenario: "health", completed: 100, succeeded: 100, failed: 0, achievedRate: 10, latency: summary),
            ScenarioResults(
                scenario: "register-confirm", completed: 200, succeeded: 198, failed: 2, achievedRate: 20,
                latency: summary, failures: ["DEADLINE_EXCEEDED": 2]),
        ]

        let lines = BenchReport(configuration: configuration, results: results).text().split(separator: "\n")
            .map(String.init)

        let expected =
            environment == ReportSamples.spanish
            ? [
                "  health            10/s, 100 correctas, 0 fallidas, p50 900µs, p99 2.00ms, max 3.00ms",
                "  register-confirm  20/s, 198 correctas, 2 fallidas, p50 900µs, p99 2.00ms, max 3.00ms "
                    + "(DEADLINE_EXCEEDED 2)",
            ]
            : [
                "  health            10/s, 100 ok, 0 failed, p50 900µs, p99 2.00ms, max 3.00ms",
                "  register-confirm  20/s, 198 ok, 2 failed, p50 900µs, p99 2.00ms, max 3.00ms (DEADLINE_EXCEEDED 2)",
            ]
        let report = BenchReport(configuration: configuration, results: results)
        #expect(lines.filter { $0.hasPrefix("  health") || $0.hasPrefix("  register-confirm") } == expected)
        #expect(report.jsonText().contains("\"scenario\" : \"register-confirm\""))
    }
}
