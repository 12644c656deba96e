/// Drives the scenario in closed or open loop and feeds every ended operation to the recorder.
struct LoadGenerator: Sendable {
    let configuration: BenchConfiguration
    let driver: ScenarioDriver
    let recorder: BenchRecorder
    /// Set by the first Ctrl-C: no operation starts after it.
    var interrupt = BenchInterrupt()
    let clock = ContinuousClock()

    /// Runs the warmup and the measured phase and returns when every started operation has ended. An open-loop
    /// run returns the calls it intended to send in its measured phase; a closed-loop run returns nil.
    ///
    /// The warmup ends `configuration.warmup` after `start`; operations that start before then are not measured.
    ///
    /// Operations run on the client event-loop thread of their connection (see `RPCClient.eventLoopExecutor`),
    /// as load generators such as redis-benchmark and wrk run on their event loops. The open loop's schedule
    /// runs on the first connection's loop.
    @discardableResult
    func run(start: ContinuousClock.Instant) async -> IntendedLoad? {
        await withTaskExecutorPreference(driver.executor(forConnection: 0)) {
            if configuration.isOpenLoop {
                return await runOpenLoop(start: start)
            }
            await runClosedLoop(start: start)
            return nil
        }
    }

    /// End of the measured phase, or nil when `--requests` bounds it.
    func stopTime(start: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        configuration.duration.map { start + configuration.warmup + $0 }
    }

    /// Keeps `concurrency` operations in flight; each slot starts its next one when the last ends.
    private func runClosedLoop(start: ContinuousClock.Instant) async {
        let measureStart = start + configuration.warmup
        let stopAt = stopTime(start: start)
        let tickets = SharedCounter()
        let requests = configuration.requests

        await withDiscardingTaskGroup { group in
            for slot in 0..<configuration.concurrency {
                group.addTask(executorPreference: driver.executor(forConnection: slot)) {
                    while true {
                        let begin = clock.now
                        if let stopAt, begin >= stopAt {
                            return
                        }
                        if interrupt.isRequested {
                            return
                        }
                        let measured = begin >= measureStart
                        if measured, let requests, tickets.add(1) >= requests {
                            return
                        }
                        recorder.operationStarted()
                        let (ran, outcome) = await driver.perform(configuration.scenario, connection: slot)
                        let end = clock.now
                        recorder.record(
                            outcome, latency: end - begin, measured: measured, completedAt: end,
                            scenario: mixedScenario(ran))
                    }
                }
            }
        }
    }

    /// Starts operations at the schedule's intended times, whatever earlier ones are doing.
    ///
    /// Latency counts from the intended time, or from the actual start when the generator started
    /// early, so a stall delays the operations queued behind it and shows in the tail. The warmup
    /// runs at the first step's rate.
    private func runOpenLoop(start: ContinuousClock.Instant) async -> IntendedLoad? {
        guard let schedule = configuration.rate else {
            return nil
        }
        var intendedLoad = IntendedLoad(stepCount: schedule.steps.count)
        let measureStart = start + configuration.warmup
        let stepStarts = schedule.steps.indices.map { schedule.startOffset(ofStep: $0) }
        let stopAt = stopTime(start: start)
        let warmupRate = schedule.steps[0].callsPerSecond
        let warmupCalls = RateSchedule.callCount(rate: warmupRate, duration: configuration.warmup)
        let inFlight = SharedCounter()
        let connections = configuration.connections

        await withDiscardingTaskGroup { group in
            var index = 0
            var measuredIndex = 0
            while true {
                let intended: ContinuousClock.Instant
                var step: Int?
                let measured = index >= warmupCalls
                if measured {
                    guard let offset = schedule.intendedOffset(ofCall: measuredIndex) else {
                        break
                    }
                    if let requests = configuration.requests, measuredIndex >= requests {
                        break
                    }
                    intended = measureStart + offset
                    step = schedule.stepIndex(at: offset)
                } else {
                    intended = start + .seconds(Double(index) / warmupRate)
                }
                if let stopAt, intended >= stopAt {
                    break
                }
                await waitUntil(intended)
                while inFlight.load() >= configuration.maxInFlight && !interrupt.isRequested {
                    try? await Task.sleep(for: .microseconds(100))
                }
                if interrupt.isRequested {
                    break
                }
                if let step {
                    intendedLoad.noteCall(
                        step: step, offset: intended - measureStart, stepStart: stepStarts[step],
                        interval: .seconds(1 / schedule.steps[step].callsPerSecond))
                    measuredIndex += 1
                }

                inFlight.add(1)
                let connection = index % connections
                let callStep = step
                index += 1
                group.addTask(executorPreference: driver.executor(forConnection: connection)) {
                    let actual = clock.now
                    recorder.operationStarted()
                    let (ran, outcome) = await driver.perform(configuration.scenario, connection: connection)
                    let end = clock.now
                    let reference = min(actual, intended)
                    recorder.record(
                        outcome, latency: end - reference, measured: measured, completedAt: end,
                        startDelay: actual - intended, step: callStep, scenario: mixedScenario(ran))
                    inFlight.add(-1)
                }
            }
        }
        return intendedLoad
    }

    /// Returns the scenario an operation of a mixed run drew, which the recorder also measures apart, or nil
    /// for a run of one scenario.
    private func mixedScenario(_ ran: BenchScenario) -> BenchScenario? {
        configuration.scenario == .mixed ? ran : nil
    }

    /// Sleeps until `instant` unless it is less than 50 µs away, which a sleep cannot resolve, or until a
    /// Ctrl-C, which is checked every 100 ms.
    private func waitUntil(_ instant: ContinuousClock.Instant) async {
        while !interrupt.isRequested {
            let remaining = instant - clock.now
            guard remaining > .microseconds(50) else {
                return
            }
            let wake = remaining > .milliseconds(100) ? clock.now + .milliseconds(100) : instant
            try? await Task.sleep(until: wake, tolerance: .microseconds(20), clock: clock)
        }
    }
}
