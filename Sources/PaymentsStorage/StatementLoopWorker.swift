internal import CLibPQ
import Foundation
import PaymentsDomain
import Synchronization

/// A statement for the loop: prepared SQL, its parameters, and the caller waiting for its rows.
struct StatementRequest: Sendable {
    let sql: String
    let parameters: [DatabaseValue]
    let continuation: CheckedContinuation<[DatabaseRow], any Error>
}

/// The non-blocking connections of one ``StatementReactor`` and the statements waiting for them.
///
/// Every method but ``close(then:)`` runs on the reactor's thread, or once the reactor ended, which is why
/// the class can be `@unchecked Sendable`. A statement goes out on an idle connection at once, and the
/// reactor calls back when its socket is readable. When no connection is idle and fewer than
/// `connectionCount` are open, one more opens on a Dispatch thread, so the connect and the prepares never
/// block the reactor. A lost connection fails its statement with `STORE_UNAVAILABLE` and is dropped. When
/// the reactor stops, the statements still queued or in flight fail with `STORE_UNAVAILABLE` and the
/// connections close.
final class StatementLoopWorker: @unchecked Sendable {
    private final class LoopConnection {
        let connection: PostgresConnection
        let socket: Int32
        /// The statement in flight. Reading it copies the request, so loops over connections test `isBusy`.
        var request: StatementRequest? {
            didSet { isBusy = request != nil }
        }
        private(set) var isBusy = false
        /// The first result of the statement in flight; later ones are cleared.
        var result: OpaquePointer?
        /// True while libpq has unsent data, so the reactor reports writability too.
        var isFlushing = false
        /// Whether the reactor was last asked to report writability.
        var watchesWritable = false

        init(connection: PostgresConnection) {
            self.connection = connection
            socket = connection.socket
        }
    }

    /// A connection opened on another thread, handed to the reactor's thread, which alone uses it after.
    private struct OpenedConnection: @unchecked Sendable {
        let connection: PostgresConnection
        let names: [(sql: String, name: String)]
    }

    static let closedError = PaymentError(.storeUnavailable, "the store is closed; open it again")
    /// The error of a statement that PostgreSQL cancelled at the worker's request when its reactor stopped.
    static let cancelledOnStopError = PaymentError(
        .storeUnavailable,
        "the server stopped and cancelled the statement before it finished, so nothing was written; retry the call")

    static let reactorStoppedError = PaymentError(
        .storeUnavailable,
        "the event loop that sent the statement stopped before the result arrived; retry the call, with the "
            + "same idempotency key for a write")

    let reactor: any StatementReactor
    private let connectionString: String
    private let connectionCount: Int
    private let statements: [String]
    private var names = StatementCache<String>()
    private var connections: [LoopConnection] = []
    private var waiting: [StatementRequest] = []
    private var waitingHead = 0
    /// True while a connection opens on another thread; one opens at a time.
    private var isOpening = false
    /// After a failed open, the time before which the statements wait for the open connections rather than
    /// try again, so that a server at its connection limit is not asked once per statement.
    private var openRetryAt: ContinuousClock.Instant?
    private static let openRetryDelay = Duration.seconds(1)
    private var isClosed = false
    /// True while ``settleInFlight(within:)`` reads the results of the statements it asked to cancel.
    private var isSettling = false
    /// True while a dispatch waits for the end of the reactor's turn.
    private var isDispatchScheduled = false
    /// Count of statements sent, for tests.
    let statementsSent = Atomic<Int>(0)
    /// Called once the statements in flight ended after ``close(then:)``.
    private var onClosed: (@Sendable () -> Void)?
    /// Callers of ``close(then:)``, called once the reactor ended and ``reactorStopped()`` cleaned up.
    private let stopWaiters = EndCallbacks()

    /// - Parameters:
    ///   - statements: every SQL text that requests may run, prepared on each connection as it opens.
    init(reactor: any StatementReactor, connectionString: String, connectionCount: Int, statements: [String]) {
        precondition(connectionCount > 0, "a statement loop needs at least one connection")
        self.reactor = reactor
        self.connectionString = connectionString
        self.connectionCount = connectionCount
        self.statements = statements
        reactor.whenStopped { [self] in
            reactorStopped()
        }
    }

