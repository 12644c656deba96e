import PaymentsDomain

/// The embedded store: one SQLite database file in WAL mode.
///
/// All writes run on one dedicated writer thread inside `BEGIN IMMEDIATE` transactions, so they are
/// serialised. Calls that queue up while a transaction commits share the next one, each in a savepoint of
/// its own (see `SQLiteWriteQueue`). Reads run on two reader threads with their own connections and read
/// committed data only. Commits are durable (`synchronous=FULL`). Another process may open the same file:
/// SQLite's write lock then serialises the processes, a writer waits up to the busy timeout before failing
/// with `STORE_UNAVAILABLE`, and the other process's events wake this store's watchers within about 250 ms.
/// `IDEMPOTENCY_KEY_IN_PROGRESS` never occurs here: a second call with the same key runs only after the
/// first one's savepoint was released or rolled back, so it replays or proceeds.
public final class SQLitePaymentStore: PaymentStore {
    private let writer: ConnectionWorkers<SQLiteConnection>
    private let writeQueue: SQLiteWriteQueue
    private let readers: ConnectionWorkers<SQLiteConnection>
    private let signal = EventSignal()
    private let positionWatcher: Task<Void, Never>
    public let descriptionForLogs: String

    /// How often the store checks for events written by other processes on the same file.
    static let positionCheckInterval = Duration.milliseconds(250)

    /// How long a writer waits for another process's write lock before failing.
    public static let busyTimeoutMilliseconds: Int32 = 5000

    /// Opens or creates the database at `path` and applies missing schema migrations.
    ///
    /// With a `writerSpin` above zero, the writer thread polls for the next write for up to that long after
    /// it commits, instead of sleeping, as long as writes keep coming less than `writerSpin` apart (see
    /// `ConnectionWorkers`).
    ///
    /// - Throws: ``PaymentError`` `STORE_UNAVAILABLE` when the file cannot be opened or migrated.
    public init(path: String, writerSpin: Duration = .zero) async throws {
        descriptionForLogs = "sqlite:" + path
        let timeout = Self.busyTimeoutMilliseconds
        let open: @Sendable () throws -> SQLiteConnection = {
            try SQLiteConnection(path: path, busyTimeoutMilliseconds: timeout)
        }
        writer = ConnectionWorkers(
            name: "sqlite-writer", threadCount: 1, idleSpin: writerSpin, makeConnection: open)
        readers = ConnectionWorkers(name: "sqlite-reader", threadCount: 2, makeConnection: open)
        writeQueue = SQLiteWriteQueue(writer: writer, signal: signal)
        let initialPosition: Int64
        do {
            try await writer.run { connection in try SQLiteSchema.migrate(connection) }
            initialPosition = try await readers.run { connection in try PaymentQueries.lastPosition(on: connection) }
        } catch {
            await writer.close()
            await readers.close()
            throw error
        }
        positionWatcher = Self.watchPositions(from: initialPosition, readers: readers, signal: signal)
    }

    /// True while some call waits for its write to commit. Cheap enough to poll.
    public var hasWritesInFlight: Bool {
        writeQueue.hasCallsInFlight
    }

    /// Wakes watchers when another process sharing the file wrote events; writes through this store wake
    /// them directly after commit.
    private static func watchPositions(
        from initialPosition: Int64, readers: ConnectionWorkers<SQLiteConnection>, signal: EventSignal
    ) -> Task<Void, Never> {
        Task.detached {
            var lastSeen = initialPosition
            while !Task.isCancelled {
                try? await Task.sleep(for: positionCheckInterval)
                guard
                    let last = try? await readers.run({ connection in try PaymentQueries.lastPosition(on: connection) })
                else {
                    continue
                }
                if last != lastSeen {
                    signal.notify()
                }
                lastSeen = last
            }
        }
    }

    public func register(_ command: RegisterPaymentCommand, idempotency: Idempotency?) async throws -> Payment {
        try await write { transaction, now in
            try PaymentWorkflow.register(command, idempotency: idempotency, nowMicros: now, in: transaction)
        }
    }

    public func confirm(_ command: ConfirmPaymentCommand, idempotency: Idempotency?) async throws -> Payment {
        try await write { transaction, now in
            try PaymentWorkflow.confirm(command, idempotency: idempotency, nowMicros: now, in: transaction)
        }
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
        try await readers.run { connection in
            try PaymentQueries.events(after: position, limit: limit, orderID: orderID, types: types, on: connection)
        }
    }

    public func lastPosition() async throws -> Int64 {
        try await readers.run { connection in try PaymentQueries.lastPosition(on: connection) }
    }

    public func oldestRetainedPosition() async throws -> Int64? {
        try await readers.run { connection in try PaymentQueries.oldestRetainedPosition(on: connection) }
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
        try await writer.run { connection in
            try connection.execute("BEGIN IMMEDIATE")
            do {
                let summary = try PaymentQueries.purge(
                    eventRetention: eventRetention, idempotencyKeyRetention: idempotencyKeyRetention,
                    nowMicros: nowMicros, on: connection)
                try connection.execute("COMMIT")
                return summary
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    public func newEventsSignal() -> AsyncStream<Void> {
        signal.subscribe()
    }

    public func close() async {
        positionWatcher.cancel()
        await positionWatcher.value
        await writer.close()
        await readers.close()
        signal.finish()
    }

    /// Runs `body` in a write transaction on the writer thread and wakes event watchers after it commits.
    private func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteTransaction, Int64) throws -> T) async throws
        -> T
    {
        try await writeQueue.write(body)
    }

    /// Runs `body` in a read transaction, so multi-statement reads see one snapshot.
    private func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await readers.run { connection in
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            return try body(connection)
        }
    }
}
