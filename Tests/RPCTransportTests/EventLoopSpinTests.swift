import Foundation
import Synchronization
import Testing

@testable import RPCTransport

/// Whether a test's loop should consider work awaited, changed by the test while the loop runs.
private final class AwaitedFlag: Sendable {
    private let value: Atomic<Bool>

    init(_ initial: Bool) {
        value = Atomic(initial)
    }

    var isSet: Bool { value.load(ordering: .relaxed) }

    func clear() {
        value.store(false, ordering: .relaxed)
    }
}

@Suite("Event loop polling while work is awaited")
struct EventLoopSpinTests {
    /// Starts a loop that polls for up to `limit` while `awaited` is set.
    private func startLoop(limit: Duration, awaited: AwaitedFlag) throws -> EventLoop {
        let loop = try EventLoop()
        loop.spinWait = SpinWait(limit: limit) { awaited.isSet }
        loop.start(name: "spin-test")
        return loop
    }

    /// Queues an empty job on the loop from another thread and waits until it ran.
    private func runOnLoop(_ loop: EventLoop) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                loop.execute { continuation.resume() }
            }
        }
    }

    @Test("a polling loop catches queued work")
    func catchesWorkWhilePolling() async throws {
        let awaited = AwaitedFlag(true)
        let loop = try startLoop(limit: .seconds(30), awaited: awaited)
        defer { loop.execute { loop.stop() } }

        for _ in 0..<5 {
            await runOnLoop(loop)
        }

        #expect(loop.eventsCaughtSpinning.load(ordering: .relaxed) >= 5)
        awaited.clear()
    }

    @Test("a loop sleeps when nothing is awaited")
    func sleepsWhenNothingIsAwaited() async throws {
        let awaited = AwaitedFlag(false)
        let loop = try startLoop(limit: .seconds(30), awaited: awaited)
        defer { loop.execute { loop.stop() } }

        for _ in 0..<5 {
            await runOnLoop(loop)
        }

        #expect(loop.eventsCaughtSpinning.load(ordering: .relaxed) == 0)
    }

    @Test("a poll that runs out waits for a task")
    func runOutPollWaitsForTask() async throws {
        let awaited = AwaitedFlag(true)
        let loop = try startLoop(limit: .milliseconds(1), awaited: awaited)
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

        // Work that runs no task, as a PING does, leaves it asleep. A task, as a finished write resumes, lets it
        // poll again.
        await runOnLoop(loop)
        try await Task.sleep(for: .milliseconds(100))
        #expect(loop.pollsStarted.load(ordering: .relaxed) == pollsBefore)
        await Task(executorPreference: loop) {}.value
        try await Task.sleep(for: .milliseconds(100))
        #expect(loop.pollsStarted.load(ordering: .relaxed) > pollsBefore)
        awaited.clear()
    }

    @Test("a timer due during a poll runs on time")
    func timersCutThePoll() async throws {
        let awaited = AwaitedFlag(true)
        let loop = try startLoop(limit: .seconds(30), awaited: awaited)
        defer { loop.execute { loop.stop() } }
        let scheduled = ContinuousClock.now

        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.schedule(at: scheduled + .milliseconds(50)) { continuation.resume() }
        }

        let late = ContinuousClock.now - scheduled
        // A poll that ignored the timer would hold it for the whole 30 s limit.
        #expect(late < .seconds(10), "the timer ran after \(late)")
        awaited.clear()
    }
}
