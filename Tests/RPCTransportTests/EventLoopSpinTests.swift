import Foundation
import Synchronization
import Testing

@testable import RPCTransport

@Suite("Event loop polling while work is awaited")
struct EventLoopSpinTests {
    /// Queues an empty job on the loop from another thread and waits until it ran.
    private func runOnLoop(_ loop: EventLoop) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                loop.execute { continuation.resume() }
            }
        }
    }

    @Test("work from another thread reaches a polling loop without a wake-up")
    func catchesWorkWhilePolling() async throws {
        let awaited = Atomic<Bool>(true)
        let loop = try EventLoop()
        loop.spinWait = SpinWait(limit: .seconds(30)) { awaited.load(ordering: .relaxed) }
        loop.start(name: "spin-test")
        defer { loop.execute { loop.stop() } }

        for _ in 0..<5 {
            await runOnLoop(loop)
        }

        #expect(loop.eventsCaughtSpinning.load(ordering: .relaxed) >= 5)
        awaited.store(false, ordering: .relaxed)
    }

    @Test("a loop sleeps when nothing is awaited")
    func sleepsWhenNothingIsAwaited() async throws {
        let awaited = Atomic<Bool>(false)
        let loop = try EventLoop()
        loop.spinWait = SpinWait(limit: .seconds(30)) { awaited.load(ordering: .relaxed) }
        loop.start(name: "spin-test")
        defer { loop.execute { loop.stop() } }

        for _ in 0..<5 {
            await runOnLoop(loop)
        }

        #expect(loop.eventsCaughtSpinning.load(ordering: .relaxed) == 0)
    }

    @Test("the limit bounds each poll")
    func limitBoundsThePoll() async throws {
        let awaited = Atomic<Bool>(true)
        let loop = try EventLoop()
        loop.spinWait = SpinWait(limit: .milliseconds(1)) { awaited.load(ordering: .relaxed) }
        loop.start(name: "spin-test")
        defer { loop.execute { loop.stop() } }

        await runOnLoop(loop)
        let before = loop.turnCount.load(ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(500))
        let turns = loop.turnCount.load(ordering: .relaxed) - before

        // The loop sleeps up to 50 ms after each 1 ms poll: about 10 turns here. Polling without a limit
        // would end no turn at all, and a loop that never slept would turn hundreds of times.
        #expect(turns >= 2, "the loop turned \(turns) times in 500 ms")
        #expect(turns < 100, "the loop turned \(turns) times in 500 ms")
        awaited.store(false, ordering: .relaxed)
    }

    @Test("a timer due during a poll runs on time")
    func timersCutThePoll() async throws {
        let awaited = Atomic<Bool>(true)
        let loop = try EventLoop()
        loop.spinWait = SpinWait(limit: .seconds(30)) { awaited.load(ordering: .relaxed) }
        loop.start(name: "spin-test")
        defer { loop.execute { loop.stop() } }
        let scheduled = ContinuousClock.now

        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.schedule(at: scheduled + .milliseconds(50)) { continuation.resume() }
        }

        let late = ContinuousClock.now - scheduled
        // A poll that ignored the timer would hold it for the whole 30 s limit.
        #expect(late < .seconds(10), "the timer ran after \(late)")
        awaited.store(false, ordering: .relaxed)
    }
}
