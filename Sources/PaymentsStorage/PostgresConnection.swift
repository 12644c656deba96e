internal import CLibPQ
import Foundation
import PaymentsDomain

/// One libpq connection with per-connection prepared statements; used by one thread at a time.
///
/// Every statement with values goes through `PQprepare` and `PQexecPrepared`, so values never appear in SQL
/// text. Errors carry the SQLSTATE and the server's primary message, never the SQL or the connection string.
final class PostgresConnection: WorkerConnection {
    let handle: OpaquePointer
    private var preparedNames = StatementCache<String>()
    private var preparedCount = 0

    /// Maximum time a statement waits for a lock before failing, so a stuck transaction cannot tie up every
    /// pool connection. Callers get `STORE_UNAVAILABLE`, or `IDEMPOTENCY_KEY_IN_PROGRESS` when the wait was
    /// for another call's idempotency key.
    static let lockTimeout = "5s"

    /// Connects with a libpq URI (`postgresql://…`) or key/value string (`host=… dbname=…`).
    ///
    /// - Throws: ``PaymentError`` `STORE_UNAVAILABLE` with libpq's message as the cause; the connection
    ///   string, which may hold a password, is never part of the error.
    init(connectionString: String) throws(PaymentError) {
        // libpq's message for a string it cannot parse may quote the string or the password, so it is not kept.
        guard PostgresConnectionInfo.describe(connectionString: connectionString) != nil else {
            throw PaymentError(
                .storeUnavailable,
                "libpq cannot parse the PostgreSQL connection string; check its syntax, such as a bracketed "
                    + "IPv6 host or a '%' in the password, which a URI must write as %25")
        }
        guard let handle = PQconnectdb(connectionString) else {
            throw PaymentError(.storeUnavailable, "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw PaymentError(
                .storeUnavailable,
                "cannot connect to PostgreSQL; check that it runs and the connection string is right",
                cause: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        self.handle = handle
        // The default notice processor prints to standard error, for example on `CREATE TABLE IF NOT EXISTS`.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute("SET lock_timeout = '\(Self.lockTimeout)'")
    }

    deinit {
        PQfinish(handle)
    }

    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// Whether the connection is still open, checked without a round trip before a pool thread reuses it.
    ///
    /// libpq notices a server that went away only when it next reads. So an idle connection whose socket is
    /// readable reads what is there, and the end of the stream marks it broken. Any notification read stays
    /// queued for ``drainNotifications()``. Without this check, after a PostgreSQL restart each pool connection
    /// would fail one call first.
    var isReusable: Bool {
        guard !isBroken else {
            return false
        }
        // PostgreSQL's last message and the end of the stream may take two reads, so read a few times.
        for _ in 0..<4 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else {
                return true
            }
            guard PQconsumeInput(handle) == 1, !isBroken else {
                return false
            }
        }
        return true
    }

    /// The host, port, database and user that libpq connected with, without the password.
    var descriptionForLogs: String { PostgresConnectionInfo.describe(openConnection: handle) }

    /// Runs SQL without parameters through the simple query protocol, such as `BEGIN` or `LISTEN`.
    func execute(_ sql: String) throws(PaymentError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, "running '\(sql.prefix(48))'")
    }

