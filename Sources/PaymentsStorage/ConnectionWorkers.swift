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
    /// Count of jobs queued and not yet taken, which an idle worker polls while it spins.
    private let queuedJobs = Atomic<Int>(0)
    private let idleSpin: Duration
    /// Set by `close()`, so that a spinning worker stops at once.
    private let closing = Atomic<Bool>(false)
    /// Count of jobs a worker found while it spun, without sleeping. Tests read it.
    let jobsFoundSpinning = Atomic<Int>(0)
    private let makeConnection: @Sendable () throws -> Connection
    let threadCount: Int

    /// Starts `threadCount` threads named `name`; no connection is opened until the first job.
    ///
    /// With an `idleSpin` above zero, a worker that runs out of jobs polls for the next one for up to that
    /// long before it sleeps, as long as its previous idle time was no longer than that. See `waitForJob`.
    init(
        name: String, threadCount: Int, idleSpin: Duration = .zero,
        makeConnection: @escaping @Sendable () throws -> Connection
    ) {
        precondition(threadCount > 0, "a worker pool needs at least one thread")
        self.makeConnection = makeConnection
        self.threadCount = threadCount
        self.idleSpin = idleSpin
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
                queuedJobs.add(1, ordering: .releasing)
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
            queuedJobs.add(1, ordering: .releasing)
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
            closing.store(true, ordering: .relaxed)
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
        var spinsWhenIdle = idleSpin > .zero
        while true {
            spinsWhenIdle = waitForJob(spinning: spinsWhenIdle)
            let job: Job? = state.withLock { state in
                guard !state.jobs.isEmpty else {
                    return nil
                }
                queuedJobs.subtract(1, ordering: .relaxed)
                return state.jobs.removeFirst()
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

    /// Waits until a job may be queued and returns whether to spin the next time.
    ///
    /// Waking a sleeping thread costs tens of microseconds when its CPU has gone idle (about 35 µs on the
    /// benchmark machine), about as much as a SQLite statement. With `spinning`, the worker first polls the
    /// queue for up to `idleSpin`, so a job that follows soon, such as the next call of a client that waits
    /// for each response, starts at once.
    /// It spins again only if this idle time was no longer than `idleSpin`: an idle pool spins once and then
    /// sleeps, and spins again once jobs come close together.
    private func waitForJob(spinning: Bool) -> Bool {
        guard idleSpin > .zero else {
            jobSignal.wait()
            return false
        }
        let clock = ContinuousClock()
        let idleStart = clock.now
        if spinning {
            let deadline = idleStart + idleSpin
            var polls = 0
            while queuedJobs.load(ordering: .acquiring) == 0 && !closing.load(ordering: .relaxed) {
                polls += 1
                // The worker does not yield here. In interleaved runs at 1 in flight, yielding on every poll
                // gave 0.72x the C loop against 0.76x without, and a busy pool has jobs and so does not spin.
                if polls % 64 == 0 && clock.now >= deadline {
                    break
                }
            }
            if queuedJobs.load(ordering: .relaxed) > 0 {
                jobsFoundSpinning.add(1, ordering: .relaxed)
            }
        }
        jobSignal.wait()
        return clock.now - idleStart <= idleSpin
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