    /// Sends `request` on an idle connection, or queues it until one is idle or opened.
    func submit(_ request: StatementRequest) {
        guard !isClosed else {
            request.continuation.resume(throwing: Self.closedError)
            return
        }
        waiting.append(request)
        // The statements of one turn go out together after its other work, because the first send wakes a
        // PostgreSQL backend that may take this thread's CPU before the rest of the turn ran.
        if !isDispatchScheduled {
            isDispatchScheduled = true
            reactor.executeAtEndOfTurn { [self] in
                isDispatchScheduled = false
                dispatch()
            }
        }
    }

    /// Rejects new statements and fails the queued ones. Once those in flight ended, closes the connections
    /// and calls `done`. Callable from any thread.
    ///
    /// When the reactor stops first, or already ended, the statements fail with `STORE_UNAVAILABLE` and `done`
    /// runs once the reactor ended, so a close never waits for a reactor that will not run again.
    func close(then done: @escaping @Sendable () -> Void) {
        let once = CallOnce(done)
        stopWaiters.add(once.call)
        _ = reactor.execute { [self] in
            isClosed = true
            failWaiting(Self.closedError)
            onClosed = once.call
            closeIfIdle()
        }
    }

    /// Fails every statement, queued or in flight, closes the connections and calls the waiting closes. Runs
    /// once, after the reactor ended, on its thread or on the thread that registered this worker with an
    /// already ended reactor.
    private func reactorStopped() {
        isClosed = true
        failWaiting(Self.reactorStoppedError)
        settleInFlight(within: Self.settleTimeout)
        for connection in connections where connection.isBusy {
            finish(connection, with: Self.reactorStoppedError)
        }
        connections.removeAll()
        onClosed = nil
        stopWaiters.end()
    }

    /// Maximum wait in ``settleInFlight(within:)``.
    static let settleTimeout: Duration = .seconds(2)

    /// Asks PostgreSQL to cancel the statements still in flight and reads their results for up to `timeout`.
    ///
    /// A statement left running would otherwise go on after its caller got an error, and could commit after
    /// the server exited, for example once a lock it waits for is released. Here a cancelled statement fails
    /// with PostgreSQL's error, having written nothing, and one that finished first returns its result. Runs on
    /// the thread of a stopped reactor, so it reads the sockets itself with `poll`.
    private func settleInFlight(within timeout: Duration) {
        let busy = connections.filter { $0.isBusy }
        guard !busy.isEmpty else {
            return
        }
        let deadline = ContinuousClock.now + timeout
        let cancels = busy.compactMap { CancelRequest(connection: $0.connection) }
        CancelRequest.sendAll(cancels, before: deadline)

        isSettling = true
        defer { isSettling = false }
        while true {
            let pending = connections.filter { $0.isBusy }
            let remaining = deadline - ContinuousClock.now
            guard !pending.isEmpty, remaining > .zero else {
                return
            }
            var descriptors = pending.map { pollfd(fd: $0.socket, events: Int16(POLLIN), revents: 0) }
            // Rounded up, so the last wait reaches the deadline instead of polling every millisecond.
            let milliseconds = Int32(min(1000, Int64(remaining / .milliseconds(1)) + 1))
            let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
            if ready < 0 && errno != EINTR {
                return
            }
            for (connection, descriptor) in zip(pending, descriptors) where descriptor.revents != 0 {
                if !service(connection, writable: false) && connection.isBusy {
                    finish(connection, with: lostConnectionError(connection, "reading a result"))
                }
            }
        }
    }

    private func closeIfIdle() {
        guard isClosed, let done = onClosed, !connections.contains(where: { $0.isBusy }) else {
            return
        }
        for connection in connections {
            reactor.unwatch(connection.socket)
        }
        connections.removeAll()
        onClosed = nil
        done()
    }

