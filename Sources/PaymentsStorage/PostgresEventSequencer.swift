import Foundation
import PaymentsDomain
import PaymentsLogging
import Synchronization

/// Gives committed outbox events their feed positions and wakes local event watchers.
///
/// Writers insert events with a NULL position, because PostgreSQL transactions commit out of the order in
/// which they drew any sequence number. A reader that had read position 11 would never go back for an event
/// numbered 10 that committed later. Positions are instead assigned after commit by ``assignPositions(on:)``,
/// which locks the single `event_feed` row (so one sequencer runs at a time across all server processes),
/// then, in a new statement whose snapshot includes every event committed before the lock, numbers the
/// unpositioned events in insertion order after `last_position`. Readers only see positioned events, and
/// each sequencer run's positions become visible at once in its commit, after every lower position.
///
/// Each store runs one sequencer thread with its own connection that `LISTEN`s on `payments_positions`,
/// which every sequencer notifies after assigning, so watchers on all server processes wake up. The thread
/// waits with `poll` on that connection's socket and on a pipe that ``wake()`` writes to after the first local
/// commit since the last run started. It runs the sequencer when woken, but not twice within ``minimumInterval``, and at least every
/// ``backstopInterval``, which also positions the events of a process that died between its commit and its
/// sequencer run. It fires the store's ``EventSignal`` when new positions exist.
final class PostgresEventSequencer: Sendable {
    /// Maximum wait between two sequencer runs when no notification arrives, in milliseconds.
    static let backstopInterval: Int32 = 250
    /// Most events positioned by one run; a larger backlog takes several runs in a row.
    static let batchSize = 10_000
    /// Shortest time between the starts of two runs, in milliseconds. Under load every commit wakes the
    /// thread, so the wait lets one run number the events of many commits. An idle sequencer runs at once.
    static let minimumInterval: Int64 = 10
    /// Channel notified after each run that numbered events.
    static let channel = "payments_positions"

    private let isStopping = Atomic<Bool>(false)
    /// True from a ``wake()`` that wrote to the pipe until the next run starts, which numbers the events of
    /// every commit before it, so later commits need not write again.
    private let isWakePending = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)
    private let wakeUp: WakeUpPipe
    private let connectionString: String
    private let signal: EventSignal
    private let logger: Logger

    init(connectionString: String, signal: EventSignal, logger: Logger) throws {
        wakeUp = try WakeUpPipe(owner: "sequencer")
        self.connectionString = connectionString
        self.signal = signal
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "postgres-event-sequencer"
        thread.start()
    }

    /// Makes the thread run the sequencer soon; called after every local commit that wrote an event.
    func wake() {
        // Under load many commits come between two runs, and the first one's wake-up is enough.
        if !isWakePending.exchange(true, ordering: .acquiringAndReleasing) {
            wakeUp.wake()
        }
    }

    /// Stops the thread, waits for it to close its connection, and closes the pipe.
    func stop() async {
        isStopping.store(true, ordering: .sequentiallyConsistent)
        wakeUp.wake()
        await stopped.waitOnOwnThread()
        wakeUp.close()
    }

    /// Numbers every committed, unpositioned event in one transaction; returns how many it numbered.
    ///
    /// One autocommit statement calls `payments_assign_positions` (schema migration 3), which locks the
    /// `event_feed` row, numbers the events in a new snapshot and notifies ``channel`` when it numbered any.
    /// Runs on any pool connection as well as on the sequencer thread.
    static func assignPositions(on connection: PostgresConnection) throws -> Int {
        let rows = try connection.query(
            "SELECT payments_assign_positions($1::bigint)", [.integer(Int64(batchSize))])
        return Int(try rows.first?.integer(0) ?? 0)
    }

    private func run() {
        var connection: PostgresConnection?
        var failures = 0
        while !isStopping.load(ordering: .sequentiallyConsistent) {
            do {
                let current = try connection ?? listen()
                connection = current
                let started = DispatchTime.now().uptimeNanoseconds
                isWakePending.store(false, ordering: .sequentiallyConsistent)
                try sequence(current)
                try waitForNotification(current)
                failures = 0
                let elapsedMilliseconds = Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
                if elapsedMilliseconds < Self.minimumInterval {
                    Thread.sleep(forTimeInterval: Double(Self.minimumInterval - elapsedMilliseconds) / 1000)
                }
            } catch {
                connection = nil
                failures += 1
                if failures == 1 || failures % 100 == 0 {
                    logger.error(
                        "event sequencer failed; retrying",
                        metadata: ["error": String(describing: error), "failures": String(failures)])
                }
                Thread.sleep(forTimeInterval: min(1.0, 0.05 * Double(failures)))
            }
        }
        connection = nil
        stopped.signal()
    }

    private func listen() throws -> PostgresConnection {
        let connection = try PostgresConnection(connectionString: connectionString)
        try connection.execute("LISTEN \(Self.channel)")
        return connection
    }

    /// Runs the sequencer until no backlog is left, firing the signal when positions were assigned.
    private func sequence(_ connection: PostgresConnection) throws {
        var assigned = 0
        repeat {
            assigned = try Self.assignPositions(on: connection)
            if assigned > 0 {
                signal.notify()
            }
        } while assigned == Self.batchSize
    }

    /// Blocks until a notification or a local wake-up arrives, or the backstop interval passes.
    private func waitForNotification(_ connection: PostgresConnection) throws {
        var descriptors = [
            pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeUp.readDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&descriptors, 2, Self.backstopInterval)
        guard ready >= 0 || errno == EINTR else {
            throw PaymentError(.storeUnavailable, "poll on the PostgreSQL socket failed with errno \(errno)")
        }

        if descriptors[1].revents != 0 {
            wakeUp.drain()
        }
        if descriptors[0].revents != 0 {
            guard connection.consumeInput() else {
                throw PaymentError(.storeUnavailable, "lost the PostgreSQL connection of the event sequencer")
            }
            if connection.drainNotifications().contains(Self.channel) {
                signal.notify()
            }
        }
    }
}
