import PaymentsDomain
import PaymentsLogging

/// The production store: PostgreSQL through a pool of libpq connections.
///
/// Register and confirm first try one statement each (``PostgresFastPath``) on the non-blocking connections
/// of a ``PostgresStatementLoop``. Everything else, and a fast path that did not apply, runs on `poolSize`
/// dedicated threads that each own one blocking connection, opened on first use and reopened after it is
/// lost. Calls queue until a connection is free. Many server processes may share one database. The invariants
/// hold through row locks and conditional updates (see ``PostgresTransaction`` and ``PostgresFastPath``),
/// event positions through the sequencer (see ``PostgresEventSequencer``), and idempotency keys through
/// their unique index. A call with the same key as a running one waits for it and then replays its
/// response. When the first call stays unfinished past the 5 s lock timeout, the second fails with
/// `IDEMPOTENCY_KEY_IN_PROGRESS`; register and confirm wait twice as long, because their one-statement
/// attempt waits once before the transactional path waits again.
public final class PostgresPaymentStore: PaymentStore {
    private let pool: ConnectionWorkers<PostgresConnection>
    private let signal = EventSignal()
    private let sequencer: PostgresEventSequencer
    /// Runs the fast path's single statements, on connections of its own.
    let statements: PostgresStatementLoop
    /// The host, port, database and user of the first connection, which migrated the schema.
    public let descriptionForLogs: String

    /// Times a transaction is run again after a serialization failure or deadlock before failing.
    static let transientRetries = 3

    /// Connects, applies missing schema migrations and starts the event sequencer.
    ///
    /// - Parameters:
    ///   - connectionString: a libpq URI (`postgresql://user@host/db`) or key/value string (`host=… dbname=…`).
    ///     It may hold a password and is never logged or put in an error.
    ///   - poolSize: connections, and threads, for calls. The fast path opens as many non-blocking
    ///     connections when needed, and the sequencer uses one more connection.
    /// - Throws: ``PaymentError`` `STORE_UNAVAILABLE` when the database cannot be reached or migrated.
    public init(connectionString: String, poolSize: Int = 8, logger: Logger = Logger(label: "payments.store"))
        async throws
    {
        precondition(poolSize > 0, "poolSize must be at least 1")
        pool = ConnectionWorkers(name: "postgres", threadCount: poolSize) {
            try PostgresConnection(connectionString: connectionString)
        }
        do {
            descriptionForLogs = try await pool.run { connection in
                try PostgresSchema.migrate(connection)
                return connection.descriptionForLogs
            }
        } catch {
            await pool.close()
            throw error
        }
        do {
            statements = try PostgresStatementLoop(
                connectionString: connectionString, connectionCount: poolSize,
                statements: PostgresFastPath.allStatements)
        } catch {
            await pool.close()
            throw error
        }
        do {
            sequencer = try PostgresEventSequencer(connectionString: connectionString, signal: signal, logger: logger)
        } catch {
            await statements.close()
            await pool.close()
            throw error
        }
    }

    /// Sends the single statements of register and confirm from a call running on one of `reactors` on that
    /// reactor, with `poolSize / reactors.count` connections for each, at least one. The server passes its
    /// event loops, so a call's statements go out and their results come back on the loop that serves the
    /// call, with no thread to wake in between. A statement from any other thread goes to the first reactor
    /// still running, or to the store's own thread once all stopped. When a reactor stops, the statements
    /// still queued or in flight on it fail with `STORE_UNAVAILABLE`.
    public func runStatements(on reactors: [any StatementReactor]) {
        statements.attach(to: reactors)
    }

    public func register(_ command: RegisterPaymentCommand, idempotency: Idempotency?) async throws -> Payment {
        try await write(
            fastPath: { statements, now in
                try await PostgresFastPath.register(command, idempotency: idempotency, nowMicros: now, on: statements)
            },
            { transaction, now in
                try PaymentWorkflow.register(command, idempotency: idempotency, nowMicros: now, in: transaction)
            })
    }

    public func confirm(_ command: ConfirmPaymentCommand, idempotency: Idempotency?) async throws -> Payment {
        try await write(
            fastPath: { statements, now in
                try await PostgresFastPath.confirm(command, idempotency: idempotency, nowMicros: now, on: statements)
            },
            { transaction, now in
                try PaymentWorkflow.confirm(command, idempotency: idempotency, nowMicros: now, in: transaction)
            })
    }

