import PaymentsDomain
import Synchronization

/// Write calls of the SQLite store, committed in batches on the single writer thread (group commit).
///
/// The calls queued behind a commit share the next `BEGIN IMMEDIATE` transaction, up to ``maxBatchSize``,
/// each in its own savepoint (a call alone needs none). A call whose body throws is rolled back alone, and
/// the others go on. Every call returns only after the transaction committed, so a call is durable when it
/// returns, as with one transaction per call, and the batch pays one `fdatasync` where each call paid one.
final class SQLiteWriteQueue: Sendable {
    /// Maximum calls committed together, which bounds how long the first call of a batch waits.
    static let maxBatchSize = 64

    private struct State {
        var queued: [QueuedWrite] = []
        /// True while a drain job is queued or running on the writer thread.
        var isDraining = false
    }

    private let writer: ConnectionWorkers<SQLiteConnection>
    private let signal: EventSignal
    private let state = Mutex(State())
    /// Calls that entered `write` and have not resumed yet.
    private let callsInFlight = Atomic<Int>(0)
    /// Receives the number of calls of each batch before the batch runs, on the writer thread. Tests use it.
    private let batchObserver: (@Sendable (Int) -> Void)?

    init(
        writer: ConnectionWorkers<SQLiteConnection>, signal: EventSignal,
        batchObserver: (@Sendable (Int) -> Void)? = nil
    ) {
        self.writer = writer
        self.signal = signal
        self.batchObserver = batchObserver
    }

    /// True while some call waits for its write to commit.
    var hasCallsInFlight: Bool {
        callsInFlight.load(ordering: .relaxed) > 0
    }

    /// Calls waiting for the writer thread.
    var queuedCount: Int {
        state.withLock { $0.queued.count }
    }

    /// Runs `body` in a write transaction on the writer thread and returns its result once committed.
    ///
    /// - Throws: what `body` throws, or ``PaymentError`` `STORE_UNAVAILABLE` when the transaction cannot begin
    ///   or commit. Nothing of the call is stored then.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteTransaction, Int64) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            // The count drops after the call's task was resumed, so an event loop that polls while it is
            // above zero finds the resumed task before it stops polling.
            callsInFlight.add(1, ordering: .relaxed)
            let queued = QueuedWrite(
                perform: { transaction in
                    do {
                        let value = try body(transaction, Timestamp.nowMicros())
                        return .ran { [self] commitError in
                            resume(continuation, with: commitError.map { .failure($0) } ?? .success(value))
                        }
                    } catch {
                        return .failed(error) { [self] in resume(continuation, with: .failure(error)) }
                    }
                },
                fail: { [self] error in resume(continuation, with: .failure(error)) })
            let startsDrain = state.withLock { state in
                state.queued.append(queued)
                guard !state.isDraining else {
                    return false
                }
                state.isDraining = true
                return true
            }
            if startsDrain {
                writer.submit { [self] connection in drain(connection) }
            }
        }
    }

    /// Ends a write call with `result` and then takes it out of the calls in flight.
    private func resume<T: Sendable>(
        _ continuation: CheckedContinuation<T, any Error>, with result: Result<T, any Error>
    ) {
        continuation.resume(with: result)
        callsInFlight.subtract(1, ordering: .relaxed)
    }

    /// Commits batches until the queue is empty; runs on the writer thread.
    private func drain(_ connection: Result<SQLiteConnection, any Error>) {
        while true {
            let batch = state.withLock { state -> [QueuedWrite] in
                let batch = Array(state.queued.prefix(Self.maxBatchSize))
                state.queued.removeFirst(batch.count)
                if batch.isEmpty {
                    state.isDraining = false
                }
                return batch
            }
            guard !batch.isEmpty else {
                return
            }
            batchObserver?(batch.count)

            switch connection {
            case .success(let connection):
                commit(batch, on: connection)
            case .failure(let error):
                for queued in batch {
                    queued.fail(error)
                }
            }
        }
    }

    /// Runs `batch` in one transaction, commits, and then ends every call.
    private func commit(_ batch: [QueuedWrite], on connection: SQLiteConnection) {
        let transaction = SQLiteTransaction(connection: connection, wroteEvent: SQLiteTransaction.Flag())
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            for queued in batch {
                queued.fail(error)
            }
            return
        }

        // A call alone needs no savepoint: when it fails, the whole transaction rolls back below.
        let (outcomes, transactionError) =
            batch.count == 1
            ? performAlone(batch[0], in: transaction) : performInSavepoints(batch, in: transaction)

        var commitError = transactionError
        if commitError == nil {
            do {
                try connection.execute("COMMIT")
            } catch {
                commitError = error
            }
        }
        if connection.isInTransaction {
            try? connection.execute("ROLLBACK")
        }
        if commitError == nil && transaction.wroteEvent.isSet {
            signal.notify()
        }
        for outcome in outcomes {
            outcome.end(commitError: commitError)
        }
    }

    /// Runs the only call of a transaction; its error, if any, ends the transaction.
    private func performAlone(_ queued: QueuedWrite, in transaction: SQLiteTransaction)
        -> ([QueuedWrite.Outcome], (any Error)?)
    {
        let outcome = queued.perform(transaction)
        if case .failed(let error, _) = outcome {
            return ([outcome], error)
        }
        return ([outcome], nil)
    }

    /// Runs each call in its own savepoint; returns their outcomes and the error that ended the transaction.
    private func performInSavepoints(_ batch: [QueuedWrite], in transaction: SQLiteTransaction)
        -> ([QueuedWrite.Outcome], (any Error)?)
    {
        let connection = transaction.connection
        var outcomes: [QueuedWrite.Outcome] = []
        outcomes.reserveCapacity(batch.count)
        var transactionError: (any Error)?
        for queued in batch {
            if let transactionError {
                // SQLite ended the transaction under an earlier call; the rest never run.
                queued.fail(transactionError)
                continue
            }
            do {
                try connection.execute("SAVEPOINT call")
            } catch {
                transactionError = error
                queued.fail(error)
                continue
            }
            let outcome = queued.perform(transaction)
            outcomes.append(outcome)
            if case .failed(let error, _) = outcome {
                transactionError = rollBackCall(on: connection, after: error)
            } else {
                do {
                    try connection.execute("RELEASE call")
                } catch {
                    transactionError = error
                }
            }
        }
        return (outcomes, transactionError)
    }

    /// Undoes the failed call's writes; returns an error when the whole transaction is lost with them.
    private func rollBackCall(on connection: SQLiteConnection, after error: any Error) -> (any Error)? {
        guard connection.isInTransaction else {
            return error
        }
        do {
            try connection.execute("ROLLBACK TO call")
            try connection.execute("RELEASE call")
            return nil
        } catch {
            return error
        }
    }
}

/// One queued write call: its body, and how to end it without running the body.
private struct QueuedWrite: Sendable {
    /// The step left after running the body, taken once the batch ends.
    enum Outcome {
        /// The body returned; `end` gets the commit's error, or nil when the batch committed.
        case ran(@Sendable ((any Error)?) -> Void)
        /// The body threw `error`. The call ends with it whether or not the batch commits.
        case failed(any Error, @Sendable () -> Void)

        func end(commitError: (any Error)?) {
            switch self {
            case .ran(let end):
                end(commitError)
            case .failed(_, let end):
                end()
            }
        }
    }

    let perform: @Sendable (SQLiteTransaction) -> Outcome
    let fail: @Sendable (any Error) -> Void
}
