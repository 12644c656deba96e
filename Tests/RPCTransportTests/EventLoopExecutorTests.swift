import Synchronization
import Testing

@testable import RPCTransport

@Suite("Event loop executor")
struct EventLoopExecutorTests {
    @Test("a task that prefers the loop runs on its thread")
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

    @Test("a task resumed from another thread comes back to the loop")
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

    @Test("jobs enqueued after the loop stopped still run")
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