    public func fail(_ command: FailPaymentCommand, idempotency: Idempotency?) async throws -> Payment {
        try await write { transaction, now in
            try PaymentWorkflow.fail(command, idempotency: idempotency, nowMicros: now, in: transaction)
        }
    }

    public func refund(_ command: RefundPaymentCommand, idempotency: Idempotency?) async throws -> RefundOutcome {
        try await write { transaction, now in
            try PaymentWorkflow.refund(command, idempotency: idempotency, nowMicros: now, in: transaction)
        }
    }

    public func payment(orderID: String, paymentID: String) async throws -> Payment {
        try await read { connection in
            try PaymentQueries.existingPayment(orderID: orderID, paymentID: paymentID, on: connection)
        }
    }

    public func listPayments(orderID: String, pageSize: Int, pageToken: String) async throws -> PaymentPage {
        try Validation.checkOrderID(orderID)
        return try await read { connection in
            try PaymentQueries.listPayments(orderID: orderID, pageSize: pageSize, pageToken: pageToken, on: connection)
        }
    }

    public func events(after position: Int64, limit: Int, orderID: String?, types: Set<PaymentEventType>?)
        async throws -> [PaymentEvent]
    {
        try await pool.run { connection in
            try PaymentQueries.events(after: position, limit: limit, orderID: orderID, types: types, on: connection)
        }
    }

    public func lastPosition() async throws -> Int64 {
        try await pool.run { connection in try PaymentQueries.lastPosition(on: connection) }
    }

    public func oldestRetainedPosition() async throws -> Int64? {
        try await pool.run { connection in try PaymentQueries.oldestRetainedPosition(on: connection) }
    }

    public func purge(eventRetention: Duration, idempotencyKeyRetention: Duration) async throws -> PurgeSummary {
        try await purge(
            eventRetention: eventRetention, idempotencyKeyRetention: idempotencyKeyRetention,
            nowMicros: Timestamp.nowMicros())
    }

    /// Purges as if the time were `nowMicros`, so tests can age rows without waiting.
    func purge(eventRetention: Duration, idempotencyKeyRetention: Duration, nowMicros: Int64) async throws
        -> PurgeSummary
    {
        try await pool.run { connection in
            try PaymentQueries.purge(
                eventRetention: eventRetention, idempotencyKeyRetention: idempotencyKeyRetention,
                nowMicros: nowMicros, on: connection)
        }
    }

    public func newEventsSignal() -> AsyncStream<Void> {
        signal.subscribe()
    }

    public func close() async {
        await sequencer.stop()
        await statements.close()
        await pool.close()
        signal.finish()
    }

    /// Runs the sequencer once on a pool connection, so tests can read the feed right after writing.
    func assignPositionsNow() async throws {
        _ = try await pool.run { connection in try PostgresEventSequencer.assignPositions(on: connection) }
    }

    /// Tries `fastPath` on the statement loop when given. When there is none or it returns nil, runs `body` in a
    /// transaction on a pool thread, again after a serialization failure or deadlock. Then wakes the sequencer.
    private func write<T: Sendable>(
        fastPath: (@Sendable (PostgresStatementLoop, Int64) async throws -> T?)? = nil,
        _ body: @escaping @Sendable (PostgresTransaction, Int64) throws -> T
    ) async throws -> T {
        if let fastPath, let value = try await fastPath(statements, Timestamp.nowMicros()) {
            sequencer.wake()
            return value
        }
        let value = try await pool.run { connection in
            var attempt = 1
            while true {
                do {
                    try connection.execute("BEGIN")
                    let value = try body(PostgresTransaction(connection: connection), Timestamp.nowMicros())
                    try connection.execute("COMMIT")
                    return value
                } catch {
                    if !connection.isBroken {
                        try? connection.execute("ROLLBACK")
                    }
                    guard PostgresErrors.isTransient(error), attempt < Self.transientRetries else {
                        throw error
                    }
                    attempt += 1
                }
            }
        }
        sequencer.wake()
        return value
    }

    /// Runs `body` in a read-only REPEATABLE READ transaction, so multi-statement reads see one snapshot.
    private func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await pool.run { connection in
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let value = try body(connection)
                try connection.execute("COMMIT")
                return value
            } catch {
                if !connection.isBroken {
                    try? connection.execute("ROLLBACK")
                }
                throw error
            }
        }
    }
}
