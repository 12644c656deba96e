import Foundation
import Synchronization
import Testing

@testable import PaymentsStorage

/// A connection that does nothing, for jobs that only need a worker thread.
private final class IdleConnection: WorkerConnection {
    var isBroken: Bool { false }
}

@Suite("Worker threads that spin when idle")
struct ConnectionWorkersSpinTests {
    @Test("a worker that spins takes the next job without sleeping")
    func takesJobsWhileSpinning() async throws {
        // The spin outlasts any pause between the jobs, so each of them arrives while the worker polls.
        let workers = ConnectionWorkers(name: "spin-test", threadCount: 1, idleSpin: .seconds(30)) {
            IdleConnection()
        }
        for job in 1...5 {
            let value = try await workers.run { _ in job }
            #expect(value == job)
        }
        #expect(workers.jobsFoundSpinning.load(ordering: .relaxed) == 5)

        let closeStarted = ContinuousClock.now
        await workers.close()
        #expect(ContinuousClock.now - closeStarted < .seconds(20), "close waited for the spin to run out")
    }

    @Test("a long idle time stops the spin")
    func sleepsAfterLongIdle() async throws {
        let workers = ConnectionWorkers(name: "spin-test", threadCount: 1, idleSpin: .milliseconds(500)) {
            IdleConnection()
        }
        defer { Task { await workers.close() } }
        _ = try await workers.run { _ in 0 }
        let afterFirst = workers.jobsFoundSpinning.load(ordering: .relaxed)

        // Idle for longer than the spin: the worker polls once for 500 ms, then sleeps.
        try await Task.sleep(for: .milliseconds(1_200))
        _ = try await workers.run { _ in 1 }
        // That idle time was too long to spin after this job, so this one finds the worker asleep too.
        _ = try await workers.run { _ in 2 }
        #expect(workers.jobsFoundSpinning.load(ordering: .relaxed) == afterFirst)

        // The last idle time was short, so the worker spins again.
        _ = try await workers.run { _ in 3 }
        #expect(workers.jobsFoundSpinning.load(ordering: .relaxed) == afterFirst + 1)
    }

    @Test("without a spin, workers never poll")
    func noSpinByDefault() async throws {
        let workers = ConnectionWorkers(name: "spin-test", threadCount: 2) { IdleConnection() }
        for job in 1...5 {
            _ = try await workers.run { _ in job }
        }
        #expect(workers.jobsFoundSpinning.load(ordering: .relaxed) == 0)
        await workers.close()
    }
}