    /// Sends waiting statements on idle connections, and starts opening a connection when none is idle.
    private func dispatch() {
        guard waitingHead < waiting.count else {
            return
        }
        // A connection that failed while sending is idle but unusable.
        for connection in connections
        where !connection.isBusy && PQstatus(connection.connection.handle) != CONNECTION_OK {
            drop(connection)
        }
        while waitingHead < waiting.count {
            guard let connection = connections.first(where: { !$0.isBusy }) else {
                openConnection()
                break
            }
            let request = waiting[waitingHead]
            waitingHead += 1
            send(request, on: connection)
        }
        if waitingHead >= waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        }
    }

    private func openConnection() {
        guard !isOpening, !isClosed, connections.count < connectionCount else {
            return
        }
        if !connections.isEmpty, let retryAt = openRetryAt, ContinuousClock.now < retryAt {
            return
        }
        isOpening = true
        let (connectionString, statements, reactor) = (self.connectionString, self.statements, self.reactor)
        DispatchQueue.global().async { [self] in
            let opened = Result { () throws(PaymentError) -> OpenedConnection in
                let connection = try PostgresConnection(connectionString: connectionString)
                var names: [(sql: String, name: String)] = []
                for sql in statements {
                    names.append((sql, try connection.prepare(sql)))
                }
                guard PQsetnonblocking(connection.handle, 1) == 0 else {
                    throw PaymentError(
                        .storeUnavailable, "libpq could not switch a connection to non-blocking mode",
                        cause: String(cString: PQerrorMessage(connection.handle)))
                }
                return OpenedConnection(connection: connection, names: names)
            }
            // A reactor that stopped drops the work, and with it the connection, which closes.
            _ = reactor.execute { [self] in
                adopt(opened)
            }
        }
    }

    /// Starts using a connection opened on another thread. When opening failed and no connection is open,
    /// the queued statements fail, so a database that is down fails calls at once.
    private func adopt(_ opened: Result<OpenedConnection, PaymentError>) {
        isOpening = false
        guard !isClosed else {
            return
        }
        do throws(PaymentError) {
            let opened = try opened.get()
            let connection = LoopConnection(connection: opened.connection)
            do {
                try reactor.watch(connection.socket) { [weak self, weak connection] writable in
                    if let self, let connection {
                        handleEvents(on: connection, writable: writable)
                    }
                }
            } catch {
                throw PaymentError(
                    .storeUnavailable, "waiting on the socket of a new PostgreSQL connection failed",
                    cause: "\(error)")
            }
            for (sql, name) in opened.names {
                names.store(name, for: sql)
            }
            connections.append(connection)
            openRetryAt = nil
        } catch {
            openRetryAt = .now + Self.openRetryDelay
            if connections.isEmpty {
                failWaiting(error)
            }
        }
        dispatch()
    }

    private func send(_ request: StatementRequest, on connection: LoopConnection) {
        guard let name = names.value(for: request.sql) else {
            preconditionFailure("the statement loop was not given this SQL to prepare")
        }
        let handle = connection.connection.handle
        let sent = PostgresConnection.withParameterValues(request.parameters) { count, values in
            PQsendQueryPrepared(handle, name, count, values, nil, nil, 0)
        }
        connection.request = request
        statementsSent.add(1, ordering: .relaxed)
        guard sent == 1 else {
            finish(connection, with: lostConnectionError(connection, "sending a prepared statement"))
            drop(connection)
            return
        }
        flush(connection)
        if !connection.isBusy {
            drop(connection)
        } else {
            updateWriteInterest(connection)
        }
    }

    private func handleEvents(on connection: LoopConnection, writable: Bool) {
        if service(connection, writable: writable) {
            updateWriteInterest(connection)
        } else {
            drop(connection)
        }
        dispatch()
        closeIfIdle()
    }

    /// Reads what the socket has and ends the statement when its results are complete.
    ///
    /// Returns false when the connection is lost and must be dropped.
    private func service(_ connection: LoopConnection, writable: Bool) -> Bool {
        let handle = connection.connection.handle
        if writable && connection.isFlushing {
            flush(connection)
        }
        guard PQconsumeInput(handle) == 1 else {
            if connection.isBusy {
                finish(connection, with: lostConnectionError(connection, "reading a result"))
            }
            return false
        }
        // libpq may need to read before it can send the rest, so a readable socket also continues a flush.
        if connection.isFlushing {
            flush(connection)
        }
        while connection.isBusy && PQisBusy(handle) == 0 {
            guard let result = PQgetResult(handle) else {
                complete(connection)
                break
            }
            if connection.result == nil {
                connection.result = result
            } else {
                PQclear(result)
            }
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    private func flush(_ connection: LoopConnection) {
        switch PQflush(connection.connection.handle) {
        case 0:
            connection.isFlushing = false
        case 1:
            connection.isFlushing = true
        default:
            finish(connection, with: lostConnectionError(connection, "sending a prepared statement"))
        }
    }

    private func updateWriteInterest(_ connection: LoopConnection) {
        if connection.watchesWritable != connection.isFlushing {
            connection.watchesWritable = connection.isFlushing
            reactor.setWritable(connection.isFlushing, for: connection.socket)
        }
    }

    /// Stops watching a lost connection and removes it from the list, which closes it.
    private func drop(_ connection: LoopConnection) {
        reactor.unwatch(connection.socket)
        connections.removeAll { $0 === connection }
    }

    /// Ends the statement in flight with the rows or the error of its first result.
    private func complete(_ connection: LoopConnection) {
        let result = connection.result
        connection.result = nil
        defer { PQclear(result) }
        if let error = PostgresConnection.error(
            of: result, on: connection.connection.handle, "running a prepared statement")
        {
            let cancelled = isSettling && error.details["sqlstate"] == PostgresErrors.queryCanceled
            finish(connection, with: cancelled ? Self.cancelledOnStopError : error)
        } else {
            let rows = PostgresConnection.rows(of: result)
            let request = connection.request
            connection.request = nil
            request?.continuation.resume(returning: rows)
        }
    }

    private func finish(_ connection: LoopConnection, with error: PaymentError) {
        if let result = connection.result {
            PQclear(result)
            connection.result = nil
        }
        let request = connection.request
        connection.request = nil
        connection.isFlushing = false
        request?.continuation.resume(throwing: error)
    }

    private func lostConnectionError(_ connection: LoopConnection, _ step: String) -> PaymentError {
        PostgresErrors.map(
            sqlState: nil, primaryMessage: String(cString: PQerrorMessage(connection.connection.handle)),
            connectionLost: true, step: step)
    }

    private func failWaiting(_ error: PaymentError) {
        while waitingHead < waiting.count {
            waiting[waitingHead].continuation.resume(throwing: error)
            waitingHead += 1
        }
        waiting.removeAll()
        waitingHead = 0
    }
}

/// A request to cancel the statement running on one connection, sent on its own connection to PostgreSQL.
private final class CancelRequest: @unchecked Sendable {
    private let handle: OpaquePointer

    init?(connection: PostgresConnection) {
        guard let handle = PQgetCancel(connection.handle) else {
            return nil
        }
        self.handle = handle
    }

    deinit {
        PQfreeCancel(handle)
    }

    /// Sends every request from one thread and waits until they are sent or `deadline` passes.
    ///
    /// `PQcancel` opens a connection and blocks, so an unreachable database cannot hold the caller past the
    /// deadline. A request still pending then continues on its thread.
    static func sendAll(_ requests: [CancelRequest], before deadline: ContinuousClock.Instant) {
        guard !requests.isEmpty else {
            return
        }
        let sent = DispatchSemaphore(value: 0)
        let thread = Thread {
            for request in requests {
                var message = [CChar](repeating: 0, count: 256)
                _ = PQcancel(request.handle, &message, Int32(message.count))
            }
            sent.signal()
        }
        thread.name = "postgres-cancel"
        thread.start()
        let remaining = deadline - ContinuousClock.now
        let nanoseconds = max(
            0, remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000)
        _ = sent.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
    }
}

/// A callback that runs at most once, whichever of its callers comes first.
private final class CallOnce: Sendable {
    private let callback: Mutex<(@Sendable () -> Void)?>

    init(_ callback: @escaping @Sendable () -> Void) {
        self.callback = Mutex(callback)
    }

    @Sendable func call() {
        let callback = self.callback.withLock { callback in
            defer { callback = nil }
            return callback
        }
        callback?()
    }
}