    /// Runs one statement with `parameters` bound to `$1`, `$2`, … and returns its rows as text.
    @discardableResult
    func query(_ sql: String, _ parameters: [DatabaseValue]) throws(PaymentError) -> [DatabaseRow] {
        let name = try preparedName(sql, parameterCount: parameters.count)
        let result = Self.withParameterValues(parameters) { count, values in
            PQexecPrepared(handle, name, count, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, "running a prepared statement")
        return Self.rows(of: result)
    }

    /// Calls `body` with the number of `parameters` and their values as NUL-terminated text for libpq.
    ///
    /// The values go into one buffer sized up front and the pointers into a second one, so binding copies each
    /// value once. Both are temporary allocations, which Swift may place on the stack. A nil pointer is an SQL
    /// NULL.
    static func withParameterValues<Result>(
        _ parameters: [DatabaseValue], _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> Result
    ) -> Result {
        var byteCount = 0
        for value in parameters {
            switch value {
            case .integer:
                byteCount += DecimalText.maximumLength + 1
            case .text(let text):
                byteCount += text.utf8.count + 1
            case .null:
                break
            }
        }

        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(byteCount, 1)) { buffer in
            withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: max(parameters.count, 1)) {
                values in
                let base = UnsafeMutableRawPointer(buffer.baseAddress!)
                var used = 0
                for (index, value) in parameters.enumerated() {
                    switch value {
                    case .integer(let number):
                        values[index] = UnsafePointer(base.advanced(by: used).assumingMemoryBound(to: CChar.self))
                        used += DecimalText.write(number, to: base + used)
                        buffer[used] = 0
                        used += 1
                    case .text(var text):
                        values[index] = UnsafePointer(base.advanced(by: used).assumingMemoryBound(to: CChar.self))
                        text.withUTF8 { utf8 in
                            if let source = utf8.baseAddress {
                                (base + used).copyMemory(from: source, byteCount: utf8.count)
                            }
                            used += utf8.count
                        }
                        buffer[used] = 0
                        used += 1
                    case .null:
                        values[index] = nil
                    }
                }
                return body(Int32(parameters.count), UnsafePointer(values.baseAddress))
            }
        }
    }

    /// Channels named in notifications received so far; call after `PQconsumeInput`.
    func drainNotifications() -> [String] {
        var channels: [String] = []
        while let notification = PQnotifies(handle) {
            channels.append(String(cString: notification.pointee.relname))
            PQfreemem(notification)
        }
        return channels
    }

    /// Reads whatever the server sent; returns false when the connection is lost.
    func consumeInput() -> Bool {
        PQconsumeInput(handle) == 1
    }

    var socket: Int32 { PQsocket(handle) }

    /// Prepares `sql` on this connection unless it already is, and returns the statement's name.
    func prepare(_ sql: String) throws(PaymentError) -> String {
        try preparedName(sql, parameterCount: 0)
    }

    private func preparedName(_ sql: String, parameterCount: Int) throws(PaymentError) -> String {
        if let name = preparedNames.value(for: sql) {
            return name
        }
        let name = "payments_\(preparedCount)"
        let result = PQprepare(handle, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(result, "preparing a statement")
        preparedCount += 1
        preparedNames.store(name, for: sql)
        return name
    }

    /// Returns the rows of a successful result as text, with nil for SQL NULL.
    static func rows(of result: OpaquePointer?) -> [DatabaseRow] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var rows: [DatabaseRow] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var columns: [String?] = []
            columns.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 {
                    columns.append(nil)
                } else {
                    columns.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
            rows.append(DatabaseRow(columns: columns))
        }
        return rows
    }

    private func check(_ result: OpaquePointer?, _ step: String) throws(PaymentError) {
        if let error = Self.error(of: result, on: handle, step) {
            throw error
        }
    }

    /// Returns the error of a failed result, with its SQLSTATE and primary message, or nil when it succeeded.
    static func error(of result: OpaquePointer?, on handle: OpaquePointer, _ step: String) -> PaymentError? {
        let status = PQresultStatus(result)
        guard status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY else {
            return nil
        }
        return PostgresErrors.map(
            sqlState: field(result, "C"), primaryMessage: field(result, "M") ?? String(cString: PQerrorMessage(handle)),
            connectionLost: PQstatus(handle) != CONNECTION_OK, step: step)
    }

    private static func field(_ result: OpaquePointer?, _ code: Unicode.Scalar) -> String? {
        guard let result, let value = PQresultErrorField(result, Int32(code.value)) else {
            return nil
        }
        return String(cString: value)
    }
}
