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

    @Test("a poll that runs out waits for a task")
    func runOutPollWaitsForEvent() async throws {
        let awaited = Atomic<Bool>(true)
        let loop = try EventLoop()
        loop.spinWait = SpinWait(limit: .milliseconds(1)) { awaited.load(ordering: .relaxed) }
        loop.start(name: "spin-test")
        defer { loop.execute { loop.stop() } }

        await Task(executorPreference: loop) {}.value
        try await Task.sleep(for: .milliseconds(100))
        let pollsBefore = loop.pollsStarted.load(ordering: .relaxed)
        let turnsBefore = loop.turnCount.load(ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(500))

        // The loop wakes about every 50 ms with nothing to do and, with the awaited work still pending, does
        // not poll again: a write stuck for seconds costs one poll.
        #expect(loop.turnCount.load(ordering: .relaxed) - turnsBefore >= 2)
        #expect(loop.pollsStarted.load(ordering: .relaxed) == pollsBefore)

        // Work that runs no task, as a PING does, leaves it asleep; a task, as a finished write resumes, lets it
        // poll again.
        await runOnLoop(loop)
        try await Task.sleep(for: .milliseconds(100))
        #expect(loop.pollsStarted.load(ordering: .relaxed) == pollsBefore)
        await Task(executorPreference: loop) {}.value
        try await Task.sleep(for: .milliseconds(100))
        #expect(loop.pollsStarted.load(ordering: .relaxed) > pollsBefore)
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
