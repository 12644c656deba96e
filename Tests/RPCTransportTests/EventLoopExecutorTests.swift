import Synchronization
import Testing

@testable import RPCTransport

@Suite("Event loop executor")
struct EventLoopExecutorTests {
    @Test("preferring task runs on loop")
    func runsOnLoopThread() async throws {
        let loop = try EventLoop()
        loop.start(name: "executor-test")
        defer { loop.execute { loop.stop() } }

        let onLoop = await Task(executorPreference: loop) {
            loop.inLoopThread
        }.value
        let offLoop = await Task.detached { loop.inLoopThread }.value

        #expect(onLoop)
        #expect(!offLoop)
    }

    @Test("resumed task returns to loop")
    func resumesOnLoopThread() async throws {
        let loop = try EventLoop()
        loop.start(name: "executor-test")
        defer { loop.execute { loop.stop() } }

        let threads = await Task(executorPreference: loop) { () -> [Bool] in
            var seen: [Bool] = []
            for _ in 0..<20 {
                await Task.detached { await Task.yield() }.value
                seen.append(loop.inLoopThread)
            }
            return seen
        }.value

        #expect(threads == Array(repeating: true, count: 20))
    }

    @Test("timers run in order when due")
    func timers() async throws {
        let loop = try EventLoop()
        loop.start(name: "executor-test")
        defer { loop.execute { loop.stop() } }
        // The first timer is due well after all are scheduled, so a pause of this thread between two
        // `schedule` calls on a busy machine cannot let a later timer fire before an earlier one exists.
        let start = ContinuousClock.now + .milliseconds(200)
        let offsets = [30, 5, 20, 0, 10]

        let fired = await withCheckedContinuation { (continuation: CheckedContinuation<[TimerFiring], Never>) in
            let record = TimerRecord(expected: offsets.count, continuation: continuation)
            for offset in offsets {
                let due = start + .milliseconds(offset)
                // Scheduled from this thread, not the loop's, so each earlier timer must wake the loop.
                loop.schedule(at: due) {
                    record.add(TimerFiring(offset: offset, onLoop: loop.inLoopThread, early: ContinuousClock.now < due))
                }
            }
        }

        #expect(fired.map(\.offset) == offsets.sorted())
        #expect(fired.allSatisfy { $0.onLoop })
        #expect(fired.allSatisfy { !$0.early })
    }

    @Test("stopped loop hands jobs off")
    func stoppedLoopHandsJobsOff() async throws {
        let loop = try EventLoop()
        let stopped = StopFlag()
        loop.onStop = { stopped.value.store(true, ordering: .releasing) }
        loop.start(name: "executor-test")
        loop.execute { loop.stop() }
        for _ in 0..<500 where !stopped.isSet {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(stopped.isSet)

        let value = await Task(executorPreference: loop) { 42 }.value

        #expect(value == 42)
    }
}

/// Set by the loop thread once the loop stopped.
private final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }
}

private struct TimerFiring: Sendable {
    let offset: Int
    let onLoop: Bool
    let early: Bool
}

/// Collects timer firings and resumes the test once all arrived; used by the loop thread only.
private final class TimerRecord: @unchecked Sendable {
    private var firings: [TimerFiring] = []
    private let expected: Int
    private let continuation: CheckedContinuation<[TimerFiring], Never>

    init(expected: Int, continuation: CheckedContinuation<[TimerFiring], Never>) {
        self.expected = expected
        self.continuation = continuation
    }

    func add(_ firing: TimerFiring) {
        firings.append(firing)
        if firings.count == expected {
            continuation.resume(returning: firings)
        }
    }
}
