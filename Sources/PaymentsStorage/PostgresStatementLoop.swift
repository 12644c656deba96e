import Foundation
import PaymentsDomain
import Synchronization

/// Runs single autocommit statements on non-blocking libpq connections, on the caller's thread when that
/// thread is an attached reactor.
///
/// The fast path's statements (see ``PostgresFastPath``) run outside transactions, so they need no thread per
/// connection. After ``attach(to:)``, a statement asked on one of the given reactors, such as the server's
/// event loops, is sent and its result read on that reactor: the caller's task resumes on its own thread
/// with no other thread to wake. Each reactor gets its share of `connectionCount` connections, and a
/// statement asked elsewhere goes to the first reactor still running. Before that, and once every reactor
/// stopped, statements run on a ``StatementThread`` of the loop's own, with up to `connectionCount`
/// connections. Connections open when a statement finds none idle, and each one prepares all of
/// `statements`. A lost connection fails its statement with `STORE_UNAVAILABLE` and is replaced by the next
/// statement that needs one (see ``StatementLoopWorker``).
final class PostgresStatementLoop: Sendable {
    private let connectionString: String
    private let connectionCount: Int
    private let statements: [String]
    private let ownThread: StatementThread
    private let ownWorker: StatementLoopWorker
    /// The workers of the attached reactors; nil once closed.
    private let attached = Mutex<[StatementLoopWorker]?>([])

    /// Starts the loop's own thread; no connection opens before the first statement.
    ///
    /// - Parameters:
    ///   - statements: every SQL text that ``query(_:_:)`` may run, prepared on each connection as it opens.
    init(connectionString: String, connectionCount: Int, statements: [String]) throws(PaymentError) {
        precondition(connectionCount > 0, "a statement loop needs at least one connection")
        self.connectionString = connectionString
        self.connectionCount = connectionCount
        self.statements = statements
        ownThread = try StatementThread(name: "postgres-statements")
        ownWorker = StatementLoopWorker(
            reactor: ownThread, connectionString: connectionString, connectionCount: connectionCount,
            statements: statements)
    }

    /// Runs later statements asked on any of `reactors` on that reactor, each with
    /// `connectionCount / reactors.count` connections, at least one.
    ///
    /// Does nothing once the loop is closed.
    func attach(to reactors: [any StatementReactor]) {
        guard !reactors.isEmpty else {
            return
        }
        let share = max(1, connectionCount / reactors.count)
        let workers = reactors.map {
            StatementLoopWorker(
                reactor: $0, connectionString: connectionString, connectionCount: share, statements: statements)
        }
        attached.withLock { attached in
            attached?.append(contentsOf: workers)
        }
    }

    /// Runs `sql`, one of the statements given at init, with `parameters` and returns its rows as text.
    ///
    /// - Throws: ``PaymentError`` mapped from the statement's SQLSTATE, or `STORE_UNAVAILABLE` when no
    ///   connection could be opened, the connection was lost, or the loop is closed.
    func query(_ sql: String, _ parameters: [DatabaseValue]) async throws -> [DatabaseRow] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[DatabaseRow], any Error>) in
            let request = StatementRequest(sql: sql, parameters: parameters, continuation: continuation)
            // On a reactor's own thread, the common case, the lookup copies no array.
            let (current, workers) = attached.withLock { attached -> (StatementLoopWorker?, [StatementLoopWorker]) in
                guard let attached else {
                    return (nil, [])
                }
                if let current = attached.first(where: { $0.reactor.isCurrent }) {
                    return (current, [])
                }
                return (nil, attached)
            }
            if let current {
                current.submit(request)
                return
            }
            // Elsewhere, such as in a task that left its event loop, the first reactor still running takes
            // the statement, so the connections stay within the attached share.
            for worker in workers + [ownWorker] {
                if worker.reactor.execute({ worker.submit(request) }) {
                    return
                }
            }
            continuation.resume(throwing: StatementLoopWorker.closedError)
        }
    }

    /// Count of statements sent on the loop's own thread and on the attached reactors, for tests.
    var statementsSent: (ownThread: Int, reactors: Int) {
        let workers = attached.withLock { $0 ?? [] }
        let reactors = workers.reduce(0) { $0 + $1.statementsSent.load(ordering: .relaxed) }
        return (ownWorker.statementsSent.load(ordering: .relaxed), reactors)
    }

    /// Rejects new statements, waits for those in flight to end, closes the connections and stops the
    /// loop's own thread.
    ///
    /// A statement in flight on a reactor that stopped, or stops during the close, fails with
    /// `STORE_UNAVAILABLE` rather than holding the close.
    func close() async {
        let workers = attached.withLock { attached in
            let workers = attached ?? []
            attached = nil
            return workers
        }
        for worker in workers + [ownWorker] {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                worker.close { continuation.resume() }
            }
        }
        await ownThread.stop()
    }
}
