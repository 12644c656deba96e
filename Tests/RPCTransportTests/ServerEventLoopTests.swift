import Foundation
import Synchronization
import Testing

@testable import RPCTransport

#if canImport(Glibc)
    import Glibc
#endif

/// Handler calls seen on a watched descriptor, in order; written on the loop thread, read by the test.
private final class WatchRecord: Sendable {
    private let calls = Mutex<[Bool]>([])
    private let waiter = Mutex<(count: Int, continuation: CheckedContinuation<Void, Never>)?>(nil)

    func record(writable: Bool) {
        let count = calls.withLock { calls in
            calls.append(writable)
            return calls.count
        }
        let ready = waiter.withLock { waiter -> CheckedContinuation<Void, Never>? in
            guard let (expected, continuation) = waiter, count >= expected else {
                return nil
            }
            waiter = nil
            return continuation
        }
        ready?.resume()
    }

    var seen: [Bool] {
        calls.withLock { $0 }
    }

    /// Waits until `count` calls were recorded.
    func wait(for count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = calls.withLock { calls in
                guard calls.count < count else {
                    return true
                }
                waiter.withLock { $0 = (count, continuation) }
                return false
            }
            if done {
                continuation.resume()
            }
        }
    }
}

/// Names of steps in the order they ran, from any thread.
private final class StepRecord: Sendable {
    private let names = Mutex<[String]>([])

    func append(_ name: String) {
        names.withLock { $0.append(name) }
    }

    var steps: [String] {
        names.withLock { $0 }
    }
}

@Suite("Server event loop for outside descriptors")
struct ServerEventLoopTests {
    /// Runs `body` on `loop`'s thread and returns what it returns.
    private func onLoop<T: Sendable>(_ loop: ServerEventLoop, _ body: @escaping @Sendable () throws -> T) async throws
        -> T
    {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let queued = loop.execute {
                continuation.resume(with: Result { try body() })
            }
            if !queued {
                continuation.resume(throwing: RPCTransportError(.invalidState, "the loop stopped"))
            }
        }
    }

    private func socketPair() throws -> (Int32, Int32) {
        var descriptors: [Int32] = [-1, -1]
        let status = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &descriptors)
        try #require(status == 0)
        return (descriptors[0], descriptors[1])
    }

    @Test("watch reports readable, writable, then nothing")
    func watchLifecycle() async throws {
        let (server, _) = try startTestServer()
        let loop = try #require(server.eventLoops.first)
        let (watched, peer) = try socketPair()
        defer {
            close(watched)
            close(peer)
        }
        let record = WatchRecord()

        try await onLoop(loop) {
            try loop.watch(watched) { writable in
                var buffer = [UInt8](repeating: 0, count: 16)
                _ = read(watched, &buffer, buffer.count)
                record.record(writable: writable)
            }
        }
        var byte: UInt8 = 7
        #expect(write(peer, &byte, 1) == 1)
        await record.wait(for: 1)
        // The socket's send buffer is empty, so asking for writability reports it at once.
        try await onLoop(loop) { loop.setWritable(true, for: watched) }
        await record.wait(for: 2)
        try await onLoop(loop) {
            loop.setWritable(false, for: watched)
            loop.unwatch(watched)
        }
        let countAfterUnwatch = record.seen.count
        #expect(write(peer, &byte, 1) == 1)
        // A loop turn that runs work after the write has seen the readable socket, if it still watched it.
        try await onLoop(loop) {}
        try await onLoop(loop) {}
        await stop(server)

        #expect(record.seen.first == false)
        #expect(record.seen.dropFirst().contains(true))
        #expect(record.seen.count == countAfterUnwatch)
    }

    @Test("end-of-turn work runs after the turn's tasks")
    func endOfTurnAfterTasks() async throws {
        let (server, _) = try startTestServer { $0.eventLoopCount = 1 }
        let serverLoop = try #require(server.eventLoops.first)
        let order = StepRecord()

        let finished = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let queued = serverLoop.execute {
                serverLoop.executeAtEndOfTurn {
                    order.append("end of turn")
                    continuation.resume(returning: true)
                }
                Task(executorPreference: serverLoop.loop) {
                    order.append("task")
                }
                order.append("work")
            }
            if !queued {
                continuation.resume(returning: false)
            }
        }
        await stop(server)

        #expect(finished)
        #expect(order.steps == ["work", "task", "end of turn"])
    }

    @Test("stop work runs once the loop ended")
    func stopWork() async throws {
        let (server, _) = try startTestServer { $0.eventLoopCount = 1 }
        let loop = try #require(server.eventLoops.first)
        let order = StepRecord()

        loop.whenStopped {
            order.append(loop.execute {} ? "ran while the loop accepted work" : "ran after the loop ended")
        }
        try await onLoop(loop) { order.append("work") }
        let beforeStop = order.steps
        await stop(server)
        let afterStop = order.steps
        loop.whenStopped { order.append("registered after the end") }

        #expect(beforeStop == ["work"])
        #expect(afterStop == ["work", "ran after the loop ended"])
        #expect(order.steps == ["work", "ran after the loop ended", "registered after the end"])
    }

    @Test("loops are listed only while running")
    func loopsWhileRunning() async throws {
        let (server, _) = try startTestServer { $0.eventLoopCount = 2 }
        let running = server.eventLoops
        let onLoopThread = try await onLoop(running[0]) { running[0].inLoopThread }
        await stop(server)

        #expect(running.count == 2)
        #expect(onLoopThread)
        #expect(!running[0].inLoopThread)
        #expect(server.eventLoops.isEmpty)
        #expect(!running[0].execute {})
    }
}
