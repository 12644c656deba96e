internal import CLibPQ
import Foundation
import PaymentsDomain
import Synchronization

/// Runs single autocommit statements on non-blocking libpq connections from one polling thread.
///
/// The fast path's statements (see ``PostgresFastPath``) run outside transactions, so they need no thread per
/// connection. This thread sends each statement on an idle connection and then waits on every socket at once
/// with `poll`. Under load one wake-up collects several results, where a pool thread sleeps and wakes for
/// every statement. Connections open when a statement finds none idle, up to `connectionCount`. Each one
/// prepares all of `statements` before it switches to non-blocking mode. A lost connection fails its statement
/// with `STORE_UNAVAILABLE` and is replaced by the next statement that needs one.
///
/// NOTE: opening a connection blocks the thread for the connect and the prepares, a few milliseconds on a
/// local server, and no result is read meanwhile. It happens once per connection unless PostgreSQL restarts.
final class PostgresStatementLoop: Sendable {
    fileprivate struct Request: Sendable {
        let sql: String
        let parameters: [DatabaseValue]
        let continuation: CheckedContinuation<[DatabaseRow], any Error>
    }

    private struct Inbox {
        var requests: [Request] = []
        var isClosed = false
        /// True while the thread sleeps in `poll`, so a new request must write to the wake-up pipe.
        var isWaiting = false
    }

    private let inbox = Mutex(Inbox())
    private let wakeUp: WakeUpPipe
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts the thread; no connection opens before the first statement.
    ///
    /// - Parameters:
    ///   - statements: every SQL text that ``query(_:_:)`` may run, prepared on each connection as it opens.
    init(connectionString: String, connectionCount: Int, statements: [String]) throws(PaymentError) {
        precondition(connectionCount > 0, "a statement loop needs at least one connection")
        wakeUp = try WakeUpPipe(owner: "statement loop")
        let worker = StatementLoopWorker(
            connectionString: connectionString, connectionCount: connectionCount, statements: statements)
        let thread = Thread { [self] in
            worker.run(self)
            stopped.signal()
        }
        thread.name = "postgres-statements"
        thread.start()
    }

    /// Runs `sql`, one of the statements given at init, with `parameters` and returns its rows as text.
    ///
    /// - Throws: ``PaymentError`` mapped from the statement's SQLSTATE, or `STORE_UNAVAILABLE` when no
    ///   connection could be opened, the connection was lost, or the loop is closed.
    func query(_ sql: String, _ parameters: [DatabaseValue]) async throws -> [DatabaseRow] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[DatabaseRow], any Error>) in
            let request = Request(sql: sql, parameters: parameters, continuation: continuation)
            let (accepted, wakes) = inbox.withLock { inbox -> (Bool, Bool) in
                guard !inbox.isClosed else {
                    return (false, false)
                }
                inbox.requests.append(request)
                let wakes = inbox.isWaiting
                inbox.isWaiting = false
                return (true, wakes)
            }
            guard accepted else {
                continuation.resume(throwing: StatementLoopWorker.closedError)
                return
            }
            if wakes {
                wakeUp.wake()
            }
        }
    }

    /// Rejects new statements, waits for those in flight to end, closes the connections and stops the thread.
    func close() async {
        inbox.withLock { $0.isClosed = true }
        wakeUp.wake()
        await stopped.waitOnOwnThread()
        wakeUp.close()
    }

    /// Takes the queued requests. When there are none, marks the thread as waiting, so the next one wakes it.
    fileprivate func takeRequests() -> (requests: [Request], isClosed: Bool) {
        inbox.withLock { inbox in
            let requests = inbox.requests
            inbox.requests.removeAll(keepingCapacity: true)
            if requests.isEmpty && !inbox.isClosed {
                inbox.isWaiting = true
            }
            return (requests, inbox.isClosed)
        }
    }

    /// Clears the waiting mark after `poll` returned, and empties the pipe when it woke the thread.
    fileprivate func endWaiting(woken: Bool) {
        inbox.withLock { $0.isWaiting = false }
        if woken {
            wakeUp.drain()
        }
    }

    fileprivate var wakeDescriptor: Int32 { wakeUp.readDescriptor }
}

/// The thread's state: connections, statements waiting for a connection. Used only on the loop's thread.
private final class StatementLoopWorker: @unchecked Sendable {
    typealias Request = PostgresStatementLoop.Request

    private final class LoopConnection {
        let connection: PostgresConnection
        /// The statement in flight. Reading it copies the request, so loops over connections test `isBusy`.
        var request: Request? {
            didSet { isBusy = request != nil }
        }
        private(set) var isBusy = false
        /// The first result of the statement in flight; later ones are cleared.
        var result: OpaquePointer?
        /// True while libpq has unsent data, so the socket is polled for writing too.
        var isFlushing = false

        init(connection: PostgresConnection) {
            self.connection = connection
        }
    }

