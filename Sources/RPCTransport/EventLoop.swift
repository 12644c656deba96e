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
/// Channels, their registrations and every property except `inbox` belong to
/// the loop thread. Other threads reach the loop only through `execute(_:)`,
/// which queues work and wakes the loop through an eventfd. A batch of work
/// queued between two turns costs one wakeup.
final class EventLoop: @unchecked Sendable {
    private let epollDescriptor: Int32
    private let wakeDescriptor: Int32
    // Work queued by other threads, run at the start of the next turn.
    private let inbox = Mutex<Inbox>(Inbox())
    private var channels: [Int32: any EventLoopChannel] = [:]
    private var dirtyChannels: [any EventLoopChannel] = []
    private var stopRequested = false
    private let tickInterval: Duration
    /// Iterations of the loop so far; tests read it to detect a loop that spins.
    let turnCount = Atomic<Int>(0)
    /// Called on the loop thread about every `tickInterval`, for timeouts.
    var onTick: (() -> Void)?
    /// Called on the loop thread after the loop stopped and closed its descriptors.
    var onStop: (() -> Void)?

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

    /// Runs `work` on the loop thread during its next turn; callable from any thread.
    func execute(_ work: @escaping @Sendable () -> Void) {
        // After the loop stopped, its eventfd is closed and its number may belong to another file: drop the work.
        let wasEmpty = inbox.withLock { inbox -> Bool in
            guard !inbox.isClosed else {
                return false
            }
            inbox.work.append(work)
            return inbox.work.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(wakeDescriptor, &one, 8)
        }
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
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var nextTick = ContinuousClock.now + tickInterval
        while !stopRequested {
            turnCount.add(1, ordering: .relaxed)
            let count = epoll_wait(epollDescriptor, &events, Int32(events.count), 50)
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
            flushDirtyChannels()
            let now = ContinuousClock.now
            if now >= nextTick {
                nextTick = now + tickInterval
                onTick?()
                flushDirtyChannels()
            }
        }
        runQueuedWork(closing: true)
        channels.removeAll()
        SystemCall.close(wakeDescriptor)
        SystemCall.close(epollDescriptor)
        onStop?()
        onStop = nil
        onTick = nil
    }

    /// Runs the queued work; with `closing`, also rejects any later `execute` so nothing is queued unseen.
    private func runQueuedWork(closing: Bool = false) {
        let work = inbox.withLock { inbox in
            let taken = inbox.work
            inbox.work.removeAll(keepingCapacity: true)
            inbox.isClosed = inbox.isClosed || closing
            return taken
        }
        for item in work {
            item()
        }
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

/// Work queued for a loop by other threads, and whether the loop still accepts work.
private struct Inbox {
    var work: [@Sendable () -> Void] = []
    var isClosed = false
}
