import Dispatch
import Foundation
import PaymentsDomain
import Synchronization

/// A database connection owned by one worker thread.
protocol WorkerConnection: AnyObject, SendableMetatype {
    /// Whether the last job found the connection unusable, so it must be replaced before the next job.
    var isBroken: Bool { get }
    /// Whether the connection can run the next job after sitting idle; may look at the connection's socket.
    var isReusable: Bool { get }
}

extension WorkerConnection {
    var isReusable: Bool { !isBroken }
}

/// Dedicated threads that each own one database connection and run blocking jobs on it.
///
/// Database calls block, so they never run on Swift's cooperative thread pool or an event loop: `run(_:)`
/// queues a job, a worker thread runs it on its own connection, and a continuation returns the result.
/// Each connection is created lazily on its thread by `makeConnection` and replaced when it reports
/// ``WorkerConnection/isBroken``, so a database restart costs the jobs in flight and nothing more.
final class ConnectionWorkers<Connection: WorkerConnection>: Sendable {
    typealias Job = @Sendable (ConnectionSlot<Connection>) -> Void

    private struct State {
        var jobs: [Job] = []
        var isClosed = false
        var runningWorkers = 0
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let jobSignal = DispatchSemaphore(value: 0)
    private let makeConnection: @Sendable () throws -> Connection
    let threadCount: Int

    /// Starts `threadCount` threads named `name`; no connection is opened until the first job.
    init(name: String, threadCount: Int, makeConnection: @escaping @Sendable () throws -> Connection) {
        precondition(threadCount > 0, "a worker pool needs at least one thread")
        self.makeConnection = makeConnection
        self.threadCount = threadCount
        state.withLock { $0.runningWorkers = threadCount }
        for index in 0..<threadCount {
            let thread = Thread { [self] in workerLoop() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on a worker thread with that worker's connection and returns its result.
    ///
    /// - Throws: what `body` or the connection factory throws, or ``PaymentError`` `STORE_UNAVAILABLE` when the
    ///   pool is closed.
    func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let factory = makeConnection
            let job: Job = { slot in
                do {
                    let connection = try slot.connection(makingWith: factory)
                    let value = try body(connection)
                    continuation.resume(returning: value)
                } catch {
                    slot.dropIfBroken()
                    continuation.resume(throwing: error)
                }
            }
            let accepted = state.withLock { state in
                guard !state.isClosed else {
                    return false
                }
                state.jobs.append(job)
                return true
            }
            guard accepted else {
                continuation.resume(throwing: PaymentError(.storeUnavailable, "the store is closed; open it again"))
                return
            }
            jobSignal.signal()
        }
    }

    /// Queues `body` for a worker thread without waiting for it.
    ///
    /// `body` gets the worker's connection, or the error that kept the pool from providing one (a closed
    /// pool, a failed connect).
    ///
    /// When the pool is closed, `body` runs at once on the calling thread with the error.
    func submit(_ body: @escaping @Sendable (Result<Connection, any Error>) -> Void) {
        let factory = makeConnection
        let job: Job = { slot in
            do {
                body(.success(try slot.connection(makingWith: factory)))
            } catch {
                body(.failure(error))
            }
            slot.dropIfBroken()
        }
        let accepted = state.withLock { state in
            guard !state.isClosed else {
                return false
            }
            state.jobs.append(job)
            return true
        }
        guard accepted else {
            body(.failure(PaymentError(.storeUnavailable, "the store is closed; open it again")))
            return
        }
        jobSignal.signal()
    }

    /// Finishes the queued jobs, closes every connection and returns when all threads have exited.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLock { state in
                state.isClosed = true
                guard state.runningWorkers > 0 else {
                    return true
                }
                state.closeWaiters.append(continuation)
                return false
            }
            if finished {
                continuation.resume()
                return
            }
            for _ in 0..<threadCount {
                jobSignal.signal()
            }
        }
    }

    private func workerLoop() {
        let slot = ConnectionSlot<Connection>()
        while true {
            jobSignal.wait()
            let job: Job? = state.withLock { state in
                state.jobs.isEmpty ? nil : state.jobs.removeFirst()
            }
            if let job {
                job(slot)
                continue
            }
            let isClosed = state.withLock { $0.isClosed }
            if isClosed {
                break
            }
        }

        slot.close()
        let waiters = state.withLock { state in
            state.runningWorkers -= 1
            return state.runningWorkers == 0 ? state.closeWaiters : []
        }
        for waiter in waiters {
            waiter.resume()
        }
    }
}

/// The connection of one worker thread; never shared between threads.
final class ConnectionSlot<Connection: WorkerConnection> {
    private var current: Connection?

    func connection(makingWith factory: () throws -> Connection) throws -> Connection {
        if let current, current.isReusable {
            return current
        }
        current = nil
        let made = try factory()
        current = made
        return made
    }

    func dropIfBroken() {
        if current?.isBroken == true {
            current = nil
        }
    }

    func close() {
        current = nil
    }
}
