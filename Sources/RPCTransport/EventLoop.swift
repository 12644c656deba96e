internal import CSystemShim
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A descriptor served by an event loop.
protocol EventLoopChannel: AnyObject {
    /// Handles the epoll event bits reported for the descriptor.
    func handleEvents(_ events: UInt32)
    /// Sends queued output; called once per loop turn after `EventLoop.markDirty(_:)`.
    func flush()
}

/// One thread running an epoll instance.
///
/// Channels, their registrations and every property except `inbox`, `timers`
/// and `threadID` belong to the loop thread. Other threads reach the loop only
/// through `execute(_:)`, `schedule(at:_:)` and the executor's `enqueue`, which
/// queue work and wake the loop through an eventfd. A batch of work queued
/// between two turns costs one wakeup.
///
/// The loop is also a `TaskExecutor`: a task that prefers it runs its
/// nonisolated code on the loop thread. A job enqueued from the loop thread
/// runs later in the same turn without a wakeup, so a call whose handler
/// responds without waiting on another thread never leaves the loop thread.
final class EventLoop: @unchecked Sendable {
    private let epollDescriptor: Int32
    private let wakeDescriptor: Int32
    // Work queued by other threads, run at the start of the next turn.
    private let inbox = Mutex<Inbox>(Inbox())
    private var channels: [Int32: any EventLoopChannel] = [:]
    private var dirtyChannels: [any EventLoopChannel] = []
    /// Jobs enqueued on the loop thread, run before the loop waits again.
    private var readyJobs: [UnownedJob] = []
    /// `pthread_t` of the loop thread, 0 before it starts.
    private let threadID = Atomic<UInt>(0)
    // Actions scheduled by any thread for an instant. The loop sleeps no later than the earliest one.
    private let timers = Mutex(TimerHeap<@Sendable () -> Void>())
    private var stopRequested = false
    private let tickInterval: Duration
    /// Iterations of the loop so far; tests read it to detect a loop that spins.
    let turnCount = Atomic<Int>(0)
    /// When set, the loop polls instead of sleeping while work it awaits from another thread is pending.
    /// Set it before `start(name:)`.
    var spinWait: SpinWait?
    /// Count of polls that ended with an event, which the loop got without sleeping. Tests read it.
    let eventsCaughtSpinning = Atomic<Int>(0)
    /// Count of polls started. Tests read it.
    let pollsStarted = Atomic<Int>(0)
    /// False after a poll ran to its limit with no event, until a task runs on the loop again (a finished
    /// write's or a new call's). So a write that waits long, for instance for another process's lock on the
    /// SQLite file, costs one poll, whatever else wakes the loop meanwhile (a PING, a timer).
    private var mayPoll = true
    /// Called on the loop thread about every `tickInterval`, for timeouts.
    var onTick: (() -> Void)?
    /// Called on the loop thread after the loop stopped and closed its descriptors.
    var onStop: (() -> Void)?
    /// Work for ``whenEnded(_:)``, and whether the loop ended and ran it.
    private let endHooks = Mutex<(ended: Bool, work: [@Sendable () -> Void])>((false, []))

