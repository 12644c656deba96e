import Foundation
import PaymentsDomain
import Synchronization

/// A thread of the store's own that runs queued work and waits on every watched descriptor at once with
/// `poll`.
///
/// The statement loop runs here for callers that are not on a server event loop: the storage tests, and any
/// task that left its loop. Under load one wake-up collects several results, where a pool thread sleeps and
/// wakes for every statement.
final class StatementThread: StatementReactor, @unchecked Sendable {
    private struct Inbox {
        var work: [@Sendable () -> Void] = []
        var isStopped = false
        /// True while the thread sleeps in `poll`, so new work must write to the wake-up pipe.
        var isWaiting = false
    }

    private struct Watch {
        let descriptor: Int32
        var writable: Bool
        let handler: (_ writable: Bool) -> Void
    }

    private let inbox = Mutex(Inbox())
    /// Work for ``whenStopped(_:)``, run as the thread ends.
    private let stopWork = EndCallbacks()
    private let wakeUp: WakeUpPipe
    private let stopped = DispatchSemaphore(value: 0)
    /// `pthread_t` of the thread, 0 before it starts.
    private let threadID = Atomic<UInt>(0)
    /// The watched descriptors, used only on the thread.
    private var watches: [Watch] = []
    /// Work to run once the current turn's work and handlers ran, used only on the thread.
    private var endOfTurnWork: [() -> Void] = []

    /// Starts the thread named `name`.
    ///
    /// - Throws: ``PaymentError`` `INTERNAL` when the process is out of file descriptors.
    init(name: String) throws(PaymentError) {
        wakeUp = try WakeUpPipe(owner: name)
        let thread = Thread { [self] in
            threadID.store(UInt(pthread_self()), ordering: .relaxed)
            run()
            threadID.store(0, ordering: .relaxed)
            stopWork.end()
            stopped.signal()
        }
        thread.name = name
        thread.start()
    }

    var isCurrent: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        let (accepted, wakes) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.isStopped else {
                return (false, false)
            }
            inbox.work.append(work)
            let wakes = inbox.isWaiting
            inbox.isWaiting = false
            return (true, wakes)
        }
        if wakes {
            wakeUp.wake()
        }
        return accepted
    }

    func executeAtEndOfTurn(_ work: @escaping () -> Void) {
        endOfTurnWork.append(work)
    }

    func watch(_ descriptor: Int32, handler: @escaping (_ writable: Bool) -> Void) {
        watches.append(Watch(descriptor: descriptor, writable: false, handler: handler))
    }

    func setWritable(_ writable: Bool, for descriptor: Int32) {
        if let index = watches.firstIndex(where: { $0.descriptor == descriptor }) {
            watches[index].writable = writable
        }
    }

    func unwatch(_ descriptor: Int32) {
        watches.removeAll { $0.descriptor == descriptor }
    }

    func whenStopped(_ work: @escaping @Sendable () -> Void) {
        stopWork.add(work)
    }

    /// Rejects new work, runs the work already queued and the ``whenStopped(_:)`` work, and waits for the
    /// thread to end.
    func stop() async {
        inbox.withLock { $0.isStopped = true }
        wakeUp.wake()
        await stopped.waitOnOwnThread()
        wakeUp.close()
    }

    private func run() {
        var pollDescriptors: [pollfd] = []
        var polled: [Watch] = []
        while true {
            let (work, isStopped) = takeWork()
            for item in work {
                item()
            }
            runEndOfTurnWork()
            if isStopped {
                break
            }

            // The handlers may watch or unwatch descriptors, so they are called from a copy of the list.
            polled = watches
            pollDescriptors.removeAll(keepingCapacity: true)
            pollDescriptors.append(pollfd(fd: wakeUp.readDescriptor, events: Int16(POLLIN), revents: 0))
            for watch in polled {
                let events = POLLIN | (watch.writable ? POLLOUT : 0)
                pollDescriptors.append(pollfd(fd: watch.descriptor, events: Int16(events), revents: 0))
            }
            // After running work, such as sending statements, check for more without sleeping.
            let sleeps = work.isEmpty
            let ready = poll(&pollDescriptors, nfds_t(pollDescriptors.count), sleeps ? -1 : 0)
            if sleeps {
                endWaiting(woken: ready > 0 && pollDescriptors[0].revents != 0)
            }
            guard ready > 0 else {
                continue
            }
            for (index, watch) in polled.enumerated() {
                let revents = Int32(pollDescriptors[index + 1].revents)
                // A handler may have unwatched this descriptor while handling an earlier one.
                guard revents != 0, watches.contains(where: { $0.descriptor == watch.descriptor }) else {
                    continue
                }
                watch.handler(revents & (POLLOUT | POLLERR | POLLHUP) != 0)
            }
            runEndOfTurnWork()
        }
        watches.removeAll()
    }

    private func runEndOfTurnWork() {
        while !endOfTurnWork.isEmpty {
            let work = endOfTurnWork
            endOfTurnWork.removeAll()
            for item in work {
                item()
            }
        }
    }

    /// Takes the queued work. When there is none, marks the thread as waiting, so the next work wakes it.
    private func takeWork() -> (work: [@Sendable () -> Void], isStopped: Bool) {
        inbox.withLock { inbox in
            let work = inbox.work
            inbox.work.removeAll(keepingCapacity: true)
            if work.isEmpty && !inbox.isStopped {
                inbox.isWaiting = true
            }
            return (work, inbox.isStopped)
        }
    }

    /// Clears the waiting mark after `poll` returned, and empties the pipe when it woke the thread.
    private func endWaiting(woken: Bool) {
        inbox.withLock { $0.isWaiting = false }
        if woken {
            wakeUp.drain()
        }
    }
}