    static let closedError = PaymentError(.storeUnavailable, "the store is closed; open it again")

    private let connectionString: String
    private let connectionCount: Int
    private let statements: [String]
    private var names = StatementCache<String>()
    private var connections: [LoopConnection] = []
    private var waiting: [Request] = []
    private var waitingHead = 0

    init(connectionString: String, connectionCount: Int, statements: [String]) {
        self.connectionString = connectionString
        self.connectionCount = connectionCount
        self.statements = statements
    }

    func run(_ loop: PostgresStatementLoop) {
        var pollDescriptors: [pollfd] = []
        while true {
            let (requests, isClosed) = loop.takeRequests()
            if isClosed {
                for request in requests {
                    request.continuation.resume(throwing: Self.closedError)
                }
                failWaiting(Self.closedError)
                if !connections.contains(where: { $0.isBusy }) {
                    break
                }
            } else {
                waiting.append(contentsOf: requests)
                dispatch()
            }

            pollDescriptors.removeAll(keepingCapacity: true)
            pollDescriptors.append(pollfd(fd: loop.wakeDescriptor, events: Int16(POLLIN), revents: 0))
            for connection in connections {
                let events = POLLIN | (connection.isFlushing ? POLLOUT : 0)
                pollDescriptors.append(
                    pollfd(fd: PQsocket(connection.connection.handle), events: Int16(events), revents: 0))
            }
            // After sending new requests, check for more without sleeping. A closed loop polls with a timeout,
            // because close() wakes it only once while the last results may still be on their way.
            let sleeps = requests.isEmpty
            var timeout: Int32 = 0
            if sleeps {
                timeout = isClosed ? 10 : -1
            }
            let ready = poll(&pollDescriptors, nfds_t(pollDescriptors.count), timeout)
            if sleeps {
                loop.endWaiting(woken: ready > 0 && pollDescriptors[0].revents != 0)
            }
            guard ready > 0 else {
                continue
            }
            var lost: [Int] = []
            for (index, connection) in connections.enumerated() {
                let revents = pollDescriptors[index + 1].revents
                guard revents != 0 else {
                    continue
                }
                if !service(connection, writable: revents & Int16(POLLOUT) != 0) {
                    lost.append(index)
                }
            }
            for index in lost.reversed() {
                connections.remove(at: index)
            }
        }
        connections.removeAll()
    }

    /// Sends waiting statements on idle connections, opening connections up to the limit.
    private func dispatch() {
        while waitingHead < waiting.count {
            guard let connection = idleConnection() else {
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

    private func idleConnection() -> LoopConnection? {
        // A connection that failed while sending is idle but unusable.
        connections.removeAll { !$0.isBusy && PQstatus($0.connection.handle) != CONNECTION_OK }
        if let idle = connections.first(where: { !$0.isBusy }) {
            return idle
        }
        guard connections.count < connectionCount else {
            return nil
        }
        do {
            let connection = try PostgresConnection(connectionString: connectionString)
            for sql in statements {
                names.store(try connection.prepare(sql), for: sql)
            }
            guard PQsetnonblocking(connection.handle, 1) == 0 else {
                throw PaymentError(
                    .storeUnavailable, "libpq could not switch a connection to non-blocking mode",
                    cause: String(cString: PQerrorMessage(connection.handle)))
            }
            let opened = LoopConnection(connection: connection)
            connections.append(opened)
            return opened
        } catch {
            // The first waiting statement gets the error, so a database that is down fails calls, not the loop.
            let request = waiting[waitingHead]
            waitingHead += 1
            request.continuation.resume(throwing: error)
            return waitingHead < waiting.count ? idleConnection() : nil
        }
    }

    private func send(_ request: Request, on connection: LoopConnection) {
        guard let name = names.value(for: request.sql) else {
            preconditionFailure("the statement loop was not given this SQL to prepare")
        }
        let handle = connection.connection.handle
        let sent = PostgresConnection.withParameterValues(request.parameters) { count, values in
            PQsendQueryPrepared(handle, name, count, values, nil, nil, 0)
        }
        connection.request = request
        guard sent == 1 else {
            finish(connection, with: lostConnectionError(connection, "sending a prepared statement"))
            return
        }
        flush(connection)
    }

    /// Reads what the socket has and ends the statement when its results are complete.
    ///
    /// Returns false when the connection is lost and must be dropped.
    private func service(_ connection: LoopConnection, writable: Bool) -> Bool {
        let handle = connection.connection.handle
        if writable {
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

    /// Ends the statement in flight with the rows or the error of its first result.
    private func complete(_ connection: LoopConnection) {
        let result = connection.result
        connection.result = nil
        defer { PQclear(result) }
        if let error = PostgresConnection.error(
            of: result, on: connection.connection.handle, "running a prepared statement")
        {
            finish(connection, with: error)
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