    init(tickInterval: Duration = .milliseconds(100)) throws(RPCTransportError) {
        self.tickInterval = tickInterval
        epollDescriptor = try SystemCall.run("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do throws(RPCTransportError) {
            wakeDescriptor = try SystemCall.run("eventfd") {
                eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
            }
        } catch {
            SystemCall.close(epollDescriptor)
            throw error
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeDescriptor
        precondition(epoll_ctl(epollDescriptor, EPOLL_CTL_ADD, wakeDescriptor, &event) == 0, "epoll_ctl of eventfd")
    }

    /// Starts the loop on a new thread.
    func start(name: String) {
        let thread = Thread { [self] in
            run()
        }
        thread.name = name
        thread.start()
    }

    /// True when called on the loop thread.
    var inLoopThread: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// Runs `work` on the loop thread during its next turn; callable from any thread.
    ///
    /// Returns false, dropping `work`, when the loop already stopped.
    @discardableResult
    func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        // After the loop stopped, its eventfd is closed and its number may belong to another file: drop the work.
        let (queued, wasEmpty) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.isClosed else {
                return (false, false)
            }
            inbox.work.append(work)
            return (true, inbox.work.count + inbox.jobs.count == 1)
        }
        if wasEmpty {
            wake()
        }
        return queued
    }

    /// Runs `action` on the loop thread at `due`, or once the loop finishes the turn it is in; callable from
    /// any thread. The loop's sleep is rounded up to the millisecond. Actions still scheduled when the loop
    /// stops never run.
    func schedule(at due: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        let becameEarliest = timers.withLock { $0.schedule(at: due, action) }
        // The loop may be asleep with a longer timeout, so the eventfd makes it compute a new one.
        if becameEarliest && !inLoopThread {
            wake()
        }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeDescriptor, &one, 8)
    }

    /// Adds a descriptor; loop thread only.
    func register(_ descriptor: Int32, events: UInt32, channel: any EventLoopChannel) throws(RPCTransportError) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        try SystemCall.run("epoll_ctl") { epoll_ctl(epollDescriptor, EPOLL_CTL_ADD, descriptor, &event) }
        channels[descriptor] = channel
    }

    /// Changes the events watched for a descriptor; loop thread only.
    func modify(_ descriptor: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        _ = epoll_ctl(epollDescriptor, EPOLL_CTL_MOD, descriptor, &event)
    }

    /// Removes a descriptor without closing it; loop thread only.
    func deregister(_ descriptor: Int32) {
        _ = epoll_ctl(epollDescriptor, EPOLL_CTL_DEL, descriptor, nil)
        channels[descriptor] = nil
    }

    /// Schedules `channel.flush()` at the end of this turn; loop thread only.
    func markDirty(_ channel: any EventLoopChannel) {
        dirtyChannels.append(channel)
    }

    /// Ends the loop after this turn; loop thread only.
    func stop() {
        stopRequested = true
    }

    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var nextTick = ContinuousClock.now + tickInterval
        while !stopRequested {
            turnCount.add(1, ordering: .relaxed)
            var count: Int32 = 0
            if mayPoll, readyJobs.isEmpty, let spinWait, spinWait.isAwaited() {
                (count, mayPoll) = spin(spinWait, events: &events)
            }
            if count == 0 {
                count = epoll_wait(epollDescriptor, &events, Int32(events.count), readyJobs.isEmpty ? waitTimeout() : 0)
            }
            if count < 0 && errno != EINTR {
                preconditionFailure("epoll_wait failed: errno \(errno)")
            }
            for index in 0..<max(0, Int(count)) {
                let descriptor = events[index].data.fd
                if descriptor == wakeDescriptor {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeDescriptor, &value, 8)
                } else {
                    channels[descriptor]?.handleEvents(events[index].events)
                }
            }
            runQueuedWork()
            if runReadyJobs() {
                mayPoll = true
            }
            runDueTimers()
            flushDirtyChannels()
            let now = ContinuousClock.now
            if now >= nextTick {
                nextTick = now + tickInterval
                onTick?()
                flushDirtyChannels()
            }
        }
        runQueuedWork(closing: true)
        handOffReadyJobs()
        // A later thread may get the same pthread_t.
        threadID.store(0, ordering: .relaxed)
        channels.removeAll()
        SystemCall.close(wakeDescriptor)
        SystemCall.close(epollDescriptor)
        let hooks = endHooks.withLock { hooks in
            hooks.ended = true
            defer { hooks.work = [] }
            return hooks.work
        }
        for hook in hooks {
            hook()
        }
        onStop?()
        onStop = nil
        onTick = nil
    }

    /// Runs `work` once the loop ended and runs nothing more: on the loop thread as it ends, before `onStop`,
    /// or at once on the caller's thread when the loop already ended. Callable from any thread.
    func whenEnded(_ work: @escaping @Sendable () -> Void) {
        let ended = endHooks.withLock { hooks in
            if !hooks.ended {
                hooks.work.append(work)
            }
            return hooks.ended
        }
        if ended {
            work()
        }
    }

    /// Polls epoll without sleeping while `spinWait` reports work awaited, up to its limit or the next timer.
    /// Returns the number of events (0 when none came) and false when the poll ran to its end without one.
    private func spin(_ spinWait: SpinWait, events: inout [epoll_event]) -> (count: Int32, mayPollAgain: Bool) {
        pollsStarted.add(1, ordering: .relaxed)
        var deadline = ContinuousClock.now + spinWait.limit
        if let due = timers.withLock({ $0.earliestDue }), due < deadline {
            deadline = due
        }
        var polls = 0
        while true {
            let count = epoll_wait(epollDescriptor, &events, Int32(events.count), 0)
            if count != 0 {
                eventsCaughtSpinning.add(1, ordering: .relaxed)
                return (count, true)
            }
            polls += 1
            // Lets any other thread ready on this CPU run first, so the poll takes only idle time.
            sched_yield()
            // Reading the clock costs more than the flag, so the limit is checked every 16 polls.
            if !spinWait.isAwaited() {
                return (0, true)
            }
            if polls % 16 == 0 && ContinuousClock.now >= deadline {
                return (0, false)
            }
        }
    }

    /// Runs the queued work; with `closing`, also rejects any later `execute` so nothing is queued unseen.
    private func runQueuedWork(closing: Bool = false) {
        let (work, jobs) = inbox.withLock { inbox in
            let taken = (inbox.work, inbox.jobs)
            inbox.work.removeAll(keepingCapacity: true)
            inbox.jobs.removeAll(keepingCapacity: true)
            inbox.isClosed = inbox.isClosed || closing
            return taken
        }
        for item in work {
            item()
        }
        readyJobs.append(contentsOf: jobs)
    }

    /// Runs the jobs of tasks that prefer this loop, including those the jobs enqueue meanwhile,
    /// up to a bound so that a task that keeps yielding cannot starve the sockets.
    /// Returns whether any job ran.
    private func runReadyJobs() -> Bool {
        let ranAny = !readyJobs.isEmpty
        var budget = 1024
        while !readyJobs.isEmpty && budget > 0 {
            let jobs = readyJobs
            readyJobs.removeAll(keepingCapacity: true)
            budget -= jobs.count
            for job in jobs {
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        return ranAny
    }

    /// Milliseconds `epoll_wait` may sleep: 50, or less when a timer is due sooner. Rounded up, so that
    /// the loop does not wake just before the due time and spin.
    private func waitTimeout() -> Int32 {
        guard let due = timers.withLock({ $0.earliestDue }) else {
            return 50
        }
        let remaining = due - .now
        guard remaining > .zero else {
            return 0
        }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(min(50, milliseconds))
    }

    private func runDueTimers() {
        // Most turns have no timer, and reading the clock is not free.
        let due = timers.withLock { $0.isEmpty ? [] : $0.takeDue(now: .now) }
        for action in due {
            action()
        }
    }

    /// Moves jobs still waiting after the loop stopped to the global executor, so their tasks finish.
    private func handOffReadyJobs() {
        for job in readyJobs {
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
        }
        readyJobs.removeAll()
    }

    private func flushDirtyChannels() {
        while !dirtyChannels.isEmpty {
            let channels = dirtyChannels
            dirtyChannels.removeAll(keepingCapacity: true)
            for channel in channels {
                channel.flush()
            }
        }
    }
}

/// Epoll event bits as `UInt32`.
enum EpollEvents {
    static let input = EPOLLIN.rawValue
    static let output = EPOLLOUT.rawValue
    static let error = EPOLLERR.rawValue
    static let hangUp = EPOLLHUP.rawValue
    static let exclusive = csystem_epoll_exclusive()
    static let readHangUp = csystem_epoll_rdhup()
}

extension EventLoop: TaskExecutor {
    /// Queues a job of a task that prefers this loop.
    ///
    /// After the loop stopped, the job runs on the global executor instead, so no task stays suspended.
    func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        if inLoopThread {
            readyJobs.append(unownedJob)
            return
        }
        let (accepted, wasEmpty) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.isClosed else {
                return (false, false)
            }
            inbox.jobs.append(unownedJob)
            return (true, inbox.work.count + inbox.jobs.count == 1)
        }
        if !accepted {
            globalConcurrentExecutor.enqueue(ExecutorJob(unownedJob))
        } else if wasEmpty {
            wake()
        }
    }
}

/// Work queued for a loop by other threads, and whether the loop still accepts work.
private struct Inbox {
    var work: [@Sendable () -> Void] = []
    /// Jobs of tasks that prefer the loop, enqueued by other threads.
    var jobs: [UnownedJob] = []
    var isClosed = false
}
